rule SSC_003_017
{
    meta:
        id = "SSC-003-017"
        title = "JSP request input reaching process execution (direct or reflective)"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "jsp"
        why = "A JSP page that starts operating-system processes (Runtime.exec, ProcessBuilder, or the same reached via reflection) in a file that reads request parameters, headers or body is a JSP command shell."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_rt = /getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(/ nocase
        $k1_pb = /new\s+(java\.lang\.)?ProcessBuilder\s*\(/
        $k1_rt2 = /getRuntime\s*\(\s*\)/ nocase
        $k1_ex = /\.exec\s*\(/
        $k1_pi = /(java\.lang\.)?ProcessImpl/
        $k1_un = "UNIXProcess"
        $k1_req = /(request|getRequest\s*\(\s*\))\s*\.\s*(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getInputStream|getReader|getQueryString|getCookies|getPart)\s*\(/
        $k2_fn = /forName\s*\(\s*['\"]java\.lang\.(Runtime|ProcessBuilder|ProcessImpl|UNIXProcess)/
        $k2_sp = /['\"]java\.l['\"]?\s*\+\s*['\"]ang|['\"]Run['\"]\s*\+\s*['\"]time|['\"]ex['\"]\s*\+\s*['\"]ec['\"]/
        $k2_gm = /getMethod\s*\(\s*['\"](exec|start|getRuntime)['\"]/
        $k2_gm2 = /getMethod\s*\(\s*new\s+String\s*\(/
        $k2_bytes = /new\s+String\s*\(\s*new\s+byte\s*\[\s*\]\s*\{\s*\d{2,3}\s*,\s*\d{2,3}\s*,\s*\d{2,3}\s*,/
        $k2_gdm = /getDeclaredMethod\s*\(\s*['\"](exec|start|forkAndExec|getRuntime)['\"]/
    condition:
        ((any of ($k1_rt, $k1_pb, $k1_pi, $k1_un) or ($k1_rt2 and $k1_ex)) and $k1_req and filesize < 5MB)
        or (($k2_fn or $k2_sp or $k2_gm or $k2_gdm or $k2_gm2 or $k2_bytes) and $k1_req and filesize < 2MB)
}
