rule SSC_003_005
{
    meta:
        id = "SSC-003-005"
        title = "PHP regular-expression /e or create_function used as eval"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "preg_replace/preg_filter with the /e modifier or create_function evaluates text as PHP; fed with request data, variables or decoded text it is a disguised eval shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_e1 = /preg_(replace|filter)\s*\(\s*['"][^'"\n]{0,100}[\/#|~!@%}][a-zA-Z]{0,6}e[a-zA-Z]{0,6}['"]\s*,[^;]{0,200}(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k1_e2 = /preg_replace\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k1_e3 = /(^|[^\w>:$])mb_eregi?_replace\s*\([^;]{0,200},\s*['"][imxspe]{0,5}e[imxspe]{0,5}['"]\s*\)/ nocase
        $k1_cf = /create_function\s*\([^;]{0,120}(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k1_src = /(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/
        $k2_a = /preg_replace\s*\(\s*['\"][^'\"\n]{0,80}[\/#|~!@%][a-zA-Z]{0,6}e[a-zA-Z]{0,6}['\"]\s*,\s*@?(\$\w|base64_decode|gzinflate|str_rot13|strrev|gzuncompress|['\"]\\\\?[\\\\$]?\d['\"]\s*,\s*@?(base64_decode|gzinflate|\$))/ nocase
        $k2_h = /preg_replace\s*\(\s*['\"](\\x[0-9a-fA-F]{2}|\\[0-7]{3})/
    condition:
        (($k1_e1 or $k1_e2 or $k1_cf or ($k1_e3 and $k1_src)) and filesize < 5MB)
        or (any of ($k2_a, $k2_h) and filesize < 5MB)
}
