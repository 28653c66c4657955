rule SSC_003_041
{
    meta:
        id = "SSC-003-041"
        title = "Perl CGI runs commands taken from the request"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "any"
        why = "A Perl CGI script that parses request parameters and runs them through system, exec, backticks or a pipe open is a CGI command shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $cgi = /(ReadParse|QUERY_STRING|CONTENT_LENGTH|REQUEST_METHOD|param\( ?['\"]\w{1,20}['\"] ?\)|STDIN ?,)/
        $run = /(`\$\w{1,20}|\bsystem ?\(? ?\$\w|\bexec ?\(? ?\$\w|open ?\(? ?\w{1,12} ?, ?['\"]? ?\$\w{1,20}[^\n]{0,30}\|)/
        $pl = /(#!\s*\/usr\/(local\/)?bin\/perl|use\s+CGI\b|print\s+['\"]Content-type)/ nocase
    condition:
        $pl and $cgi and $run and filesize < 2MB
}
