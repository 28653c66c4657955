rule SSC_003_028
{
    meta:
        id = "SSC-003-028"
        title = "Web page with a command form, preformatted output and a command sink"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "any"
        why = "A form field named cmd/command, output printed in <pre> and a process-execution call in the same server-side file are the user interface of a command web shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $f = /name\s*=\s*\\?['\"]?(cmd|command|cmdline|execute|exec|c|shell)\\?['\"]?[\s>\/]/ nocase
        $pre = "<pre" nocase
        $tx = "<textarea" nocase
        $s1 = /(^|[^\w>:$])(system|passthru|shell_exec|exec|popen|proc_open)\s*\(/ nocase
        $s2 = /getRuntime\s*\(\s*\)\s*\.\s*exec/
        $s3 = "ProcessStartInfo"
        $s4 = /Process\s*\.\s*Start\s*\(/
        $s5 = "WScript.Shell" nocase
        $s6 = /new\s+ProcessBuilder/
    condition:
        $f and ($pre or $tx) and any of ($s*) and filesize < 5MB
}
