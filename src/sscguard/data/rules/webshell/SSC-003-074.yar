rule SSC_003_074
{
    meta:
        id = "SSC-003-074"
        title = "PHP re-downloads files over the application and copies their timestamps"
        technique = "T1505.003,T1105,T1036"
        data_component = "DS0022 File Modification"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "A page that runs curl/wget to write a downloaded file and touch -r to give it another file's timestamp replaces application files with remote copies and hides the change from date-based checks: a re-infector that puts a removed backdoor or skimmer back."
        remediation = "Take the file offline, restore every file it names from a known-good copy of the application (check their contents, not their dates), find the scheduled task or include that runs it, and rotate credentials reachable from the web server."
    strings:
        $touch = /(shell_exec|system|exec|passthru|popen|proc_open)\s*\(\s*["']touch\s+-r\s/ nocase
        $fetch = /(shell_exec|system|exec|passthru|popen|proc_open)\s*\(\s*["'](curl|wget)\s[^;]{0,60}-[oO]\s/ nocase
    condition:
        $touch and $fetch and filesize < 5MB
}
