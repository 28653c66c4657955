rule SSC_003_019
{
    meta:
        id = "SSC-003-019"
        title = "JSP request input reaching Runtime.exec or ProcessBuilder"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "jsp"
        why = "A JSP page that starts operating-system processes in a file that also reads request parameters, headers or body is a JSP command shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $rt = /getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(/ nocase
        $pb = /new\s+ProcessBuilder\s*\(/
        $rt2 = /getRuntime\s*\(\s*\)/ nocase
        $ex = /\.exec\s*\(/
        $pi = /(java\.lang\.)?ProcessImpl/
        $un = "UNIXProcess"
        $req = /request\s*\.\s*(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getInputStream|getReader|getQueryString|getCookies|getPart)\s*\(/
    condition:
        (any of ($rt, $pb, $pi, $un) or ($rt2 and $ex)) and $req and filesize < 5MB
}
