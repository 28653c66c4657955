// The small-file branches are parts of their own (see rules/yara.py): with their filesize
// bound in a rule's top-level condition, YARA-X skips verifying their strings in larger files.
rule SSC_003_009__alias
{
    strings:
        $k1_alias = /\$\w{1,3}\s*=\s*&?\s*\$_(POST|GET|REQUEST|COOKIE)\s*;/
    condition:
        $k1_alias and filesize < 4KB
}

rule SSC_003_009__vv
{
    strings:
        $k2_vv = /\$\{\s*\$\w{1,20}\s*\}\s*\[\s*['\"]/
        $k2_ev = /(^|[^\w>:$])(eval|assert)\s*\(/ nocase
    condition:
        $k2_vv and $k2_ev and filesize < 5KB
}

rule SSC_003_009
{
    meta:
        id = "SSC-003-009"
        title = "PHP superglobal reached through an obfuscated or variable name"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Reaching $_POST/$_GET/$_REQUEST through string-built names, hex escapes, $GLOBALS lookups or ${$var} indirection hides request input from review and is typical of obfuscated web shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_split = /\$\{\s*['"](_['"]\s*\.\s*['"]POST|_P['"]\s*\.\s*['"]OST|_PO['"]\s*\.\s*['"]ST|_POS['"]\s*\.\s*['"]T|_['"]\s*\.\s*['"]GET|_G['"]\s*\.\s*['"]ET|_GE['"]\s*\.\s*['"]T|_['"]\s*\.\s*['"]REQUEST|_R['"]\s*\.\s*['"]EQUEST|_RE['"]\s*\.\s*['"]QUEST|_REQ['"]\s*\.\s*['"]UEST|_REQU['"]\s*\.\s*['"]EST|_REQUE['"]\s*\.\s*['"]ST|_REQUES['"]\s*\.\s*['"]T|_['"]\s*\.\s*['"]COOKIE|_C['"]\s*\.\s*['"]OOKIE|_CO['"]\s*\.\s*['"]OKIE|_COO['"]\s*\.\s*['"]KIE|_COOK['"]\s*\.\s*['"]IE|_COOKI['"]\s*\.\s*['"]E|_['"]\s*\.\s*['"]SERVER|_S['"]\s*\.\s*['"]ERVER|_SE['"]\s*\.\s*['"]RVER|_SER['"]\s*\.\s*['"]VER|_SERV['"]\s*\.\s*['"]ER|_SERVE['"]\s*\.\s*['"]R)['"]/ nocase
        $k1_hex1 = "\\x5f\\x50\\x4f\\x53\\x54" nocase
        $k1_hex2 = "\\x5f\\x47\\x45\\x54" nocase
        $k1_hex3 = "\\x5f\\x52\\x45\\x51\\x55\\x45\\x53\\x54" nocase
        $k1_hex4 = "\\x5f\\x43\\x4f\\x4f\\x4b\\x49\\x45" nocase
        $k1_chr = /chr\s*\(\s*95\s*\)\s*\.\s*chr\s*\(\s*(80|71|82|67)\s*\)/
        $k1_cat = /\$\{\s*['\"]_['\"]\s*\.\s*\$\w{0,10}\s*\}/
        $k1_vvcat = /\$\{\s*\$\w{1,10}\s*\.\s*\$\w{1,10}\s*\.\s*\$\w{1,10}/
        $k1_glob = /\$GLOBALS\s*\[\s*['\"]_(POST|GET|REQUEST|COOKIE)['\"]\s*\]\s*\[/
        $k2_vv2 = /(eval|assert)\s*\(\s*(@?\w{1,20}\s*\(\s*){0,2}@?\$\{\s*\$\w{1,20}\s*\}\s*\[/ nocase
    condition:
        any of ($k1_split, $k1_hex1, $k1_hex2, $k1_hex3, $k1_hex4, $k1_chr, $k1_glob, $k1_cat, $k1_vvcat) or SSC_003_009__alias
        or (($k2_vv2 or SSC_003_009__vv) and filesize < 2MB)
}
