rule SSC_003_041
{
    meta:
        id = "SSC-003-041"
        title = "PHP sink name recovered by stripping filler characters"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "A string such as 'crXeaXte_fXunction' cleaned with str_replace to produce create_function, assert or base64_decode is a generator-made obfuscation used by packed shells (Weevely style)."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /str_replace\s*\(\s*['"][^'"\n]{1,8}['"]\s*,\s*['"]['"]\s*,\s*['"][^'"\n]{0,8}(c[^'"\n]{0,6}r[^'"\n]{0,6}e[^'"\n]{0,6}a[^'"\n]{0,6}t[^'"\n]{0,6}e[^'"\n]{0,6}_[^'"\n]{0,6}f[^'"\n]{0,6}u[^'"\n]{0,6}n[^'"\n]{0,6}c[^'"\n]{0,6}t[^'"\n]{0,6}i[^'"\n]{0,6}o[^'"\n]{0,6}n|b[^'"\n]{0,6}a[^'"\n]{0,6}s[^'"\n]{0,6}e[^'"\n]{0,6}6[^'"\n]{0,6}4[^'"\n]{0,6}_[^'"\n]{0,6}d[^'"\n]{0,6}e[^'"\n]{0,6}c[^'"\n]{0,6}o[^'"\n]{0,6}d[^'"\n]{0,6}e|g[^'"\n]{0,6}z[^'"\n]{0,6}i[^'"\n]{0,6}n[^'"\n]{0,6}f[^'"\n]{0,6}l[^'"\n]{0,6}a[^'"\n]{0,6}t[^'"\n]{0,6}e|g[^'"\n]{0,6}z[^'"\n]{0,6}u[^'"\n]{0,6}n[^'"\n]{0,6}c[^'"\n]{0,6}o[^'"\n]{0,6}m[^'"\n]{0,6}p[^'"\n]{0,6}r[^'"\n]{0,6}e[^'"\n]{0,6}s[^'"\n]{0,6}s|s[^'"\n]{0,6}t[^'"\n]{0,6}r[^'"\n]{0,6}_[^'"\n]{0,6}r[^'"\n]{0,6}o[^'"\n]{0,6}t[^'"\n]{0,6}1[^'"\n]{0,6}3|a[^'"\n]{0,6}s[^'"\n]{0,6}s[^'"\n]{0,6}e[^'"\n]{0,6}r[^'"\n]{0,6}t|s[^'"\n]{0,6}h[^'"\n]{0,6}e[^'"\n]{0,6}l[^'"\n]{0,6}l[^'"\n]{0,6}_[^'"\n]{0,6}e[^'"\n]{0,6}x[^'"\n]{0,6}e[^'"\n]{0,6}c|p[^'"\n]{0,6}a[^'"\n]{0,6}s[^'"\n]{0,6}s[^'"\n]{0,6}t[^'"\n]{0,6}h[^'"\n]{0,6}r[^'"\n]{0,6}u)[^'"\n]{0,8}['"]\s*\)/ nocase
        $b = /str_replace\s*\(\s*['\"][^'\"\n]{1,6}['\"]\s*,\s*['\"]['\"]\s*,\s*\$\w{1,10}\s*\.\s*\$\w{1,10}\s*\.\s*\$\w{1,10}\s*\.\s*\$\w{1,10}/
    condition:
        any of them and filesize < 5MB
}
