rule SSC_003_029
{
    meta:
        id = "SSC-003-029"
        title = "ASP/ASP.NET upload with client-chosen path plus command execution"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "aspx"
        why = "A page that saves an uploaded file to a request-supplied path and can also start processes combines a dropper with a command shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $sa = /\.SaveAs\s*\(\s*[^;\n]{0,80}Request/
        $sa2 = /\.SaveAs\s*\(/
        $ex = /(Process\s*\.\s*Start|ProcessStartInfo|WScript\.Shell|cmd\.exe)/ nocase
        $req = /Request\s*(\.\s*(Form|QueryString|Params|Item|Files))?\s*[\[\(]/
    condition:
        ($sa or ($sa2 and $req)) and $ex and filesize < 5MB
}
