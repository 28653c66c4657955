rule SSC_003_063
{
    meta:
        id = "SSC-003-063"
        title = "ColdFusion cfexecute with its command or arguments from the request"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "any"
        why = "A cfexecute (tag or script form) whose program or arguments are written with a FORM or URL variable runs whatever command a visitor sends."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $tag = /<cfexecute\b[^>]{0,400}\b(name|arguments)\s*=\s*["'][^"'>]{0,200}#[^#"'>]{0,80}\b(form|url)\s*\.\s*\w/ nocase
        $fn = /\bcfexecute\s*\([^)]{0,200}\b(name|arguments)\s*=\s*[^,)]{0,80}\b(form|url)\s*\.\s*\w/ nocase
    condition:
        any of them and filesize < 2MB
}
