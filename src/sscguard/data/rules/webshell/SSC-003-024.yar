rule SSC_003_024
{
    meta:
        id = "SSC-003-024"
        title = "ASP.NET process execution driven by request or form input"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "aspx"
        why = "An ASP.NET page or handler that starts processes (cmd.exe/powershell via Process/ProcessStartInfo) with input from Request values or a form text box and returns the output is a .NET command shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_ps = /Process\s*\.\s*Start\s*\(/
        $k1_psi = "ProcessStartInfo"
        $k1_np = /new\s+(System\.Diagnostics\.)?Process\s*\(\s*\)/
        $k1_fn = /StartInfo\s*\.\s*FileName/
        $k1_req = /Request\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies))?\s*[\[\(]/
        $k1_req2 = /Request\s*\.\s*(Form|QueryString|Params|Item|Headers|Cookies)\s*\.\s*Get\s*\(/
        $k1_net = /<%@\s*(Page|WebHandler|WebService|Control)|using\s+System|System\.Diagnostics/ nocase
        $k2_proc = /(ProcessStartInfo|new\s+(System\.Diagnostics\.)?Process\s*\(|Process\s*\.\s*Start)/
        $k2_redir = "RedirectStandardOutput"
        $k2_out = "StandardOutput"
        $k2_in = /(\w\s*\.\s*Text\b|Request\s*[\[\(\.])/ nocase
        $k2_page = /(<%@\s*(Page|WebHandler|WebService|Control)|runat\s*=\s*['\"]?server)/ nocase
    condition:
        (($k1_ps or $k1_psi or ($k1_np and $k1_fn)) and ($k1_req or $k1_req2) and $k1_net and filesize < 5MB)
        or ($k2_page and $k2_proc and $k2_redir and $k2_out and $k2_in and filesize < 5MB)
}
