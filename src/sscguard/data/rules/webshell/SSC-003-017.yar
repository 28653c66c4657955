rule SSC_003_017
{
    meta:
        id = "SSC-003-017"
        title = "Minimal PHP uploader writing to a client-chosen name or path"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "low"
        language = "php"
        why = "A small page that saves an uploaded file under the client-supplied name or a request-chosen directory is the usual way attackers plant further shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $mv = /(move_uploaded_file|copy)\s*\(\s*\$_FILES\s*\[[^\]\n]{1,30}\]\s*\[\s*['\"]tmp_name['\"]\s*\]\s*,\s*[^;\n]{0,80}(\$_FILES\s*\[[^\]\n]{1,30}\]\s*\[\s*['\"]name['\"]|\$_(GET|POST|REQUEST)\s*\[)/ nocase
        $form = "multipart/form-data" nocase
        $sane = /(basename|pathinfo|uniqid|random_bytes|md5|sha1|preg_match|in_array)\s*\(/ nocase
        $php = /(move_uploaded_file|copy)\s*\([^;\n]{0,80},\s*['\"][^'\"\n$]{0,40}\.(php\d?|phtml|asp|aspx|jsp)['\"]\s*\)/ nocase
    condition:
        (($mv and $form and not $sane) or $php) and filesize < 6KB
}
