rule SSC_003_026
{
    meta:
        id = "SSC-003-026"
        title = "ASP.NET process start with Request input"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "aspx"
        why = "An ASP.NET page or handler that starts processes (Process.Start/ProcessStartInfo, typically cmd.exe /c) in a file that reads Request values is a .NET command shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $ps = /Process\s*\.\s*Start\s*\(/
        $psi = "ProcessStartInfo"
        $np = /new\s+(System\.Diagnostics\.)?Process\s*\(\s*\)/
        $fn = /StartInfo\s*\.\s*FileName/
        $req = /Request\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies))?\s*[\[\(]/
        $req2 = /Request\s*\.\s*(Form|QueryString|Params|Item|Headers|Cookies)\s*\.\s*Get\s*\(/
        $net = /<%@\s*(Page|WebHandler|WebService|Control)|using\s+System|System\.Diagnostics/ nocase
    condition:
        ($ps or $psi or ($np and $fn)) and ($req or $req2) and $net and filesize < 5MB
}
