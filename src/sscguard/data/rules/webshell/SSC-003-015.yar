// The small-file branch is a part of its own (see rules/yara.py): with its filesize
// bound in a rule's top-level condition, YARA-X skips verifying its strings in larger files.
rule SSC_003_015__k1
{
    strings:
        $k1_mv = /(move_uploaded_file|copy)\s*\(\s*\$(_FILES|HTTP_POST_FILES)\s*\[[^\]\n]{1,30}\]\s*\[\s*['\"]tmp_name['\"]\s*\]\s*,\s*[^;\n]{0,80}(\$_FILES\s*\[[^\]\n]{1,30}\]\s*\[\s*['\"]name['\"]|\$_(GET|POST|REQUEST)\s*\[)/ nocase
        $k1_form = "multipart/form-data" nocase
        $k1_sane = /(basename|pathinfo|uniqid|random_bytes|md5|sha1|preg_match|in_array)\s*\(/ nocase
        $k1_php = /(move_uploaded_file|copy)\s*\([^;\n]{0,80},\s*['\"][^'\"\n$]{0,40}\.(php\d?|phtml|asp|aspx|jsp)['\"]\s*\)/ nocase
    condition:
        (($k1_mv and $k1_form and not $k1_sane) or $k1_php) and filesize < 6KB
}

rule SSC_003_015
{
    meta:
        id = "SSC-003-015"
        title = "PHP writes request-controlled content or uploads to request-chosen paths"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "php"
        why = "Saving request text or an uploaded file under a name or path the client chooses lets an attacker plant new PHP files; small droppers and uploader shells do exactly this."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k2_fp = /file_put_contents\s*\(\s*[^;\n]{0,80},\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k2_fw = /fwrite\s*\(\s*\$\w{1,20}\s*,\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k2_fn = /(fopen|file_put_contents)\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
    condition:
        SSC_003_015__k1
        or (($k2_fp or $k2_fw) and $k2_fn and filesize < 5MB)
}
