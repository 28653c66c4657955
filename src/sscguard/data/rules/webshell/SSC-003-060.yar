rule SSC_003_060
{
    meta:
        id = "SSC-003-060"
        title = "ASP page switched to the UTF-7 code page"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "asp"
        why = "Declaring codepage 65000 (UTF-7) lets a page spell eval/execute with +-encoded characters that scanners do not read; legitimate pages have no reason to use it."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $cp = /<%@\s*codepage\s*=\s*65000/ nocase
        $c2 = /codepage\s*=\s*65000/ nocase
        $plus = /[a-z]\+[A-Za-z0-9]{1,4}-[a-z]/
    condition:
        ($cp or $c2) and $plus and filesize < 2MB
}
