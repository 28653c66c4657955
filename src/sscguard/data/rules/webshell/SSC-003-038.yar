rule SSC_003_038
{
    meta:
        id = "SSC-003-038"
        title = "ASP.NET code compiled from Request text at runtime"
        technique = "T1505.003,T1059"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "critical"
        confidence = "high"
        language = "aspx"
        why = "Compiling request text with CodeDomProvider/CSharpCodeProvider or evaluating it with a script host turns the page into an arbitrary .NET code runner."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $cd = /(CSharpCodeProvider|VBCodeProvider|CodeDomProvider|JScriptCodeProvider|CompileAssemblyFromSource)/
        $req = /Request\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies|InputStream))?\s*[\[\(\.]/
    condition:
        $cd and $req and filesize < 2MB
}
