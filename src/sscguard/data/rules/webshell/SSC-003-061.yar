rule SSC_003_061
{
    meta:
        id = "SSC-003-061"
        title = "ColdFusion query whose whole SQL text comes from the request"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "any"
        why = "A cfquery (or queryExecute) whose entire statement is a FORM or URL variable runs any SQL a visitor sends, with the datasource's rights: a CFML database shell, not an application query."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $tag = /<cfquery\b[^>]{0,400}>\s*#\s*(form|url)\s*\.\s*\w{1,40}\s*#\s*<\/cfquery/ nocase
        $fn = /\bqueryexecute\s*\(\s*(form|url)\s*\.\s*\w{1,40}\s*[,)]/ nocase
    condition:
        any of them and filesize < 2MB
}
