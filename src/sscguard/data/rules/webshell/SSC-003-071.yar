rule SSC_003_071
{
    meta:
        id = "SSC-003-071"
        title = "PHP disable_functions or safe_mode bypass exploit"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "The page preloads its own shared library into a program PHP starts (LD_PRELOAD with mail/error_log/proc_open), calls libc through FFI, abuses imap_open's ProxyCommand, patches PHP's own system() handler in memory, or reads safe_mode error messages as a file-name oracle: each exists only to run commands or read files the server's PHP configuration forbids."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it, remove any library or file it wrote (plugin directory, /tmp), and rotate credentials reachable from the web server."
    strings:
        $php = /<\?(php|=|\s)/ nocase
        $ld_putenv = /putenv\s*\(\s*["']LD_PRELOAD\s*=/ nocase
        $ld_env = /["']LD_PRELOAD["']\s*=>/ nocase
        $ld_trigger = /(^|[^\w$>:])(mail|mb_send_mail|error_log|imap_mail|proc_open|gnupg_init)\s*\(|new\s+imagick\s*\(/ nocase
        $zif = "zif_system"
        $basic = "basic_functions"
        $ffi = /FFI::cdef\s*\(\s*["'][^"']{0,200}\b(system|popen|execve?|execl)\s*\(/ nocase
        $imap = /imap_open\s*\(/ nocase
        $proxy = "-oProxyCommand" nocase
        $oracle = /preg_match\s*\(\s*["'].{0,12}(safe\\?\s*mode|open_basedir)\\?\s*restriction/ nocase
        $handler = /set_error_handler\s*\(/ nocase
    condition:
        filesize < 5MB and (
            ($php and ($ld_putenv or $ld_env) and $ld_trigger)
            or ($zif and $basic)
            or $ffi
            or ($imap and $proxy)
            or ($oracle and $handler)
        )
}
