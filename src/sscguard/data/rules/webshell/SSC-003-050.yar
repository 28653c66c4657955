rule SSC_003_050
{
    meta:
        id = "SSC-003-050"
        title = "Script-encoded classic ASP page"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "asp"
        why = "VBScript.Encode/JScript.Encode pages are unreadable without decoding; modern applications rarely ship them but web shells use them to hide content, so decode and review."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $lang = /language\s*=\s*['\"]?\s*(vbscript|jscript)\.encode/ nocase
        $mark = "#@~^"
    condition:
        $lang and $mark and filesize < 5MB
}
