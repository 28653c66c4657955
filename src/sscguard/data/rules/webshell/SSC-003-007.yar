rule SSC_003_007
{
    meta:
        id = "SSC-003-007"
        title = "PHP eval of a decoded, decompressed or unpacked payload"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "eval() runs the output of base64/gzip/rot13 decoders or a custom unpacking function, often on a long encoded literal; legitimate applications do not eval encoded blobs, packed web shells do."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_a = /(^|[^\w>:$])(eval|assert)\s*\(\s*(['"][^'"\n]{0,10}['"]\s*\.\s*)?@?(gzinflate|gzuncompress|gzdecode|base64_decode|str_rot13|strrev|convert_uudecode|hex2bin|rawurldecode|urldecode|bzdecompress|gzip_inflate|strtr|pack|unserialize)\s*\(/ nocase
        $k1_b = /preg_replace\s*\(\s*['\"][^'\"\n]{0,60}\/[a-zA-Z]{0,6}e[a-zA-Z]{0,6}['\"]\s*,\s*['\"]?(eval|assert)?\s*\(?\s*(base64_decode|gzinflate|gzuncompress|str_rot13|\\x65\\x76)/ nocase
        $k2_blob = /(base64_decode|gzinflate|gzuncompress|str_rot13|convert_uudecode|strrev)\s*\(\s*['\"][A-Za-z0-9+\/=\\\r\n]{300}/ nocase
        $k2_ev = /(^|[^\w>:$])(eval|assert|create_function)\s*\(/ nocase
        $k2_dec = /(base64_decode|gzinflate|gzuncompress|str_rot13|convert_uudecode)\s*\(/ nocase
        $k3_a = /(^|[^\w>:$])eval\s*\(\s*@?\$\w{1,30}\s*\(/ nocase
        $k3_b = /(^|[^\w>:$])(eval|assert)\s*\(\s*@?[a-zA-Z_]\w{0,30}\s*\(\s*['"][^'"]{100}/ nocase
        $k3_c = /(^|[^\w>:$])eval\s*\(\s*@?[a-zA-Z_]\w{0,30}\s*\(\s*\$\w{1,30}\s*(,\s*\$\w{1,30}\s*)?\)\s*\)/ nocase
        $k3_esc = /[\"'](\\x[2-7][0-9a-fA-F]|\\1[0-7]{2}|\\[4-7][0-7]){8}/
        $k3_ev = /(^|[^\w>:$])(eval|assert)\s*\(/ nocase
        $k3_cf = /create_function\s*\(\s*['\"]['\"]\s*,\s*\$\w{1,30}\s*\)/ nocase
        $k3_loop = /chr\s*\(\s*ord\s*\(/ nocase
    condition:
        (any of ($k1_a, $k1_b) and filesize < 10MB)
        or ($k2_ev and $k2_blob and $k2_dec and filesize < 10MB)
        or (($k3_a or $k3_b or ($k3_c and ($k3_loop or $k3_esc)) or ($k3_esc and $k3_ev) or ($k3_cf and ($k3_loop or $k3_esc))) and filesize < 5MB)
}
