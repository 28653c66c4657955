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
        $t2 = "posix_getpwuid"
        $t3 = "posix_getgrgid"
        $t4 = "disable_functions"
        $t5 = "php_uname"
        $t6 = "/etc/passwd"
        $t7 = "netstat -"
        $t8 = "whoami"
        $t9 = "getmyuid"
        $t10 = "open_basedir"
        $t11 = "ps aux"
        $t12 = "cmd.exe"
        $t13 = "/bin/sh"
        $t14 = "/tmp/"
        $t15 = "ipconfig"
        $t16 = "wget "
        $t17 = "chmod 777"
        $t18 = "id;"
        $t19 = "getcwd"
    condition:
        $sink and 4 of ($t*) and filesize < 5MB
}
