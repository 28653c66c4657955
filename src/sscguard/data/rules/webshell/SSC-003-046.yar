rule SSC_003_046
{
    meta:
        id = "SSC-003-046"
        title = "PHP fetches remote code and evaluates or includes it"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "Downloading text from a URL and passing it to eval, or including a remote URL, lets whoever controls that URL run code on the server at will; loaders of this kind are common backdoors."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $fetch = /(file_get_contents|fopen|file|curl_init|readfile)\s*\(\s*['\"]https?:\/\//
        $ev = /(^|[^\w>:$])(eval|assert|create_function)\s*\(/ nocase
        $ri = /(include|require)(_once)?\s*\(?\s*['\"](https?|ftp):\/\//
        $self = /unlink\s*\(\s*(__FILE__|\$_SERVER\s*\[\s*['\"]SCRIPT_FILENAME)/
    condition:
        ((($fetch or $self) and $ev) or $ri) and filesize < 200KB
}
