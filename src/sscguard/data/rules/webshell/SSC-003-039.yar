rule SSC_003_039
{
    meta:
        id = "SSC-003-039"
        title = "PHP writes request content into a PHP file"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "php"
        why = "Saving raw request text into a file (file_put_contents/fwrite with request data) lets a client drop new server-side scripts; droppers and shell 'edit file' panels do exactly this."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $fp = /file_put_contents\s*\(\s*[^;\n]{0,80},\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $fw = /fwrite\s*\(\s*\$\w{1,20}\s*,\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $fn = /(fopen|file_put_contents)\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
    condition:
        ($fp or $fw) and $fn and filesize < 5MB
}
