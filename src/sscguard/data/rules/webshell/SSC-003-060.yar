rule SSC_003_060
{
    meta:
        id = "SSC-003-060"
        title = "ColdFusion file operation on a path taken from the request"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "any"
        why = "A ColdFusion page whose cffile (or fileWrite/fileRead/fileMove) takes its file, source or destination straight from FORM or URL scope lets any visitor read, write or plant files: a CFML file-manager shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $tag = /<cffile\b[^>]{0,400}\b(file|destination|source)\s*=\s*["']\s*#\s*(form|url)\s*\.\s*\w/ nocase
        $fn = /\bfile(write|read|readbinary|copy|move|delete|append|upload)\s*\(\s*(form|url)\s*\.\s*\w/ nocase
    condition:
        any of them and filesize < 2MB
}
