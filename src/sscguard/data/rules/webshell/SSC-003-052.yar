rule SSC_003_052
{
    meta:
        id = "SSC-003-052"
        title = "Small JSP writes request-chosen content to a file"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "jsp"
        why = "A short JSP page that reads request parameters and writes a file with them is a dropper for further shells; real applications rarely let the request choose the path."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $w = /new\s+(FileOutputStream|FileWriter|RandomAccessFile|PrintWriter\s*\(\s*new\s+File)/
        $wr = /\.(write|print|println)\s*\(/
        $req = /request\s*\.\s*(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getInputStream|getReader|getQueryString|getCookies|getPart)\s*\(/
        $path = /(getRealPath|getParameter\s*\(\s*['\"](path|file|filename|f|p|name|dir|filepath)['\"])/
    condition:
        $w and $wr and $req and $path and filesize < 12KB
}
