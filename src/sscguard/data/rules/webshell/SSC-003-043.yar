rule SSC_003_043
{
    meta:
        id = "SSC-003-043"
        title = "Server page embeds compiled code for in-memory loading"
        technique = "T1505.003,T1620"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "critical"
        confidence = "high"
        language = "any"
        why = "A JSP or ASP.NET page carrying base64 of a Java class (CAFEBABE) or a Windows PE image and loading it with defineClass/Assembly.Load is an in-memory web shell or memory-resident implant installer."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $cls = "yv66vg"
        $pe = "TVqQAAMAAAAEAAAA"
        $jl = /(defineClass|ClassLoader|newInstance\s*\()/
        $nl = /(Assembly\s*\.\s*Load|AppDomain|CreateInstance)/
        $srv = /(<%|jsp:|runat\s*=)/ nocase
    condition:
        $srv and (($cls and $jl) or ($pe and $nl)) and filesize < 10MB
}
