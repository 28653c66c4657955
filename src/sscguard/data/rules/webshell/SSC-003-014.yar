rule SSC_003_014
{
    meta:
        id = "SSC-003-014"
        title = "Image header followed by PHP code with a sink (polyglot)"
        technique = "T1505.003,T1036"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "An image header glued in front of PHP code is used to slip a shell through upload filters that only check magic bytes; real images do not contain PHP sinks."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $php = "<?php" nocase
        $php2 = "<?="
        $sink = /(^|[^\w>:$])(eval|assert|system|passthru|shell_exec|exec|popen|proc_open|include|require|create_function|preg_replace|move_uploaded_file|file_put_contents|fwrite)\s*\(/ nocase
        $src = /(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
    condition:
        (uint32be(0) == 0x47494638 or uint16be(0) == 0xFFD8 or uint32be(0) == 0x89504E47 or uint16be(0) == 0x424D) and ($php or $php2) and ($sink or $src) and filesize < 10MB
}
