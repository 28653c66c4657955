rule SSC_003_054
{
    meta:
        id = "SSC-003-054"
        title = "PHP code spelled out character by character"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Long chains of chr() calls or one-letter string pieces that spell code or function names hide the payload from review and signatures; obfuscated shells use them, normal code does not."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $chr = /(chr\s*\(\s*\d{2,3}\s*\)\s*\.\s*){10}/ nocase
        $vchr = /(\$\w{1,12}\s*\(\s*\d{2,3}\s*\)\s*\.\s*){8}/
        $one = /(['\"][a-zA-Z_(]['\"]\s*\.\s*){6}['\"][a-zA-Z_(]['\"]/
        $ev = /(^|[^\w>:$])(eval|assert|create_function|preg_replace|array_map|call_user_func)\s*\(/ nocase
        $vcall = /\$\w{1,20}\s*\(\s*['\"\$]/
    condition:
        ($vchr or (($chr or $one) and ($ev or $vcall))) and filesize < 2MB
}
