// The small-file branch is a part of its own (see rules/yara.py): with its filesize
// bound in a rule's top-level condition, YARA-X skips verifying its strings in larger files.
rule SSC_003_010__k1
{
    strings:
        $xor1 = "]^$"
        $xor2 = "] ^ $"
        $xor3 = "]^="
        $xor4 = "] ^= "
        $xor5 = "+1&15]"
        $xor6 = "+ 1 & 15]"
        $xor7 = "+1)%"
        $dec = /(openssl_decrypt|mcrypt_decrypt)\s*\(/ nocase
        $ev = /(^|[^\w>:$])(eval|assert)\s*\(/ nocase
        $inv = /function\s+__invoke\s*\(\s*\$\w{1,20}\s*\)\s*\{\s*@?eval\s*\(/ nocase
        $src = /(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
    condition:
        $src and (any of ($xor*) or $dec) and ($ev or $inv) and filesize < 60KB
}

rule SSC_003_010
{
    meta:
        id = "SSC-003-010"
        title = "PHP encrypted or XOR-encoded request payload evaluated"
        technique = "T1505.003,T1027,T1573"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "Decrypting or XOR-decoding request data and then passing it to eval is how encrypted shell clients (Behinder/Godzilla style) hide their commands from network inspection."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $inv = /function\s+__invoke\s*\(\s*\$\w{1,20}\s*\)\s*\{\s*@?eval\s*\(/ nocase
    condition:
        ($inv or SSC_003_010__k1) and filesize < 300KB
}
