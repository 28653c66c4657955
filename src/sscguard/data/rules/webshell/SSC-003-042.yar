rule SSC_003_042
{
    meta:
        id = "SSC-003-042"
        title = "PHP identifier assembled from indexed characters of a string"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Long chains like $s[18].$s[29].$s[12] or $s{3}.$s{6} that spell a function name character by character are produced by PHP obfuscators used for web shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /[\]}]\s?\.\s?\$\w{1,20}[\[{]\d{1,3}[\]}]\s?\.\s?\$\w{1,20}[\[{]\d{1,3}[\]}]\s?\.\s?\$\w{1,20}[\[{]\d{1,3}[\]}]\s?\.\s?\$\w{1,20}[\[{]\d{1,3}[\]}]/
    condition:
        #a >= 3 and filesize < 2MB
}
