rule SSC_003_019
{
    meta:
        id = "SSC-003-019"
        title = "JSP script engine evaluating request input"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "jsp"
        why = "Handing request data to a Java ScriptEngine (JavaScript/Nashorn) evaluates attacker code with full access to the JVM, a known JSP shell technique."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $eng = /(getEngineByName\s*\(\s*['\"](js|javascript|nashorn|ecmascript|rhino|groovy)['\"]|JShell\s*\.\s*(builder|create)|GroovyShell|ELProcessor)/ nocase
        $ev = /\.eval\s*\(/
        $req = /(request|getRequest\s*\(\s*\))\s*\.\s*(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getInputStream|getReader|getQueryString|getCookies|getPart)\s*\(/
        $evreq = /\.eval\s*\(\s*(\w{1,30}\s*\(\s*){0,2}request\s*\.\s*get/
        $fr = /(FileReader|getResourceAsStream|getRealPath)/
    condition:
        $eng and ($evreq or ($ev and $req and not $fr)) and filesize < 2MB
}
