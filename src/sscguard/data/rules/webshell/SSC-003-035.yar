rule SSC_003_035
{
    meta:
        id = "SSC-003-035"
        title = "ASP Execute of a string built from character codes or a decoder"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "asp"
        why = "Classic ASP that runs Execute/ExecuteGlobal/Eval on text assembled from Chr() codes or a custom decode function hides its real payload, a common obfuscated ASP shell pattern."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $ex = /(^|[^\w.])(execute|executeglobal|eval)\s*\(?\s*(\w{1,30}\s*\(\s*)?['\"]?[\w%]{0,8}/ nocase
        $chr = /(chrw?\s*\(\s*[0-9]{2,3}\s*\)\s*&\s*){6}/ nocase
        $dec = /(execute|executeglobal)\s*\(?\s*\w{1,30}\s*\(\s*['\"][0-9a-fA-F%]{24}/ nocase
        $un = /(execute|executeglobal|eval)\s*\(?\s*(unescape|strreverse)\s*\(/ nocase
        $rev = /tseuqer\s*(lave|etucexe)/ nocase
        $exf = /(^|[^\w.])(execute|executeglobal)\s*\(?\s*\w{1,30}\s*\(\s*\w{1,30}\s*\)\s*\)?\s*(%>|\r|\n|:)/ nocase
        $mid = /mid\s*\(\s*\w{1,20}\s*,\s*\w{1,10}\s*,\s*1\s*\)/ nocase
    condition:
        (($ex and $chr) or $dec or $un or ($rev and $ex) or ($exf and $mid)) and filesize < 5MB
}
