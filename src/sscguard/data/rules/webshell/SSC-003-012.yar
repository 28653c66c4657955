rule SSC_003_012
{
    meta:
        id = "SSC-003-012"
        title = "Web-shell control-panel traits: command runner with host reconnaissance"
        technique = "T1505.003,T1082,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "any"
        why = "A command-execution function combined with uname/safe_mode/disable_functions/posix user displays, a preset menu of reconnaissance commands, or a fallback chain over exec/shell_exec/system/passthru is the signature of interactive web-shell control panels."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_sink = /(^|[^\w>:$])(system|passthru|shell_exec|exec|popen|proc_open)\s*\(/ nocase
        $k1_t0 = "uname -a"
        $k1_t1 = "safe_mode" nocase
        $k1_t2 = /posix_get(pwuid|grgid)/
        $k1_t3 = "disable_functions"
        $k1_t4 = "php_uname"
        $k1_t5 = "/etc/passwd"
        $k1_t6 = "netstat -"
        $k1_t7 = "whoami"
        $k1_t8 = "getmyuid"
        $k1_t9 = "open_basedir"
        $k1_t10 = "ps aux"
        $k1_t11 = "cmd.exe"
        $k1_t12 = "/bin/sh"
        $k1_t13 = "/tmp/"
        $k1_t14 = "ipconfig"
        $k1_t15 = "wget "
        $k1_t16 = "chmod 777"
        $k1_t17 = "getcwd"
        $k2_r0 = "cat /etc/passwd"
        $k2_r1 = "netstat -an"
        $k2_r2 = /find \/ -type f -perm -0?4000/
        $k2_r4 = "cat /proc/version"
        $k2_r5 = "/etc/shadow"
        $k2_r7 = "ps -aux"
        $k2_r8 = "cat /etc/issue"
        $k2_r9 = "locate config"
        $k2_r10 = "ipconfig /all" nocase
        $k2_r11 = "net user" nocase
        $k2_r12 = "tasklist" nocase
        $k2_r13 = "systeminfo" nocase
        $k2_r14 = "ls -la"
        $k2_r15 = "/etc/httpd"
        $k2_r16 = "find / -name"
        $k2_r17 = "which wget"
        $k2_r18 = "net localgroup" nocase
        $k2_r20 = "lsattr"
        $k2_r21 = "/var/cpanel"
        $k2_r22 = "bash_history"
        $k2_srv = /(<\?|<%|\$_(GET|POST|REQUEST)|request\.getParameter|Request\s*[\.\(\[])/
        $k3_f1 = /function_exists\s*\(\s*['\"]exec['\"]/ nocase
        $k3_f2 = /function_exists\s*\(\s*['\"]shell_exec['\"]/ nocase
        $k3_f3 = /function_exists\s*\(\s*['\"]system['\"]/ nocase
        $k3_f4 = /function_exists\s*\(\s*['\"]passthru['\"]/ nocase
        $k3_f5 = /function_exists\s*\(\s*['\"]popen['\"]/ nocase
        $k3_f6 = /function_exists\s*\(\s*['\"]proc_open['\"]/ nocase
        $k3_f7 = /is_callable\s*\(\s*['\"](exec|shell_exec|system|passthru|popen|proc_open)['\"]/ nocase
        $k3_s1 = /[^\w>:$]system\s*\(\s*\"?\$\w/ nocase
        $k3_s2 = /[^\w>:$]exec\s*\(\s*\"?\$\w/ nocase
        $k3_s3 = /[^\w>:$]shell_exec\s*\(\s*\"?\$\w/ nocase
        $k3_s4 = /[^\w>:$]passthru\s*\(\s*\"?\$\w/ nocase
        $k3_s5 = /[^\w>:$]popen\s*\(\s*\"?\$\w/ nocase
        $k3_src = /\$_(GET|POST|REQUEST|COOKIE)\b/
        $k3_esc = /escapeshell(arg|cmd)\s*\(/ nocase
    condition:
        ($k1_sink and 4 of ($k1_t0, $k1_t1, $k1_t2, $k1_t3, $k1_t4, $k1_t5, $k1_t6, $k1_t7, $k1_t8, $k1_t9, $k1_t10, $k1_t11, $k1_t12, $k1_t13, $k1_t14, $k1_t15, $k1_t16, $k1_t17) and filesize < 5MB)
        or ($k2_srv and 4 of ($k2_r0, $k2_r1, $k2_r2, $k1_t0, $k2_r4, $k2_r5, $k1_t10, $k2_r7, $k2_r8, $k2_r9, $k2_r10, $k2_r11, $k2_r12, $k2_r13, $k2_r14, $k2_r15, $k2_r16, $k2_r17, $k2_r18, $k1_t7, $k2_r20, $k2_r21, $k2_r22) and filesize < 5MB)
        or ((3 of ($k3_f1, $k3_f2, $k3_f3, $k3_f4, $k3_f5, $k3_f6, $k3_f7) or (3 of ($k3_s1, $k3_s2, $k3_s3, $k3_s4, $k3_s5, $k3_src) and $k3_src and not $k3_esc)) and filesize < 5MB)
}
