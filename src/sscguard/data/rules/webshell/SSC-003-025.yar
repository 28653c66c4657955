rule SSC_003_025
{
    meta:
        id = "SSC-003-025"
        title = "ASP.NET loads or compiles code sent in the request"
        technique = "T1505.003,T1620,T1573"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "critical"
        confidence = "high"
        language = "aspx"
        why = "Loading an assembly from base64-decoded or decrypted request bytes, or compiling request text with CodeDom, runs attacker-supplied .NET code in memory, the design of Godzilla/Behinder-style ASPX shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_al = /Assembly\s*\.\s*Load\s*\(\s*[^\"\s)]/
        $k1_al2 = /\[\s*System\.Reflection\.Assembly\s*\]\s*::\s*Load/ nocase
        $k1_req = /Request\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies|InputStream|BinaryRead))?\s*[\[\(\.]/
        $k1_dec = /(FromBase64String|CreateDecryptor|RijndaelManaged|AesManaged|Aes\s*\.\s*Create|TransformFinalBlock)/
        $k1_al3 = /GetMethod\s*\(\s*\"Load\"\s*,/
        $k1_alr = /Assembly\s*\.\s*Load\s*\(\s*(\w{1,30}\s*\(\s*){0,3}(Context\s*\.\s*)?Request\s*\./
        $k2_cd = /(CSharpCodeProvider|VBCodeProvider|CodeDomProvider|JScriptCodeProvider|CompileAssemblyFromSource)/
        $k2_req = /Request\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies|InputStream))?\s*[\[\(\.]/
    condition:
        (((($k1_al or $k1_al2 or $k1_al3) and $k1_req and $k1_dec) or $k1_alr) and filesize < 2MB)
        or ($k2_cd and $k2_req and filesize < 2MB)
}
