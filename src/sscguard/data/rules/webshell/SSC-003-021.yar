rule SSC_003_021
{
    meta:
        id = "SSC-003-021"
        title = "ASP Execute/Eval of Request data"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "asp"
        why = "Classic ASP Execute, ExecuteGlobal or Eval on Request values runs any VBScript/JScript the client sends, the classic one-line ASP shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /(^|[^\w.])(execute|executeglobal|eval)\s*\(?\s*(\w{1,20}\s*\(\s*){0,2}request\s*(\.\s*(form|querystring|item|cookies|servervariables))?\s*[\(\[]/ nocase
        $s = /(^|[^\w.])(execute|executeglobal|eval)\s*\(?\s*session\s*\(/ nocase
        $sc = /ScriptControl[^\n]{0,300}\n?[^\x00]{0,600}(ExecuteStatement|\.Eval|AddCode)\s*\(?[^\n]{0,40}request/ nocase
    condition:
        any of them and filesize < 5MB
}
