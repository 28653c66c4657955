rule SSC_003_008
{
    meta:
        id = "SSC-003-008"
        title = "PHP names or code hidden by string-building obfuscation"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "The file builds function names or code from split strings, chr()/hex/octal escapes, filler-stripped literals, indexed characters, XOR-ed literals or $_-named callables; this only serves to hide eval/assert/system from review and scanners, typical of obfuscated web shells."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $k1_split = /['"](a['"]\s*\.\s*['"]ssert|as['"]\s*\.\s*['"]sert|ass['"]\s*\.\s*['"]ert|asse['"]\s*\.\s*['"]rt|asser['"]\s*\.\s*['"]t|e['"]\s*\.\s*['"]val|ev['"]\s*\.\s*['"]al|eva['"]\s*\.\s*['"]l|s['"]\s*\.\s*['"]ystem|sy['"]\s*\.\s*['"]stem|sys['"]\s*\.\s*['"]tem|syst['"]\s*\.\s*['"]em|syste['"]\s*\.\s*['"]m|s['"]\s*\.\s*['"]hell_exec|sh['"]\s*\.\s*['"]ell_exec|she['"]\s*\.\s*['"]ll_exec|shel['"]\s*\.\s*['"]l_exec|shell['"]\s*\.\s*['"]_exec|shell_['"]\s*\.\s*['"]exec|shell_e['"]\s*\.\s*['"]xec|shell_ex['"]\s*\.\s*['"]ec|shell_exe['"]\s*\.\s*['"]c|p['"]\s*\.\s*['"]assthru|pa['"]\s*\.\s*['"]ssthru|pas['"]\s*\.\s*['"]sthru|pass['"]\s*\.\s*['"]thru|passt['"]\s*\.\s*['"]hru|passth['"]\s*\.\s*['"]ru|passthr['"]\s*\.\s*['"]u|b['"]\s*\.\s*['"]ase64_decode|ba['"]\s*\.\s*['"]se64_decode|bas['"]\s*\.\s*['"]e64_decode|base['"]\s*\.\s*['"]64_decode|base6['"]\s*\.\s*['"]4_decode|base64['"]\s*\.\s*['"]_decode|base64_['"]\s*\.\s*['"]decode|base64_d['"]\s*\.\s*['"]ecode|base64_de['"]\s*\.\s*['"]code|base64_dec['"]\s*\.\s*['"]ode|base64_deco['"]\s*\.\s*['"]de|base64_decod['"]\s*\.\s*['"]e|c['"]\s*\.\s*['"]reate_function|cr['"]\s*\.\s*['"]eate_function|cre['"]\s*\.\s*['"]ate_function|crea['"]\s*\.\s*['"]te_function|creat['"]\s*\.\s*['"]e_function|create['"]\s*\.\s*['"]_function|create_['"]\s*\.\s*['"]function|create_f['"]\s*\.\s*['"]unction|create_fu['"]\s*\.\s*['"]nction|create_fun['"]\s*\.\s*['"]ction|create_func['"]\s*\.\s*['"]tion|create_funct['"]\s*\.\s*['"]ion|create_functi['"]\s*\.\s*['"]on|create_functio['"]\s*\.\s*['"]n|g['"]\s*\.\s*['"]zinflate|gz['"]\s*\.\s*['"]inflate|gzi['"]\s*\.\s*['"]nflate|gzin['"]\s*\.\s*['"]flate|gzinf['"]\s*\.\s*['"]late|gzinfl['"]\s*\.\s*['"]ate|gzinfla['"]\s*\.\s*['"]te|gzinflat['"]\s*\.\s*['"]e|s['"]\s*\.\s*['"]tr_rot13|st['"]\s*\.\s*['"]r_rot13|str['"]\s*\.\s*['"]_rot13|str_['"]\s*\.\s*['"]rot13|str_r['"]\s*\.\s*['"]ot13|str_ro['"]\s*\.\s*['"]t13|str_rot['"]\s*\.\s*['"]13|str_rot1['"]\s*\.\s*['"]3|c['"]\s*\.\s*['"]all_user_func|ca['"]\s*\.\s*['"]ll_user_func|cal['"]\s*\.\s*['"]l_user_func|call['"]\s*\.\s*['"]_user_func|call_['"]\s*\.\s*['"]user_func|call_u['"]\s*\.\s*['"]ser_func|call_us['"]\s*\.\s*['"]er_func|call_use['"]\s*\.\s*['"]r_func|call_user['"]\s*\.\s*['"]_func|call_user_['"]\s*\.\s*['"]func|call_user_f['"]\s*\.\s*['"]unc|call_user_fu['"]\s*\.\s*['"]nc|call_user_fun['"]\s*\.\s*['"]c|p['"]\s*\.\s*['"]roc_open|pr['"]\s*\.\s*['"]oc_open|pro['"]\s*\.\s*['"]c_open|proc['"]\s*\.\s*['"]_open|proc_['"]\s*\.\s*['"]open|proc_o['"]\s*\.\s*['"]pen|proc_op['"]\s*\.\s*['"]en|proc_ope['"]\s*\.\s*['"]n|p['"]\s*\.\s*['"]open|po['"]\s*\.\s*['"]pen|pop['"]\s*\.\s*['"]en|pope['"]\s*\.\s*['"]n)['"]/ nocase
        $k1_chr1 = /chr\s*\(\s*(97|0x61)\s*\)\s*\.\s*chr\s*\(\s*(115|0x73)\s*\)\s*\.\s*chr\s*\(\s*(115|0x73)\s*\)/ nocase
        $k1_chr2 = /chr\s*\(\s*(101|0x65)\s*\)\s*\.\s*chr\s*\(\s*(118|0x76)\s*\)\s*\.\s*chr\s*\(\s*(97|0x61)\s*\)/ nocase
        $k1_chr3 = /chr\s*\(\s*(115|0x73)\s*\)\s*\.\s*chr\s*\(\s*(121|0x79)\s*\)\s*\.\s*chr\s*\(\s*(115|0x73)\s*\)/ nocase
        $k1_hex1 = "\\x61\\x73\\x73\\x65\\x72\\x74" nocase
        $k1_hex2 = "\\x65\\x76\\x61\\x6c" nocase
        $k1_hex3 = "\\x73\\x79\\x73\\x74\\x65\\x6d" nocase
        $k1_hex4 = "\\x62\\x61\\x73\\x65\\x36\\x34" nocase
        $k1_oct1 = "\\145\\166\\141\\154"
        $k1_oct2 = "\\141\\163\\163\\145\\162\\164"
        $k1_b64 = /['\"](YXNzZXJ0|ZXZhbC|ZXZhbA|c3lzdGVt|c2hlbGxfZXhlYw|cGFzc3RocnU|Y3JlYXRlX2Z1bmN0aW9u|YmFzZTY0X2RlY29kZQ)/
        $k1_rev = /strrev\s*\(\s*['\"](tressa|lave|metsys|cexe_llehs|urhtssap|edoced_46esab|noitcnuf_etaerc|etalfnizg)['\"]/ nocase
        $k1_rot = /str_rot13\s*\(\s*['\"](nffreg|riny|flfgrz|funyy_rkrp|cnffgueh|onfr64_qrpbqr|perngr_shapgvba|tmvasyngr)['\"]/ nocase
        $k1_mix = /['\"](ev|eva|as|ass|asse|asser|sy|sys|syst|syste|preg_r|preg_re|preg_rep|base64|base64_|base64_d|gzin|gzinf|cre|crea|creat|create_|shell_|passt)['\"]\s*\.\s*chr\s*\(\s*\d/ nocase
        $k1_php = "<?"
        $k2_a = /str_replace\s*\(\s*['"][^'"\n]{1,8}['"]\s*,\s*['"]['"]\s*,\s*['"][^'"\n]{0,8}(c[^'"\n]{0,6}r[^'"\n]{0,6}e[^'"\n]{0,6}a[^'"\n]{0,6}t[^'"\n]{0,6}e[^'"\n]{0,6}_[^'"\n]{0,6}f[^'"\n]{0,6}u[^'"\n]{0,6}n[^'"\n]{0,6}c[^'"\n]{0,6}t[^'"\n]{0,6}i[^'"\n]{0,6}o[^'"\n]{0,6}n|b[^'"\n]{0,6}a[^'"\n]{0,6}s[^'"\n]{0,6}e[^'"\n]{0,6}6[^'"\n]{0,6}4[^'"\n]{0,6}_[^'"\n]{0,6}d[^'"\n]{0,6}e[^'"\n]{0,6}c[^'"\n]{0,6}o[^'"\n]{0,6}d[^'"\n]{0,6}e|g[^'"\n]{0,6}z[^'"\n]{0,6}i[^'"\n]{0,6}n[^'"\n]{0,6}f[^'"\n]{0,6}l[^'"\n]{0,6}a[^'"\n]{0,6}t[^'"\n]{0,6}e|g[^'"\n]{0,6}z[^'"\n]{0,6}u[^'"\n]{0,6}n[^'"\n]{0,6}c[^'"\n]{0,6}o[^'"\n]{0,6}m[^'"\n]{0,6}p[^'"\n]{0,6}r[^'"\n]{0,6}e[^'"\n]{0,6}s[^'"\n]{0,6}s|s[^'"\n]{0,6}t[^'"\n]{0,6}r[^'"\n]{0,6}_[^'"\n]{0,6}r[^'"\n]{0,6}o[^'"\n]{0,6}t[^'"\n]{0,6}1[^'"\n]{0,6}3|a[^'"\n]{0,6}s[^'"\n]{0,6}s[^'"\n]{0,6}e[^'"\n]{0,6}r[^'"\n]{0,6}t|s[^'"\n]{0,6}h[^'"\n]{0,6}e[^'"\n]{0,6}l[^'"\n]{0,6}l[^'"\n]{0,6}_[^'"\n]{0,6}e[^'"\n]{0,6}x[^'"\n]{0,6}e[^'"\n]{0,6}c|p[^'"\n]{0,6}a[^'"\n]{0,6}s[^'"\n]{0,6}s[^'"\n]{0,6}t[^'"\n]{0,6}h[^'"\n]{0,6}r[^'"\n]{0,6}u)[^'"\n]{0,8}['"]\s*\)/ nocase
        $k2_b = /str_replace\s*\(\s*['\"][^'\"\n]{1,6}['\"]\s*,\s*['\"]['\"]\s*,\s*\$\w{1,10}\s*\.\s*\$\w{1,10}\s*\.\s*\$\w{1,10}\s*\.\s*\$\w{1,10}/
        $k3_a = /[\]}]\s?\.\s?\$\w{1,20}[\[{]\d{1,3}[\]}]\s?\.\s?\$\w{1,20}[\[{]\d{1,3}[\]}]\s?\.\s?\$\w{1,20}[\[{]\d{1,3}[\]}]\s?\.\s?\$\w{1,20}[\[{]\d{1,3}[\]}]/
        $k4_x = /['\"][^'\"\n,]{0,29}[^'\"\n,.]['\"] ?\^ ?['\"][^'\"\n,.=][^'\"\n,]{0,29}['\"]/
        $k4_x2 = /['\"][^'\"\n]{3,39}[^'\"\n.]['\"] ?\^ ?['\"][^'\"\n.=][^'\"\n]{3,39}['\"]/
        $k5_chr = /(chr\s*\(\s*\d{2,3}\s*\)\s*\.\s*){10}/ nocase
        $k5_vchr = /(\$\w{1,12}\(\d{2,3}\) ?\. ?){8}/
        $k5_one = /(['\"][a-zA-Z_(]['\"] ?\. ?){4}['\"][a-zA-Z_(]['\"]/
        $k5_onec = /(['\"][a-zA-Z_(]['\"] ?\. ?){6}['\"][a-zA-Z_(]['\"][^\x00]{0,300}\$\w{1,20}\s*\(/
        $k5_ev = /(^|[^\w>:$])(eval|assert|create_function|preg_replace|array_map|call_user_func)\s*\(/ nocase
        $k6_a = /[^\w$]@?\$_{1,4}\s*\(\s*[@$'\"]/
        $k6_b = /\$_{1,4} ?= ?[^;\n=]{1,80};/
    condition:
        ($k1_php and any of ($k1_split, $k1_chr1, $k1_chr2, $k1_chr3, $k1_hex1, $k1_hex2, $k1_hex3, $k1_hex4, $k1_oct1, $k1_oct2, $k1_b64, $k1_rev, $k1_rot, $k1_mix) and filesize < 5MB)
        or (any of ($k2_a, $k2_b) and filesize < 5MB)
        or (#k3_a >= 3 and filesize < 2MB)
        or ($k1_php and (#k4_x >= 2 or (($k4_x or $k4_x2) and filesize < 2KB)) and filesize < 2MB)
        or (($k5_vchr or $k5_onec or (($k5_chr or $k5_one) and $k5_ev)) and filesize < 2MB)
        or ($k6_a and $k6_b and filesize < 1MB)
}
