rule SSC_003_034
{
    meta:
        id = "SSC-003-034"
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
        $fetch = /(file_get_contents|file)\s*\(\s*['\"]https?:\/\/[^;]{0,200};[^\x00]{0,300}(eval|create_function)\s*\(/
        $ev = /(^|[^\w>:$])(eval|create_function)\s*\(/ nocase
        $ri = /(include|require)(_once)?\s*\(?\s*['\"](https?|ftp):\/\//
        $self = /unlink\s*\(\s*(__FILE__|\$_SERVER\s*\[\s*['\"]SCRIPT_FILENAME)/
        $doc = /\$_SERVER\s*\[\s*['\"]DOCUMENT_ROOT['\"]\s*\]\s*\.\s*['\"][^'\"\n]{0,80}\.(php\d?|phtml)['\"]/
        $wr = /(fwrite|fputs|file_put_contents)\s*\(/
        $get = /(curl_exec\s*\(|(file_get_contents|fopen|file|http_get)\s*\(\s*['\"]https?:\/\/)/
    condition:
        ($fetch or ($self and $ev and filesize < 20KB) or $ri or ($doc and $wr and $get)) and filesize < 200KB
}
