rule SSC_003_009
{
    meta:
        id = "SSC-003-009"
        title = "PHP sink function name hidden by splitting or encoding"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "php"
        why = "Building names such as assert, eval or system from string pieces, chr() codes, hex escapes or base64 exists only to evade review and signature scanners."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $split = /['"](a['"]\s*\.\s*['"]ssert|as['"]\s*\.\s*['"]sert|ass['"]\s*\.\s*['"]ert|asse['"]\s*\.\s*['"]rt|asser['"]\s*\.\s*['"]t|e['"]\s*\.\s*['"]val|ev['"]\s*\.\s*['"]al|eva['"]\s*\.\s*['"]l|s['"]\s*\.\s*['"]ystem|sy['"]\s*\.\s*['"]stem|sys['"]\s*\.\s*['"]tem|syst['"]\s*\.\s*['"]em|syste['"]\s*\.\s*['"]m|s['"]\s*\.\s*['"]hell_exec|sh['"]\s*\.\s*['"]ell_exec|she['"]\s*\.\s*['"]ll_exec|shel['"]\s*\.\s*['"]l_exec|shell['"]\s*\.\s*['"]_exec|shell_['"]\s*\.\s*['"]exec|shell_e['"]\s*\.\s*['"]xec|shell_ex['"]\s*\.\s*['"]ec|shell_exe['"]\s*\.\s*['"]c|p['"]\s*\.\s*['"]assthru|pa['"]\s*\.\s*['"]ssthru|pas['"]\s*\.\s*['"]sthru|pass['"]\s*\.\s*['"]thru|passt['"]\s*\.\s*['"]hru|passth['"]\s*\.\s*['"]ru|passthr['"]\s*\.\s*['"]u|b['"]\s*\.\s*['"]ase64_decode|ba['"]\s*\.\s*['"]se64_decode|bas['"]\s*\.\s*['"]e64_decode|base['"]\s*\.\s*['"]64_decode|base6['"]\s*\.\s*['"]4_decode|base64['"]\s*\.\s*['"]_decode|base64_['"]\s*\.\s*['"]decode|base64_d['"]\s*\.\s*['"]ecode|base64_de['"]\s*\.\s*['"]code|base64_dec['"]\s*\.\s*['"]ode|base64_deco['"]\s*\.\s*['"]de|base64_decod['"]\s*\.\s*['"]e|c['"]\s*\.\s*['"]reate_function|cr['"]\s*\.\s*['"]eate_function|cre['"]\s*\.\s*['"]ate_function|crea['"]\s*\.\s*['"]te_function|creat['"]\s*\.\s*['"]e_function|create['"]\s*\.\s*['"]_function|create_['"]\s*\.\s*['"]function|create_f['"]\s*\.\s*['"]unction|create_fu['"]\s*\.\s*['"]nction|create_fun['"]\s*\.\s*['"]ction|create_func['"]\s*\.\s*['"]tion|create_funct['"]\s*\.\s*['"]ion|create_functi['"]\s*\.\s*['"]on|create_functio['"]\s*\.\s*['"]n|g['"]\s*\.\s*['"]zinflate|gz['"]\s*\.\s*['"]inflate|gzi['"]\s*\.\s*['"]nflate|gzin['"]\s*\.\s*['"]flate|gzinf['"]\s*\.\s*['"]late|gzinfl['"]\s*\.\s*['"]ate|gzinfla['"]\s*\.\s*['"]te|gzinflat['"]\s*\.\s*['"]e|s['"]\s*\.\s*['"]tr_rot13|st['"]\s*\.\s*['"]r_rot13|str['"]\s*\.\s*['"]_rot13|str_['"]\s*\.\s*['"]rot13|str_r['"]\s*\.\s*['"]ot13|str_ro['"]\s*\.\s*['"]t13|str_rot['"]\s*\.\s*['"]13|str_rot1['"]\s*\.\s*['"]3|c['"]\s*\.\s*['"]all_user_func|ca['"]\s*\.\s*['"]ll_user_func|cal['"]\s*\.\s*['"]l_user_func|call['"]\s*\.\s*['"]_user_func|call_['"]\s*\.\s*['"]user_func|call_u['"]\s*\.\s*['"]ser_func|call_us['"]\s*\.\s*['"]er_func|call_use['"]\s*\.\s*['"]r_func|call_user['"]\s*\.\s*['"]_func|call_user_['"]\s*\.\s*['"]func|call_user_f['"]\s*\.\s*['"]unc|call_user_fu['"]\s*\.\s*['"]nc|call_user_fun['"]\s*\.\s*['"]c|p['"]\s*\.\s*['"]roc_open|pr['"]\s*\.\s*['"]oc_open|pro['"]\s*\.\s*['"]c_open|proc['"]\s*\.\s*['"]_open|proc_['"]\s*\.\s*['"]open|proc_o['"]\s*\.\s*['"]pen|proc_op['"]\s*\.\s*['"]en|proc_ope['"]\s*\.\s*['"]n|p['"]\s*\.\s*['"]open|po['"]\s*\.\s*['"]pen|pop['"]\s*\.\s*['"]en|pope['"]\s*\.\s*['"]n)['"]/ nocase
        $chr1 = /chr\s*\(\s*(97|0x61)\s*\)\s*\.\s*chr\s*\(\s*(115|0x73)\s*\)\s*\.\s*chr\s*\(\s*(115|0x73)\s*\)/ nocase
        $chr2 = /chr\s*\(\s*(101|0x65)\s*\)\s*\.\s*chr\s*\(\s*(118|0x76)\s*\)\s*\.\s*chr\s*\(\s*(97|0x61)\s*\)/ nocase
        $chr3 = /chr\s*\(\s*(115|0x73)\s*\)\s*\.\s*chr\s*\(\s*(121|0x79)\s*\)\s*\.\s*chr\s*\(\s*(115|0x73)\s*\)/ nocase
        $hex1 = "\\x61\\x73\\x73\\x65\\x72\\x74" nocase
        $hex2 = "\\x65\\x76\\x61\\x6c" nocase
        $hex3 = "\\x73\\x79\\x73\\x74\\x65\\x6d" nocase
        $hex4 = "\\x62\\x61\\x73\\x65\\x36\\x34" nocase
        $oct1 = "\\145\\166\\141\\154"
        $oct2 = "\\141\\163\\163\\145\\162\\164"
        $b64 = /['\"](YXNzZXJ0|ZXZhbC|ZXZhbA|c3lzdGVt|c2hlbGxfZXhlYw|cGFzc3RocnU|Y3JlYXRlX2Z1bmN0aW9u|YmFzZTY0X2RlY29kZQ)/
        $rev = /strrev\s*\(\s*['\"](tressa|lave|metsys|cexe_llehs|urhtssap|edoced_46esab|noitcnuf_etaerc|etalfnizg)['\"]/ nocase
        $rot = /str_rot13\s*\(\s*['\"](nffreg|riny|flfgrz|funyy_rkrp|cnffgueh|onfr64_qrpbqr|perngr_shapgvba|tmvasyngr)['\"]/ nocase
        $php = "<?"
    condition:
        $php and any of ($split, $chr*, $hex*, $oct*, $b64, $rev, $rot) and filesize < 5MB
}
