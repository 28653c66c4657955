rule SSC_003_018
{
    meta:
        id = "SSC-003-018"
        title = "JSP defines a class from request bytes (encrypted in-memory shell)"
        technique = "T1505.003,T1620,T1573"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "critical"
        confidence = "high"
        language = "jsp"
        why = "Decoding or decrypting request data and loading it as a Java class with defineClass runs attacker-supplied bytecode in memory, the design of Behinder/Godzilla-style JSP shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $dc = "defineClass"
        $req = /(request|getRequest\s*\(\s*\))\s*\.\s*(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getInputStream|getReader|getQueryString|getCookies|getPart)\s*\(/
        $cip = /Cipher\s*\.\s*getInstance\s*\(/
        $b64 = /(BASE64Decoder|Base64\s*\.\s*getDecoder|decodeBuffer|Base64\s*\.\s*decode|parseBase64Binary)/
        $cl = /(ClassLoader|getClassLoader)/
        $pc = "pageContext"
    condition:
        $dc and $req and ($cip or $b64) and ($cl or $pc) and filesize < 2MB
}
