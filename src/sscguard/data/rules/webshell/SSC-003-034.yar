rule SSC_003_034
{
    meta:
        id = "SSC-003-034"
        title = "JSP reflective lookup of process-execution classes"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "jsp"
        why = "Reaching java.lang.Runtime, ProcessBuilder or ProcessImpl through Class.forName/reflection in a page that reads request input is how JSP shells hide command execution from simple scanners."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $fn = /forName\s*\(\s*['\"]java\.lang\.(Runtime|ProcessBuilder|ProcessImpl|UNIXProcess)/
        $sp = /['\"]java\.l['\"]?\s*\+\s*['\"]ang|['\"]Run['\"]\s*\+\s*['\"]time|['\"]ex['\"]\s*\+\s*['\"]ec['\"]/
        $gm = /getMethod\s*\(\s*['\"](exec|start|getRuntime)['\"]/
        $gdm = /getDeclaredMethod\s*\(\s*['\"](exec|start|forkAndExec|getRuntime)['\"]/
        $req = /request\s*\.\s*(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getInputStream|getReader|getQueryString|getCookies|getPart)\s*\(/
    condition:
        ($fn or $sp or $gm or $gdm) and $req and filesize < 2MB
}
