rule SSC_003_036
{
    meta:
        id = "SSC-003-036"
        title = "Pre-set host reconnaissance command list"
        technique = "T1505.003,T1082"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "any"
        why = "A server-side file carrying a menu of reconnaissance commands (cat /etc/passwd, find suid files, netstat, net user, ...) is a web-shell control panel."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $r0 = "cat /etc/passwd"
        $r1 = "netstat -an"
        $r2 = /find \/ -type f -perm -0?4000/
        $r3 = "uname -a"
        $r4 = "cat /proc/version"
        $r5 = "/etc/shadow"
        $r6 = "ps aux"
        $r7 = "ps -aux"
        $r8 = "cat /etc/issue"
        $r9 = "locate config"
        $r10 = "ipconfig /all" nocase
        $r11 = "net user" nocase
        $r12 = "tasklist" nocase
        $r13 = "systeminfo" nocase
        $r14 = "ls -la"
        $r15 = "id;"
        $r16 = "/etc/httpd"
        $r17 = "find / -name"
        $r18 = "which wget"
        $r19 = "net localgroup" nocase
        $r20 = "whoami"
        $r21 = "lsattr"
        $r22 = "/var/cpanel"
        $r23 = "bash_history"
        $srv = /(<\?|<%|\$_(GET|POST|REQUEST)|request\.getParameter|Request\s*[\.\(\[])/
    condition:
        $srv and 4 of ($r*) and filesize < 5MB
}
