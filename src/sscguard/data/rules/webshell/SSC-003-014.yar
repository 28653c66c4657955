rule SSC_003_014
{
    meta:
        id = "SSC-003-014"
        title = "PHP command execution together with host-reconnaissance display"
        technique = "T1505.003,T1082"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Pairing a command-execution function with displays of uname, safe_mode, disable_functions, posix user lookups and similar is the signature of interactive web-shell control panels."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $sink = /(^|[^\w>:$])(system|passthru|shell_exec|exec|popen|proc_open)\s*\(/ nocase
        $t0 = "uname -a"
        $t1 = "safe_mode" nocase
        $t2 = /posix_get(pwuid|grgid)/
        $t3 = "disable_functions"
        $t4 = "php_uname"
        $t5 = "/etc/passwd"
        $t6 = "netstat -"
        $t7 = "whoami"
        $t8 = "getmyuid"
        $t9 = "open_basedir"
        $t10 = "ps aux"
        $t11 = "cmd.exe"
        $t12 = "/bin/sh"
        $t13 = "/tmp/"
        $t14 = "ipconfig"
        $t15 = "wget "
        $t16 = "chmod 777"
        $t17 = "id;"
        $t18 = "getcwd"
    condition:
        $sink and 4 of ($t*) and filesize < 5MB
}
