// The small-file branch is a part of its own (see rules/yara.py): with its filesize
// bound in a rule's top-level condition, YARA-X skips verifying its strings in larger files.
rule SSC_003_020__k2
{
    strings:
        $k2_w = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|RandomAccessFile|PrintWriter\s*\(\s*new\s+File)/
        $k2_wr = /\.(write|print|println)\s*\(/
        $k2_req = /(request|getRequest\s*\(\s*\))\s*\.\s*(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getInputStream|getReader|getQueryString|getCookies|getPart)\s*\(/
        $k2_path = /(getRealPath|getParameter\s*\(\s*['\"](path|file|filename|f|p|name|dir|filepath)['\"])/
    condition:
        $k2_w and $k2_wr and $k2_req and $k2_path and filesize < 12KB
}

rule SSC_003_020
{
    meta:
        id = "SSC-003-020"
        title = "JSP writes request-supplied content to a file"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "jsp"
        why = "A JSP that writes request parameters, the request body or a downloaded URL into a file, especially at a request-chosen path, is a dropper used to plant further shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_w1 = /new\s+(java\.io\.)?(FileOutputStream|FileWriter|PrintWriter|RandomAccessFile|File)\s*\(\s*[^;\n]{0,120}(request|getRequest\s*\(\s*\))\s*\.\s*getParameter\s*\(/
        $k1_dl = /new\s+(java\.net\.)?URL\s*\(\s*request\s*\.\s*getParameter/
        $k1_in = /request\s*\.\s*getInputStream\s*\(/
        $k1_w2 = /\.write\s*\(\s*request\s*\.\s*getParameter\s*\([^;\n]{1,60}\)\s*(\.getBytes\s*\(\s*\))?/
        $k1_w3 = /(FileOutputStream|FileWriter|RandomAccessFile|Files\s*\.\s*write)/
    condition:
        ((($k1_w1 and ($k1_w2 or $k1_w3 or $k1_in)) or ($k1_w2 and $k1_w3) or ($k1_dl and $k1_w3)) and filesize < 2MB)
        or SSC_003_020__k2
}
