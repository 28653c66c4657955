rule SSC_003_002
{
    meta:
        id = "SSC-003-002"
        title = "PHP request input passed to an OS command function"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "Request data reaching system(), exec(), shell_exec(), passthru(), popen() or proc_open() gives a remote caller a command shell on the server."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /(^|[^\w>:$])(system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $b = /`\s*\{?\$_(GET|POST|REQUEST|COOKIE)\s*\[/
    condition:
        any of them and filesize < 5MB
}
