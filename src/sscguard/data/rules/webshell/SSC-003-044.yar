rule SSC_003_044
{
    meta:
        id = "SSC-003-044"
        title = "PHP preg_replace /e evaluating a variable or encoded replacement"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "preg_replace with the /e modifier evaluates the replacement as PHP; when that replacement is a variable or decoded text the call is a hidden eval, not text processing."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /preg_replace\s*\(\s*['\"][^'\"\n]{0,80}[\/#|~!@%][a-zA-Z]{0,6}e[a-zA-Z]{0,6}['\"]\s*,\s*@?(\$\w|base64_decode|gzinflate|str_rot13|strrev|gzuncompress|['\"]\\\\?[\\\\$]?\d['\"]\s*,\s*@?(base64_decode|gzinflate|\$))/ nocase
        $h = /preg_replace\s*\(\s*['\"](\\x[0-9a-fA-F]{2}|\\[0-7]{3})/
    condition:
        any of them and filesize < 5MB
}
