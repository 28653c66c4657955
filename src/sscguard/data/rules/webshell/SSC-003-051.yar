rule SSC_003_051
{
    meta:
        id = "SSC-003-051"
        title = "ASP.NET page runs a process from form input and shows its output"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "aspx"
        why = "An ASP.NET page that starts a process, redirects its standard output back to the response and takes the command from a text box or request field is a command shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $proc = /(ProcessStartInfo|new\s+(System\.Diagnostics\.)?Process\s*\(|Process\s*\.\s*Start)/
        $redir = "RedirectStandardOutput"
        $out = "StandardOutput"
        $in = /(\w\s*\.\s*Text\b|Request\s*[\[\(\.])/ nocase
        $page = /(<%@\s*(Page|WebHandler|WebService|Control)|runat\s*=\s*['\"]?server)/ nocase
    condition:
        $page and $proc and $redir and $out and $in and filesize < 5MB
}
