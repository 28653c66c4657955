rule SSC_003_027
{
    meta:
        id = "SSC-003-027"
        title = "ASP.NET writes request-controlled files or uploads"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "aspx"
        why = "An ASP.NET page that saves uploads or request text to a request-chosen path, or creates new .aspx/.ashx files from code, is a dropper used to plant or refresh web shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_sa = /\.SaveAs\s*\(\s*[^;\n]{0,80}Request/
        $k1_sa2 = /\.SaveAs\s*\(/
        $k1_ex = /(Process\s*\.\s*Start|ProcessStartInfo|WScript\.Shell|cmd\.exe)/ nocase
        $k1_req = /Request\s*(\.\s*(Form|QueryString|Params|Item|Files))?\s*[\[\(]/
        $k2_a = /\.SaveAs\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?(Context\s*\.\s*)?Request\s*(\.\s*(Form|QueryString|Params|Item))?\s*[\[\(]/ nocase
        $k2_b = /\.SaveAs\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?[^;\n]{0,40}Request\s*(\.\s*(Form|QueryString|Params|Item))?\s*[\[\(]\s*[\"'](f|p|path|file|filename|dir|name)[\"']/ nocase
        $k3_w1 = /(new\s+(System\.IO\.)?StreamWriter|File\s*\.\s*(WriteAllText|WriteAllBytes|CreateText|AppendAllText|Create)|new\s+(System\.IO\.)?FileStream)\s*\(\s*[^;\n]{0,80}Request\s*(\.\s*(Form|QueryString|Params|Item))?\s*[\[\(]/ nocase
        $k3_w2 = /(\.Write(Line)?|WriteAllText|WriteAllBytes)\s*\(\s*[^;\n]{0,40}Request\s*(\.\s*(Form|QueryString|Params|Item))?\s*[\[\(]/ nocase
        $k3_out = /(CreateText|StreamWriter|WriteAllText|WriteAllBytes)\s*\(\s*[^;\n]{0,80}(['\"][^'\"\n]{0,40}\.as[hpm]x['\"]|PhysicalPath\s*\+\s*['\"]\.as)/ nocase
        $k3_net = /(<%@|runat\s*=|using\s+System|IHttpHandler)/ nocase
    condition:
        (($k1_sa or ($k1_sa2 and $k1_req)) and $k1_ex and filesize < 5MB)
        or (any of ($k2_a, $k2_b) and filesize < 2MB)
        or ($k3_net and (($k3_w1 and $k3_w2) or $k3_out or ($k3_w2 and filesize < 4KB)) and filesize < 2MB)
}
