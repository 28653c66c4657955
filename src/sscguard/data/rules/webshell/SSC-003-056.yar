rule SSC_003_056
{
    meta:
        id = "SSC-003-056"
        title = "ASP.NET saves an upload to a path chosen by the request"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "aspx"
        why = "Saving Request.Files content with SaveAs to a path taken from another request field lets a client place .aspx files anywhere the site can write; small uploaders like this plant further shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /\.SaveAs\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?(Context\s*\.\s*)?Request\s*(\.\s*(Form|QueryString|Params|Item))?\s*[\[\(]/ nocase
        $b = /\.SaveAs\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?[^;\n]{0,40}Request\s*(\.\s*(Form|QueryString|Params|Item))?\s*[\[\(]\s*[\"'](f|p|path|file|filename|dir|name)[\"']/ nocase
    condition:
        any of them and filesize < 2MB
}
