rule SSC_003_075
{
    meta:
        id = "SSC-003-075"
        title = "PHP lists the other sites on the server through a search engine's ip: operator"
        technique = "T1505.003,T1018"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "php"
        why = "A page that sends ip:<address> queries to a search engine finds every site hosted on the same server (a reverse-IP lookup), the first step of attacking neighbouring sites from a compromised one; web applications do not scrape search results for their own address."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $ip = /["']ip:\s*\$\w+/ nocase
        $ip_concat = /["']ip(%3a|:)["']\s*\.\s*\$\w+/ nocase
        $engine = /(bing\.com|google\.com|yandex\.\w{2,3}|search\.yahoo\.com)\/search\?/ nocase
    condition:
        any of ($ip*) and $engine and filesize < 5MB
}
