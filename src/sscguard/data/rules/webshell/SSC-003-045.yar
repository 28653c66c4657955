rule SSC_003_045
{
    meta:
        id = "SSC-003-045"
        title = "PHP callback function given an execution sink by name"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Passing assert, eval-like or command functions by name (often hex-escaped) to call_user_func, array_map or usort is a way to call them without writing a direct call."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /(array_map|call_user_func|call_user_func_array|register_shutdown_function|register_tick_function|forward_static_call|forward_static_call_array|ob_start|set_error_handler)\s*\(\s*['\"]?(assert|system|passthru|shell_exec|exec|popen|create_function|pcntl_exec)\b['\"]?\s*[,)]/ nocase
        $b = /(array_map|call_user_func|call_user_func_array|register_shutdown_function|array_filter|array_walk|usort|uasort|uksort|iterator_apply)\s*\([^;\n]{0,60}['\"][a-z_]{0,10}(\\x[0-9a-fA-F]{2}|\\[0-7]{3})[a-z_\\0-9]{0,30}['\"]/ nocase
        $c = /(array_filter|array_walk|array_walk_recursive|usort|uasort|uksort|array_reduce|iterator_apply|array_udiff|array_udiff_assoc|array_udiff_uassoc|array_uintersect|array_uintersect_assoc|array_intersect_ukey|array_diff_ukey|array_intersect_uassoc|array_diff_uassoc)\s*\([^;\n]{1,150},\s*['\"](assert|system|passthru|shell_exec|exec|create_function)['\"]\s*[,)]/ nocase
    condition:
        any of them and filesize < 5MB
}
