rule SSC_003_043
{
    meta:
        id = "SSC-003-043"
        title = "PHP string literals XOR-ed together to build code"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "XOR between quoted string literals (\"~+d()\"^\"!{+{}\") is how 'no letters' PHP shells build names like _POST or assert without writing them."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $x = /['\"][^'\"\n,]{1,30}['\"] ?\^ ?['\"][^'\"\n,]{1,30}['\"]/
    condition:
        (#x >= 2 or ($x and filesize < 2KB)) and filesize < 2MB
}
