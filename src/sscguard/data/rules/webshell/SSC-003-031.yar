// The small-file branch is a part of its own (see rules/yara.py): with its filesize
// bound in a rule's top-level condition, YARA-X skips verifying its strings in larger files.
rule SSC_003_031__k2
{
    strings:
        $k2_ex = /(^|[^\w.])(eval|execute|executeglobal)\s*\(?\s*[a-z_]\w{0,20}\s*\)?\s*(%>|\r|\n|:|;|\+|')/ nocase
        $k2_js = /\{\s*['\"]?\w{1,10}['\"]?\s*:\s*eval\s*\}/ nocase
        $k2_req = /request\s*(\.\s*(form|querystring|item|cookies))?\s*[\(\[]/ nocase
        $k2_asp = /<%|runat\s*=\s*['\"]?server/ nocase
    condition:
        $k2_asp and $k2_req and ($k2_ex or $k2_js) and filesize < 6KB
}

rule SSC_003_031
{
    meta:
        id = "SSC-003-031"
        title = "Classic ASP runs obfuscated or indirect code"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "asp"
        why = "Classic ASP that executes text built from Chr() codes, reversed strings or custom decoders, evaluates a variable holding Request data, or hides its source with Script Encoder or the UTF-7 code page is an obfuscated ASP shell pattern."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_ex = /(^|[^\w.])(execute|executeglobal|eval)\s*\(?\s*(\w{1,30}\s*\(\s*)?['\"]?[\w%]{0,8}/ nocase
        $k1_chr = /(chrw?\s*\(\s*[0-9]{2,3}\s*\)\s*&\s*){6}/ nocase
        $k1_dec = /(execute|executeglobal)\s*\(?\s*\w{1,30}\s*\(\s*['\"][0-9a-fA-F%]{24}/ nocase
        $k1_un = /(execute|executeglobal|eval)\s*\(?\s*(unescape|strreverse)\s*\(/ nocase
        $k1_rev = /tseuqer\s*(lave|etucexe)/ nocase
        $k1_exf = /(^|[^\w.])(execute|executeglobal)\s*\(?\s*\w{1,30}\s*\(\s*\w{1,30}\s*\)\s*\)?\s*(%>|\r|\n|:)/ nocase
        $k1_mid = /mid\s*\(\s*\w{1,20}\s*,\s*\w{1,10}\s*,\s*1\s*\)/ nocase
        $k1_one = /(execute|eval)\s*\(?\s*([\"'][a-z(][\"']\s*&\s*){4}/ nocase
        $k1_fch = /(execute|eval)\s*\(?\s*(\w{1,10}\s*\(\s*\d{1,3}\s*\)\s*&\s*){5}/ nocase
        $k1_reg = /execute\s*\(?\s*[\"'][\"']?\s*&\s*\w{1,20}\s*&\s*[\"']\s*=\s*request/ nocase
        $k3_lang = /language\s*=\s*['\"]?\s*(vbscript|jscript)\.encode/ nocase
        $k3_mark = "#@~^"
        $k4_cp = /<%@\s*codepage\s*=\s*65000/ nocase
        $k4_c2 = /codepage\s*=\s*65000/ nocase
        $k4_plus = /[a-z]\+[A-Za-z0-9]{1,4}-[a-z]/
    condition:
        ((($k1_ex and $k1_chr) or $k1_dec or $k1_un or ($k1_rev and $k1_ex) or ($k1_exf and $k1_mid) or $k1_one or $k1_fch or $k1_reg) and filesize < 5MB)
        or SSC_003_031__k2
        or ($k3_lang and $k3_mark and filesize < 5MB)
        or (($k4_cp or $k4_c2) and $k4_plus and filesize < 2MB)
}
