rule SSC_003_072
{
    meta:
        id = "SSC-003-072"
        title = "PHP runs a program with the visitor's own socket address (findsock shell)"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "A command built from the client's REMOTE_PORT hands the visitor's own TCP connection to a helper program that attaches a shell to it (a findsock shell): no application passes the client port to the operating system."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it, remove any library or file it wrote (plugin directory, /tmp), and rotate credentials reachable from the web server."
    strings:
        $run = /(^|[^\w$>:])(system|exec|passthru|shell_exec|popen|proc_open|pcntl_exec)\s*\([^;]{0,300}(\$_SERVER\s*\[\s*["']REMOTE_PORT|getenv\s*\(\s*["']REMOTE_PORT)/ nocase
    condition:
        $run and filesize < 5MB
}
