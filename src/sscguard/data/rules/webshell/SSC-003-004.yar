rule SSC_003_004
{
    meta:
        id = "SSC-003-004"
        title = "PHP callback function given a request-chosen callable"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "A callback-taking function (array_map, call_user_func, usort, register_shutdown_function and similar) whose callable comes from the request executes any function the client names, a way shells avoid the words eval and system."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /(^|[^\w>:$])(array_map|call_user_func|call_user_func_array|register_shutdown_function|register_tick_function|ob_start|forward_static_call|forward_static_call_array|set_error_handler|set_exception_handler|spl_autoload_register|header_register_callback|session_set_save_handler)\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $b = /(^|[^\w>:$])(array_filter|array_walk|array_walk_recursive|array_reduce|usort|uasort|uksort|iterator_apply|array_udiff|array_uintersect|array_diff_ukey|array_intersect_ukey|preg_replace_callback|mb_ereg_replace_callback)\s*\([^;,\n]{1,80},\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
    condition:
        any of them and filesize < 5MB
}
