rule SSC_003_048
{
    meta:
        id = "SSC-003-048"
        title = "Small ASP page evaluates a variable holding Request data"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "asp"
        why = "A short classic ASP page that copies a Request value into a variable and runs it with Eval/Execute is a one-line shell split in two to dodge signatures."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $ex = /(^|[^\w.])(eval|execute|executeglobal)\s*\(?\s*[a-z_]\w{0,20}\s*\)?\s*(%>|\r|\n|:|;|\+|')/ nocase
        $js = /\{\s*['\"]?\w{1,10}['\"]?\s*:\s*eval\s*\}/ nocase
        $req = /request\s*(\.\s*(form|querystring|item|cookies))?\s*[\(\[]/ nocase
        $asp = /<%|runat\s*=\s*['\"]?server/ nocase
    condition:
        $asp and $req and ($ex or $js) and filesize < 6KB
}
