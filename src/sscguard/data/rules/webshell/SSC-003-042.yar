rule SSC_003_042
{
    meta:
        id = "SSC-003-042"
        title = "JSP source hidden behind ASCII \\u escapes"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "jsp"
        why = "Writing plain ASCII Java code as long runs of \\u00XX escapes makes a JSP unreadable to people and scanners while the compiler still runs it; it is used to hide shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $u = /(\\u00[2-7][0-9a-fA-F]){20}/
        $jsp = /<%|jsp:(scriptlet|declaration)/
    condition:
        $u and $jsp and filesize < 5MB
}
