// The two small-file branches are parts of their own (see rules/yara.py): with their filesize
// bound in a rule's top-level condition, YARA-X skips verifying their strings in larger files.
rule SSC_003_011__k2
{
    strings:
        $k2_sink = /(^|[^\w>:$])(eval|assert|system|passthru|shell_exec|exec|popen|proc_open)\s*\(\s*@?(['"][^'"\n]{0,30}['"]\s*\.\s*)?"?\$\w/ nocase
        $k2_src = /(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k2_esc = /escapeshell(arg|cmd)\s*\(/ nocase
        $k2_php = "<?"
    condition:
        $k2_php and $k2_sink and $k2_src and not $k2_esc and filesize < 12KB
}

rule SSC_003_011__k3
{
    strings:
        $k2_php = "<?"
        $k3_call = /\$\w{1,20}\s*=\s*@?\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,20}\]\s*;[^\x00]{0,600}\$\w{1,20}\s*\(\s*\$\w{1,20}\s*(\[[^\]\n]{1,20}\]\s*)?\)\s*;/
        $k3_cb = /(usort|uasort|uksort|array_map|array_filter|array_walk|call_user_func|call_user_func_array)\s*\([^;\n]{0,60}\$\w{1,20}\s*\)\s*;/ nocase
        $k3_inc = /(include|require)(_once)?\s*\(?\s*\$\w{1,20}\s*\)?\s*;/
        $k3_src = /\$\w{1,20}\s*=\s*@?\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,20}\]\s*;/
    condition:
        $k2_php and $k3_src and ($k3_call or $k3_cb or ($k3_inc and filesize < 600)) and filesize < 1500
}

rule SSC_003_011
{
    meta:
        id = "SSC-003-011"
        title = "Small PHP script passes request data to a dynamic call or sink"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "php"
        why = "Request data reaches a variable function call, extract()-then-call, or eval/command sink through a variable in a short script; this is the shape of minimal two-step shells, though a sloppy admin helper can look similar."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_a = /\$\w{1,30}\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k1_b = /\]\s*\(\s*@?\$_(GET|POST|REQUEST|COOKIE)\s*\[/
    condition:
        (any of ($k1_a, $k1_b) and filesize < 1MB) or SSC_003_011__k2 or SSC_003_011__k3
}
