rule SSC_003_029
{
    meta:
        id = "SSC-003-029"
        title = "Adminer-like single-file database administration tool"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1042,M1047"
        severity = "low"
        confidence = "medium"
        language = "php"
        why = "A single-file database manager is legitimate software but is also dropped by attackers to browse and dump databases; confirm it was installed on purpose."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $ad = /\bAdminer\b/
        $dr1 = "mysqli" nocase
        $dr2 = "pg_connect"
        $dr3 = "sqlite" nocase
        $dr4 = "oci_connect"
        $sql = "information_schema" nocase
    condition:
        $ad and 2 of ($dr*) and $sql and filesize > 50KB
}
