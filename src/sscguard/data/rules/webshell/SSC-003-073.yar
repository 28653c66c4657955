rule SSC_003_073
{
    meta:
        id = "SSC-003-073"
        title = "SQL that writes PHP code or a native library into a file (INTO OUTFILE/DUMPFILE, UDF)"
        technique = "T1505.003,T1505.001,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "any"
        why = "A SELECT of PHP code (plain or hex) INTO OUTFILE/DUMPFILE plants a web shell through the database server, and CREATE FUNCTION ... SONAME loads a native library into MySQL: both are how attackers turn database access into code execution."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it, remove any library or file it wrote (plugin directory, /tmp), and rotate credentials reachable from the web server."
    strings:
        $code = /select\s[^\n]{0,40}['"]\s*<\?(php|=|\s)[^\n]{0,800}into\s+(out|dump)file/ nocase
        $hex = /select\s+0x3c3f[0-9a-f]{16,}[^\n]{0,200}into\s+(out|dump)file/ nocase
        $udf = /create\s+function\s+\S{1,40}\s+returns\s+(string|integer|int|real|decimal)\s+soname\s/ nocase
    condition:
        any of them and filesize < 5MB
}
