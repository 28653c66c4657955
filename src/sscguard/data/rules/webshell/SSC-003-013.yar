rule SSC_003_013
{
    meta:
        id = "SSC-003-013"
        title = "Reverse shell: network socket wired to an interactive shell"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "any"
        why = "Code that opens an outbound socket and attaches /bin/sh -i or cmd.exe to it gives an attacker an interactive shell that bypasses the web request path."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $shi = /\/bin\/(ba|z|da)?sh['\"]?\s*,?\s*['\"]?-i/
        $sh1 = "/bin/sh"
        $sh2 = "/bin/bash"
        $sh3 = "cmd.exe" nocase
        $so1 = "fsockopen" nocase
        $so2 = "socket_create" nocase
        $so3 = "stream_socket_client" nocase
        $so4 = /new\s+Socket\s*\(/
        $so5 = "TcpClient" nocase
        $so6 = "socket.socket"
        $so7 = "IO::Socket"
        $so8 = /socket\s*\(\s*(AF_INET|PF_INET|2)\s*,/
        $so9 = /socket\s*\(\s*\w{1,10}\s*,\s*(PF_INET|AF_INET)/
        $pdup = /open\s*\(?\s*STD(IN|OUT)\s*,\s*['\"][<>]&/
        $pr1 = /(proc_open|popen|shell_exec|passthru|system)\s*\(/
        $pr2 = /(ProcessBuilder|getRuntime\s*\(\s*\))/
        $tcp = /\/dev\/tcp\/[0-9a-zA-Z.\-]{1,60}\/[0-9]{1,5}/
        $scmd = /(fputs|fwrite|socket_write)\s*\(\s*\$\w{1,20}\s*,\s*[^;\n]{0,20}(shell_exec|system|passthru|exec)\s*\(/
        $nc = /\b(nc|ncat|netcat)(\.exe)?\s+(-[a-z]{1,3}\s+){0,3}-e\s+(\/bin\/(ba)?sh|cmd(\.exe)?)/
        $pr3 = "ProcessStartInfo"
        $pr4 = "dup2"
        $pr5 = /exec\s*\(\s*['\"]\/bin\//
        $io = /(getInputStream|getOutputStream|StandardInput|RedirectStandard|STDIN|STDOUT)/ nocase
        $fd = /array\s*\(\s*0\s*=>\s*\$\w{1,20}\s*,\s*1\s*=>\s*\$\w{1,20}/
    condition:
        ((any of ($so*) and (($shi and any of ($pr*)) or $pdup or $scmd or (any of ($sh*) and any of ($pr*) and ($io or $fd)))) or (($tcp or $nc) and any of ($pr*))) and filesize < 5MB
}
