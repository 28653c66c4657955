rule SSC_003_005
{
    meta:
        id = "SSC-003-005"
        title = "PHP preg_replace /e or create_function with request input"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "A regular expression with the /e modifier, or create_function, evaluates its replacement as PHP code; feeding either from the request is a classic disguised eval shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $e1 = /preg_replace\s*\(\s*['"][^'"\n]{0,100}[\/#|~!@%}][a-zA-Z]{0,6}e[a-zA-Z]{0,6}['"]\s*,[^;]{0,200}(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $e2 = /preg_replace\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $e3 = /(^|[^\w>:$])mb_eregi?_replace\s*\([^;]{0,200},\s*['"][imxspe]{0,5}e[imxspe]{0,5}['"]\s*\)/ nocase
        $cf = /create_function\s*\([^;]{0,120}(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $src = /(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/
    condition:
        ($e1 or $e2 or $cf or ($e3 and $src)) and filesize < 5MB
}
