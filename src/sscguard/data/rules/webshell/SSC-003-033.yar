rule SSC_003_033
{
    meta:
        id = "SSC-003-033"
        title = "JSP/JSPX dropper writing Base64 request data to disk"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "jsp"
        why = "Decoding Base64 from a request parameter and writing the bytes to a path from the request is a JSP uploader used to plant further shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $b64 = /(BASE64Decoder|Base64\s*\.\s*getDecoder|decodeBuffer|Base64\s*\.\s*decodeBase64|parseBase64Binary)/
        $fos = /new\s+(java\.io\.)?FileOutputStream\s*\(/
        $rp = /getRealPath\s*\(|request\s*\.\s*getParameter/
        $decreq = /(decodeBuffer|decode|decodeBase64|parseBase64Binary)\s*\(\s*request\s*\.\s*getParameter/
    condition:
        $b64 and $fos and $rp and $decreq and filesize < 2MB
}
