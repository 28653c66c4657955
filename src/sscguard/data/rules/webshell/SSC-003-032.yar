rule SSC_003_032
{
    meta:
        id = "SSC-003-032"
        title = "PHP command function fed by a request-derived variable in a shell-style page"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "php"
        why = "A command-execution call whose argument is a variable, next to request reads and a 2>&1 stderr merge or a cd-and-run idiom, is how interactive PHP shells run typed commands."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $sink = /(^|[^\w>:$])(system|passthru|shell_exec|exec|popen|proc_open)\s*\(\s*@?"?\$\w/ nocase
        $merge = /2>&1|2&gt;&amp;1|2>\/dev\/stdout/
        $cd = /['\"]cd\s+['\"]?\s*\./
        $src = /\$_(GET|POST|REQUEST|COOKIE)\b/
        $esc = /escapeshell(arg|cmd)\s*\(/ nocase
    condition:
        $sink and $src and ($merge or $cd) and not $esc and filesize < 5MB
}
