rule SSC_003_033
{
    meta:
        id = "SSC-003-033"
        title = "PHP request array spread into variables then called dynamically"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "php"
        why = "extract() or parse_str() over request data lets the client set local variables, and a following $a($b) call turns that into choosing and running any function."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $ex = /(extract|parse_str)\s*\(\s*\$_(GET|POST|REQUEST|COOKIE|SERVER)/ nocase
        $call = /(extract|parse_str)\s*\(\s*\$_(GET|POST|REQUEST|COOKIE|SERVER)[^\n]{0,30}\)[^\x00]{0,400}\$\w{1,20}\s*\(\s*\$\w{1,20}\s*(\[[^\]\n]{1,20}\]\s*)?\)/ nocase
    condition:
        $ex and $call and filesize < 12KB
}
