rule SSC_003_038
{
    meta:
        id = "SSC-003-038"
        title = "SQL Server command shell (xp_cmdshell / sp_oacreate) driven from a web page"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "any"
        why = "A web page that sends xp_cmdshell or sp_OACreate/wscript.shell calls to SQL Server runs operating-system commands through the database, a standard web-shell feature."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $x1 = "xp_cmdshell" nocase
        $x2 = "sp_oacreate" nocase
        $x3 = "sp_oamethod" nocase
        $req = /(\$_(GET|POST|REQUEST)|request\s*\.\s*getParameter|Request\s*(\.\s*(Form|QueryString|Item|Params))?\s*[\(\[]|\.Text\b)/ nocase
        $srv = /(<%|<\?|runat\s*=)/ nocase
    condition:
        $srv and ($x1 or ($x2 and $x3)) and $req and filesize < 5MB
}
