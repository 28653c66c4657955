rule SSC_003_047
{
    meta:
        id = "SSC-003-047"
        title = "PHP variable-variable superglobal access feeding eval"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Reading request data as ${$name}['key'] hides which superglobal is used; together with eval/assert it is a common obfuscated one-liner shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $vv = /\$\{\s*\$\w{1,20}\s*\}\s*\[\s*['\"]/
        $vv2 = /(eval|assert)\s*\(\s*(@?\w{1,20}\s*\(\s*){0,2}@?\$\{\s*\$\w{1,20}\s*\}\s*\[/ nocase
        $ev = /(^|[^\w>:$])(eval|assert)\s*\(/ nocase
    condition:
        ($vv2 or ($vv and $ev and filesize < 5KB)) and filesize < 2MB
}
