rule SSC_003_037
{
    meta:
        id = "SSC-003-037"
        title = "HTTP-to-TCP tunnel endpoint (reGeorg-style)"
        technique = "T1505.003,T1090,T1572"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "any"
        why = "A server-side page that accepts CONNECT/READ/FORWARD/DISCONNECT commands and relays them over sockets turns the web server into a SOCKS pivot into the internal network."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $c1 = /['\"]CONNECT['\"]/
        $c2 = /['\"]DISCONNECT['\"]/
        $c3 = /['\"]FORWARD['\"]/
        $c4 = /['\"]READ['\"]/
        $so = /(SocketChannel|new\s+Socket\s*\(|fsockopen|socket_create|stream_socket_client|System\.Net\.Sockets|\bSocket\s*\(|Winsock)/
    condition:
        $so and $c1 and $c2 and $c3 and $c4 and filesize < 2MB
}
