rule SSC_003_007
{
    meta:
        id = "SSC-003-007"
        title = "PHP eval of a decoded or decompressed payload"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Evaluating the output of base64_decode, gzinflate, str_rot13 or similar hides the real code from review; legitimate applications do not eval encoded blobs, obfuscated shells almost always do."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /(^|[^\w>:$])(eval|assert)\s*\(\s*(['"][^'"\n]{0,10}['"]\s*\.\s*)?@?(gzinflate|gzuncompress|gzdecode|base64_decode|str_rot13|strrev|convert_uudecode|hex2bin|rawurldecode|urldecode|bzdecompress|gzip_inflate|strtr|pack|unserialize)\s*\(/ nocase
        $b = /preg_replace\s*\(\s*['\"][^'\"\n]{0,60}\/[a-zA-Z]{0,6}e[a-zA-Z]{0,6}['\"]\s*,\s*['\"]?(eval|assert)?\s*\(?\s*(base64_decode|gzinflate|gzuncompress|str_rot13|\\x65\\x76)/ nocase
    condition:
        any of them and filesize < 10MB
}
