rule SSC_003_039
{
    meta:
        id = "SSC-003-039"
        title = "ASP decodes the raw request body and executes it"
        technique = "T1505.003,T1573"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "asp"
        why = "Reading the raw request body with Request.BinaryRead, XOR/decoding it and passing it to Execute/Eval is how encrypted shell clients (Behinder-style) drive classic ASP."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $br = /request\s*\.\s*binaryread/ nocase
        $ex = /(^|[^\w.])(execute|executeglobal|eval)\s*\(?\s*\w{1,30}\s*\)?\s*(%>|\r|\n|:)/ nocase
        $x = /\bxor\b/ nocase
        $ascb = /(ascb|midb|chrb)\s*\(/ nocase
    condition:
        $br and $ex and ($x or $ascb) and filesize < 200KB
}
