rule SSC_003_016
{
    meta:
        id = "SSC-003-016"
        title = "Known web-shell family name inside server-side code"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "any"
        why = "The file carries the name or banner of a public web-shell family (c99, r57, WSO/FilesMan, b374k, JspSpy, ASPXSpy and others) alongside server-side request handling."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $m0 = "c99shell" nocase
        $m1 = "r57shell" nocase
        $m2 = "FilesMan"
        $m3 = "b374k" nocase
        $m4 = "IndoXploit" nocase
        $m5 = "JspSpy" nocase
        $m6 = "ASPXSpy" nocase
        $m7 = "phpspy" nocase
        $m8 = "Safe0ver" nocase
        $m9 = /WSO [0-9]\.[0-9]/
        $m10 = "MyShell" nocase
        $m11 = "Sh3ll" nocase
        $m12 = "SimAttacker" nocase
        $m13 = "c100 shell" nocase
        $m14 = "Locus7s" nocase
        $m15 = "PHPJackal" nocase
        $m16 = "NIX REMOTE WEB" nocase
        $m17 = "Antichat" nocase
        $m18 = "Dive Shell" nocase
        $m19 = "AK-74 Security" nocase
        $m20 = "ZehirIV" nocase
        $m21 = "zehirhacker" nocase
        $m22 = "BloodSecurity" nocase
        $req = /(\$_(GET|POST|REQUEST|COOKIE|SERVER)|request\s*\.\s*getParameter|Request\s*[\.\(\[])/
    condition:
        any of ($m*) and $req and filesize < 5MB
}
