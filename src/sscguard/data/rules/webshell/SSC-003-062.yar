rule SSC_003_062
{
    meta:
        id = "SSC-003-062"
        title = "ColdFusion page starts processes through java.lang.Runtime or ProcessBuilder"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "any"
        why = "CFML that creates java.lang.Runtime or java.lang.ProcessBuilder, starts a process with it and reads FORM or URL input runs operating-system commands for a visitor, bypassing a disabled cfexecute."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $rt = /createobject\s*\(\s*["']java["']\s*,\s*["']java\.lang\.(runtime|processbuilder)["']/ nocase
        $run = /(\.exec\s*\(|\.start\s*\(\s*\))/ nocase
        $req = /\b(form|url)\s*\.\s*\w/ nocase
        $cf = /<cf(set|script|output|if|param)\b/ nocase
    condition:
        $rt and $run and $req and $cf and filesize < 2MB
}
