rule SSC_003_004
{
    meta:
        id = "SSC-003-004"
        title = "PHP callback function used to run a request-chosen or hidden function"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "A callback-taking function (array_map, call_user_func, usort, register_shutdown_function, array_udiff and similar) receives a callable taken from the request, decoded from a string, or named as assert/system; this runs arbitrary functions without writing eval or system directly."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_a = /(^|[^\w>:$])(array_map|call_user_func|call_user_func_array|register_shutdown_function|register_tick_function|ob_start|forward_static_call|forward_static_call_array|set_error_handler|set_exception_handler|spl_autoload_register|header_register_callback|session_set_save_handler)\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k1_b = /(^|[^\w>:$])(array_filter|array_walk|array_walk_recursive|array_reduce|usort|uasort|uksort|iterator_apply|array_udiff|array_uintersect|array_diff_ukey|array_intersect_ukey|preg_replace_callback|mb_ereg_replace_callback)\s*\([^;,\n]{1,80},\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k1_spread = /(usort|uasort|uksort|array_map|array_filter|array_walk|call_user_func|call_user_func_array|register_shutdown_function|iterator_apply)\s*\(\s*\.\.\.\s*\$_(GET|POST|REQUEST|COOKIE)/ nocase
        $k1_last = /(array_udiff|array_udiff_assoc|array_uintersect|array_intersect_ukey|array_diff_ukey|array_intersect_uassoc|array_diff_uassoc|array_udiff_uassoc|array_uintersect_uassoc)\s*\([^;]{1,200},\s*@?(\(string\)\s*)?\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,30}\]\s*\)\s*;/ nocase
        $k1_refl = /new\s+ReflectionFunction\s*\(\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k2_a = /(array_map|call_user_func|call_user_func_array|register_shutdown_function|register_tick_function|forward_static_call|forward_static_call_array|ob_start|set_error_handler)\s*\(\s*['\"]?(assert|system|passthru|shell_exec|exec|popen|create_function|pcntl_exec)\b['\"]?\s*[,)]/ nocase
        $k2_b = /(array_map|call_user_func|call_user_func_array|register_shutdown_function|array_filter|array_walk|usort|uasort|uksort|iterator_apply)\s*\([^;\n]{0,60}['\"][a-z_]{0,10}(\\x[0-9a-fA-F]{2}|\\[0-7]{3})[a-z_\\0-9]{0,30}['\"]/ nocase
        $k2_c = /(array_filter|array_walk|array_walk_recursive|usort|uasort|uksort|array_reduce|iterator_apply|array_udiff|array_udiff_assoc|array_udiff_uassoc|array_uintersect|array_uintersect_assoc|array_intersect_ukey|array_diff_ukey|array_intersect_uassoc|array_diff_uassoc)\s*\([^;\n]{1,150},\s*['\"](assert|system|passthru|shell_exec|exec|create_function)['\"]\s*[,)]/ nocase
        $k3_d1 = /(^|[^\w>:$])(array_map|call_user_func|call_user_func_array|register_shutdown_function|register_tick_function|ob_start|forward_static_call|forward_static_call_array|set_error_handler|set_exception_handler|spl_autoload_register|header_register_callback|session_set_save_handler)\s*\(\s*@?(base64_decode|str_rot13|strrev|gzinflate|hex2bin|urldecode|rawurldecode|pack)\s*\(\s*[$'"@]/ nocase
        $k3_d2 = /(^|[^\w>:$])(array_filter|array_walk|array_walk_recursive|array_reduce|usort|uasort|uksort|iterator_apply|array_udiff|array_uintersect|array_diff_ukey|array_intersect_ukey|preg_replace_callback|mb_ereg_replace_callback)\s*\([^;\n]{1,100},\s*@?(base64_decode|str_rot13|strrev|gzinflate|hex2bin|urldecode|rawurldecode|pack)\s*\(\s*[$'"@]/ nocase
        $k3_v1 = /(^|[^\w>:$])(array_map|call_user_func|call_user_func_array|register_shutdown_function|register_tick_function|ob_start|forward_static_call|forward_static_call_array|set_error_handler|set_exception_handler|spl_autoload_register|header_register_callback|session_set_save_handler)\s*\(\s*\$\w{1,20}\s*,\s*(['\"][^'\"\n]{0,20}['\"]\s*\.\s*)?(@?\w{1,24}\s*\(\s*){0,3}@?['\"]?\{?(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)/ nocase
        $k3_v2 = /(^|[^\w>:$])(array_udiff|array_udiff_assoc|array_uintersect|array_intersect_ukey|array_diff_ukey|array_intersect_uassoc|array_diff_uassoc|array_walk|usort|uasort|uksort)\s*\(\s*(array\s*\(|\[)\s*(\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE)_VARS|\$HTTP_RAW_POST_DATA|getallheaders\s*\(|apache_request_headers\s*\(|php:\/\/input)[^;\n]{0,100},\s*\$\w{1,20}\s*\)/ nocase
    condition:
        (any of ($k1_a, $k1_b, $k1_spread, $k1_last, $k1_refl) and filesize < 5MB)
        or (any of ($k2_a, $k2_b, $k2_c) and filesize < 5MB)
        or (any of ($k3_d1, $k3_d2, $k3_v1, $k3_v2) and filesize < 2MB)
}
