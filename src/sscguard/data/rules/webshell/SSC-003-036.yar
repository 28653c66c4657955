rule SSC_003_036
{
    meta:
        id = "SSC-003-036"
        title = "PHP writes base64-encoded PHP code to disk"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Decoding a literal that is base64 of '<?php' and writing it with fwrite/file_put_contents drops a new PHP file, the behaviour of droppers and self-reinstalling backdoors."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $b = /base64_decode\s*\(\s*['\"](PD9waHA|PD9QSFA|PD89|PD8g|PD8K|PD8N)/
        $w = /(fwrite|fputs|file_put_contents)\s*\(/ nocase
    condition:
        $b and $w and filesize < 5MB
}
