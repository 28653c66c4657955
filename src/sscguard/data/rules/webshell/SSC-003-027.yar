rule SSC_003_027
{
    meta:
        id = "SSC-003-027"
        title = "ASP.NET loads an assembly from request bytes"
        technique = "T1505.003,T1620,T1573"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "critical"
        confidence = "high"
        language = "aspx"
        why = "Loading a .NET assembly from base64-decoded or decrypted request data runs attacker-supplied code in memory, the design of Godzilla/Behinder-style ASPX shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $al = /Assembly\s*\.\s*Load\s*\(\s*[^\"\s)]/
        $al2 = /\[\s*System\.Reflection\.Assembly\s*\]\s*::\s*Load/ nocase
        $req = /Request\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies|InputStream|BinaryRead))?\s*[\[\(\.]/
        $dec = /(FromBase64String|CreateDecryptor|RijndaelManaged|AesManaged|Aes\s*\.\s*Create|TransformFinalBlock)/
        $alr = /Assembly\s*\.\s*Load\s*\(\s*(\w{1,30}\s*\(\s*){0,3}(Context\s*\.\s*)?Request\s*\./
    condition:
        (($al or $al2) and $req and $dec or $alr) and filesize < 2MB
}
