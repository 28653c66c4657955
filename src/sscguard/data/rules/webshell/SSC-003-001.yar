rule SSC_003_001
{
    meta:
        id = "SSC-003-001"
        title = "PHP request input passed to eval or assert"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "Code that evaluates text taken straight from an HTTP request lets anyone who can reach the file run arbitrary PHP, which is what a one-line web shell does."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /(^|[^\w>:$])(eval|assert)\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $b = /(^|[^\w>:$])(eval|assert)\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?\$_(SESSION|FILE|ENV|POSTS?|GETS?)\s*\[/ nocase
    condition:
        any of them and filesize < 5MB
}
