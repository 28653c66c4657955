rule SSC_003_003
{
    meta:
        id = "SSC-003-003"
        title = "PHP request value called as a function"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "Using a request parameter as the name of the function to call lets the client pick system, assert or any other function, a common compact web-shell idiom."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,40}\]\}?\(/
        $s = /\$_SERVER\s*\[[^\]\n]{1,40}\]\}?\(/
        $b = /\$HTTP_(GET|POST|COOKIE)_VARS\s*\[[^\]\n]{1,40}\]\s*\(/
    condition:
        any of them and filesize < 5MB
}
