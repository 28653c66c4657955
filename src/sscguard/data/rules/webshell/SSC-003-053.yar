rule SSC_003_053
{
    meta:
        id = "SSC-003-053"
        title = "Small PHP file calls a variable function with request data"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "php"
        why = "A tiny PHP file that reads request parameters into variables and then calls one variable as a function with another as argument ($f($c)) is a minimal two-step shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $call = /\$\w{1,20}\s*\(\s*\$\w{1,20}\s*(\[[^\]\n]{1,20}\]\s*)?\)\s*;/
        $cb = /(usort|uasort|uksort|array_map|array_filter|array_walk|call_user_func|call_user_func_array)\s*\([^;\n]{0,60}\$\w{1,20}\s*\)\s*;/ nocase
        $src = /\$\w{1,20}\s*=\s*@?\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,20}\]\s*;/
        $php = "<?"
    condition:
        $php and $src and ($call or $cb) and filesize < 1500
}
