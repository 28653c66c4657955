rule SSC_003_006
{
    meta:
        id = "SSC-003-006"
        title = "PHP include of request-controlled path or stream"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "php"
        why = "Including a file named by the request, or the php://input / data:// streams, runs whatever code the client supplies or uploads; small loaders of this kind are used as stage-one shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /(^|[^\w>:$])(include|require)(_once)?\s*\(?\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $b = /(include|require)(_once)?\s*\(?\s*['"](php:\/\/input|data:\/\/|data:text|php:\/\/filter\/[^'"]{0,40}resource=data)/ nocase
    condition:
        any of them and filesize < 2MB
}
