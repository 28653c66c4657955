rule SSC_003_022
{
    meta:
        id = "SSC-003-022"
        title = "ASP WScript.Shell command execution with Request input"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "asp"
        why = "Creating WScript.Shell or Shell.Application and calling Exec/Run/ShellExecute in a page that reads Request values gives remote command execution."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $ws = "WScript.Shell" nocase
        $sa = "Shell.Application" nocase
        $ws2 = /wscript\s*\.\s*shell/ nocase
        $run = /\.\s*(exec|run|shellexecute)\s*\(?/ nocase
        $req = /request\s*(\.\s*(form|querystring|item|cookies))?\s*[\(\[]/ nocase
    condition:
        ($ws or $sa or $ws2) and $run and $req and filesize < 5MB
}
