rule SSC_003_008
{
    meta:
        id = "SSC-003-008"
        title = "PHP long encoded blob decoded next to eval"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "A long base64 or compressed literal handed to a decoder in a file that also calls eval/assert is how packed web shells carry their body."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $blob = /(base64_decode|gzinflate|gzuncompress|str_rot13|convert_uudecode|strrev)\s*\(\s*['\"][A-Za-z0-9+\/=\\\r\n]{300}/ nocase
        $ev = /(^|[^\w>:$])(eval|assert|create_function)\s*\(/ nocase
        $dec = /(base64_decode|gzinflate|gzuncompress|str_rot13|convert_uudecode)\s*\(/ nocase
    condition:
        $ev and $blob and $dec and filesize < 10MB
}
