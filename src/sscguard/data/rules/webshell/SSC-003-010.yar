rule SSC_003_010
{
    meta:
        id = "SSC-003-010"
        title = "PHP superglobal reached through an obfuscated name"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Reaching $_POST, $_GET or $_REQUEST through string-built variable names, hex escapes or $GLOBALS lookups hides request input from review and is typical of obfuscated web shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $split = /\$\{\s*['"](_['"]\s*\.\s*['"]POST|_P['"]\s*\.\s*['"]OST|_PO['"]\s*\.\s*['"]ST|_POS['"]\s*\.\s*['"]T|_['"]\s*\.\s*['"]GET|_G['"]\s*\.\s*['"]ET|_GE['"]\s*\.\s*['"]T|_['"]\s*\.\s*['"]REQUEST|_R['"]\s*\.\s*['"]EQUEST|_RE['"]\s*\.\s*['"]QUEST|_REQ['"]\s*\.\s*['"]UEST|_REQU['"]\s*\.\s*['"]EST|_REQUE['"]\s*\.\s*['"]ST|_REQUES['"]\s*\.\s*['"]T|_['"]\s*\.\s*['"]COOKIE|_C['"]\s*\.\s*['"]OOKIE|_CO['"]\s*\.\s*['"]OKIE|_COO['"]\s*\.\s*['"]KIE|_COOK['"]\s*\.\s*['"]IE|_COOKI['"]\s*\.\s*['"]E|_['"]\s*\.\s*['"]SERVER|_S['"]\s*\.\s*['"]ERVER|_SE['"]\s*\.\s*['"]RVER|_SER['"]\s*\.\s*['"]VER|_SERV['"]\s*\.\s*['"]ER|_SERVE['"]\s*\.\s*['"]R)['"]/ nocase
        $hex1 = "\\x5f\\x50\\x4f\\x53\\x54" nocase
        $hex2 = "\\x5f\\x47\\x45\\x54" nocase
        $hex3 = "\\x5f\\x52\\x45\\x51\\x55\\x45\\x53\\x54" nocase
        $hex4 = "\\x5f\\x43\\x4f\\x4f\\x4b\\x49\\x45" nocase
        $chr = /chr\s*\(\s*95\s*\)\s*\.\s*chr\s*\(\s*(80|71|82|67)\s*\)/
        $cat = /\$\{\s*['\"]_['\"]\s*\.\s*\$\w{0,10}\s*\}/
        $glob = /\$GLOBALS\s*\[\s*['\"]_(POST|GET|REQUEST|COOKIE)['\"]\s*\]\s*\[/
        $alias = /\$\w{1,3}\s*=\s*&?\s*\$_(POST|GET|REQUEST|COOKIE)\s*;/
    condition:
        any of ($split, $hex*, $chr, $glob, $cat) or ($alias and filesize < 4KB)
}
