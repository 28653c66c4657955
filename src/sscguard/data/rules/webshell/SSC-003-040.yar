rule SSC_003_040
{
    meta:
        id = "SSC-003-040"
        title = "ColdFusion cfexecute driven by form or URL input"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "any"
        why = "A ColdFusion page whose <cfexecute> runs a command taken from FORM or URL scope is a CFML command shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $ex = /<cfexecute\b[^>]{0,200}#/ nocase
        $isdef = /isdefined\s*\(\s*['\"](form|url)\./ nocase
    condition:
        $ex and $isdef and filesize < 2MB
}
