rule SSC_003_030
{
    meta:
        id = "SSC-003-030"
        title = "Single-file PHP file manager"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1042,M1047"
        severity = "low"
        confidence = "low"
        language = "php"
        why = "A self-contained PHP file manager (browse, upload, edit, delete, chmod) is dual-use: common as an admin tool, also dropped by attackers for file access."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $f0 = /\bscandir\s*\(|\bopendir\s*\(/
        $f1 = /\bunlink\s*\(/
        $f2 = /\brename\s*\(/
        $f3 = /\bchmod\s*\(/
        $f4 = /move_uploaded_file\s*\(/
        $f5 = /file_put_contents\s*\(|fwrite\s*\(/
        $f6 = /fileperms\s*\(/
        $f7 = /disk_free_space\s*\(/
        $f8 = /\bmkdir\s*\(/
        $f9 = /\brmdir\s*\(/
        $f10 = /readfile\s*\(/
        $f11 = /ZipArchive/
        $src = /\$_(GET|POST|REQUEST)\s*\[/
        $html = "<html" nocase
    condition:
        8 of ($f*) and $src and $html
}
