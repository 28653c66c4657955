rule SSC_003_013
{
    meta:
        id = "SSC-003-013"
        title = "Small PHP file sends request data through a variable into a code or command sink"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "php"
        why = "A small script that reads request parameters and passes a variable to eval, assert or a command function is usually a minimal web shell, though a badly written admin helper can look the same."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $sink = /(^|[^\w>:$])(eval|assert|system|passthru|shell_exec|exec|popen|proc_open)\s*\(\s*@?(['"][^'"\n]{0,30}['"]\s*\.\s*)?\$\w/ nocase
        $src = /(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $php = "<?"
    condition:
        $php and $sink and $src and filesize < 12KB
}
