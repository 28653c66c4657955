rule SSC_003_026
{
    meta:
        id = "SSC-003-026"
        title = "ASP.NET JScript eval of Request data"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "aspx"
        why = "JScript.NET eval of Request values (often with the \"unsafe\" flag) executes arbitrary .NET code sent by the client, the China Chopper style ASPX one-liner."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /(^|[^\w.])eval\s*\(\s*(\w{1,30}\s*\(\s*){0,2}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies))?\s*\[/ nocase
        $b = /eval\s*\([^;\n]{0,120},\s*['\"]unsafe['\"]\s*\)/ nocase
        $js = /(<%@\s*\w{0,12}\s+Language\s*=\s*['\"]?\s*Jscript|language\s*=\s*['\"]?JScript['\"]?\s*runat|runat\s*=\s*['\"]?server['\"]?\s*language\s*=\s*['\"]?JScript)/ nocase
        $ev = /eval\s*\(/ nocase
        $ev2 = /eval\s*\(\s*\w{1,20}\s*,\s*\w{1,20}\s*\)/
        $uns = /['\"]u['\"]?\s*\+\s*['\"]?n|['\"]uns['\"]|['\"]unsa['\"]|\\x75\\x6E\\x73/ nocase
        $in = /(Request|FromBase64String)/
    condition:
        ($a or $b or ($js and (($ev and ($in or $uns)) or $ev2))) and filesize < 5MB
}
