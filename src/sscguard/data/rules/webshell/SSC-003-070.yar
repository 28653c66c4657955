rule SSC_003_070
{
    meta:
        id = "SSC-003-070"
        title = "Script carries a native executable or shared library (UDF or LD_PRELOAD payload)"
        technique = "T1505.003,T1505.001,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "A PHP page that holds a Windows PE or Linux ELF binary as a hex or base64 literal is the payload carrier of a MySQL UDF injector or an LD_PRELOAD disable_functions bypass: web applications do not ship compiled libraries inside their source."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it, remove any library or file it wrote (plugin directory, /tmp), and rotate credentials reachable from the web server."
    strings:
        $php = /<\?(php|=|\s)/ nocase
        $hex_pe = /0x4d5a[0-9a-f]{500}/ nocase
        $hex_elf = /0x7f454c460[12]01[0-9a-f]{400}/ nocase
        $b64_pe = "TVqQAAMAAAAEAAAA"
        $b64_elf = /f0VMRg[EI]BA[QA]/
        $esc_elf = /\\x7fELF\\x0[12]\\x01/ nocase
    condition:
        $php and any of ($hex_pe, $hex_elf, $b64_pe, $b64_elf, $esc_elf) and filesize < 8MB
}
