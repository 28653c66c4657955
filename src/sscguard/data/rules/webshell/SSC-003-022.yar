rule SSC_003_022
{
    meta:
        id = "SSC-003-022"
        title = "JSP writes request-supplied content to a file"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "jsp"
        why = "A JSP that writes a request parameter's text into a file whose name also comes from the request is a dropper used to plant further shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $w1 = /new\s+(FileOutputStream|FileWriter|PrintWriter|RandomAccessFile|File)\s*\(\s*[^;\n]{0,120}request\s*\.\s*getParameter\s*\(/
        $w2 = /\.write\s*\(\s*request\s*\.\s*getParameter\s*\([^;\n]{1,60}\)\s*(\.getBytes\s*\(\s*\))?/
        $w3 = /(FileOutputStream|FileWriter|Files\s*\.\s*write)/
    condition:
        (($w1 and ($w2 or $w3)) or ($w2 and $w3)) and filesize < 2MB
}
