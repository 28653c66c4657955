// Gate rules for the PHP capability model (detect/webshell/capability.py): never reported.
// A file is analysed when it reads request input (phpcap_req) AND calls an API one of the
// capabilities is built on (phpcap_act), or when it has an atom that needs no request input
// to matter (phpcap_solo). A superset of what the analysis needs: a false match costs a
// parse, never a finding.
//
// Each rule is bounded by the largest file its verdict is used for (capability.py: request
// routes up to MAX_REQUEST_ROUTE_BYTES, anything up to MAX_CAPABILITY_BYTES): YARA-X then
// skips verifying these strings in larger files.
//
// One more phpcap_act shape is tested in Python (capability.gate_passes), only on files that
// passed phpcap_req but no other phpcap_act string: its only YARA-X atom is a quote, so the
// scanner verified it at every quote of every file (about 1.5 CPU-s of ~9 on the corpus):
//   act: /['"][0-9a-f]{32}['"]/ nocase
rule phpcap_req
{
    strings:
        $r1 = /\$_(get|post|request|cookie|files)\b/ nocase
        $r2 = /\$http_(post|get)_(vars|files)/ nocase
        $r3 = /<(input|textarea)\s[^>]{0,200}name\s*=/ nocase
    condition:
        any of them and filesize <= 64KB
}

rule phpcap_act
{
    strings:
        $a1 = /(^|[^\w$>:])(mb_send_mail|mail)\s*\(/ nocase
        $a2 = /(^|[^\w$])(mysql_query|mysqli_query|mysqli_multi_query|mysql_db_query|pg_query|pg_send_query|mssql_query|sqlsrv_query|sqlite_query|odbc_exec|oci_parse)\s*\(/ nocase
        $a3 = /->\s*(query|exec|multi_query|real_query)\s*\(/ nocase
        $a4 = /(^|[^\w$>:])(fsockopen|pfsockopen|socket_connect|stream_socket_client)\s*\(/ nocase
        $a5 = /(^|[^\w$>:])(fopen|copy|move_uploaded_file|chmod|file_put_contents)\s*\(/ nocase
        $a6 = /(^|[^\w$>:])(opendir|scandir|glob)\s*\(/ nocase
        $a7 = /(^|[^\w$>:])(array_walk|array_walk_recursive|array_map|array_filter|array_reduce|ob_start|forward_static_call|forward_static_call_array|register_tick_function|register_shutdown_function|call_user_func|call_user_func_array|iterator_apply|array_udiff|array_intersect_ukey|array_diff_ukey|usort|uasort|uksort|set_error_handler|set_exception_handler|preg_replace_callback|yaml_parse|header_register_callback)\s*\(/ nocase
        $a8 = /(createfunction|sqlitecreatefunction|createaggregate|fromcallable|->\s*uasort|->\s*uksort)\s*\(/ nocase
        $a9 = "FILTER_CALLBACK"
        $a10 = /(^|[^\w$>:])(preg_replace|preg_filter)\s*\(/ nocase
        $a11 = /\)\s*\(\s*\$_/
        $a12 = /\$\w+\s*\/\*/
        $a13 = /curl_setopt/ nocase
        $a14 = /(^|[^\w$>:])(wp_create_user|wp_insert_user)\s*\(/ nocase
        $a16 = /compress\.zlib:\/\/|file:(file:)?\/\// nocase
        $a17 = /file_get_contents\s*\(\s*['"]https?:/ nocase
    condition:
        any of them and filesize <= 64KB
}

rule phpcap_solo
{
    strings:
        $s1 = "/etc/passwd"
        $s2 = /(^|[^\w$>:])symlink\s*\(/ nocase
        $s3 = /IIS:\/\/localhost|Shell\.Users|WinNT:\/\// nocase
        $s4 = "pcntl_fork" nocase
        $s5 = /(^|[^\w$>:])(socket_bind|stream_socket_server|socket_listen)\s*\(/ nocase
        $s6 = "registerPHPFunctions" nocase
        $s7 = /\bsoname\b|into\s+dumpfile/ nocase
        $s8 = /set_role\s*\(\s*['"]administrator|wp_set_auth_cookie/ nocase
        $s9 = /(^|[^\w$>:])touch\s*\([^;]{0,200}(mktime|strtotime)/ nocase
        $s10 = /fopen\s*\([^;]{0,60}index\.(php|html?)/ nocase
        $s11 = /(ob_start|array_walk|array_map|uasort|uksort|usort|array_filter|register_shutdown_function|register_tick_function)\s*\([^;]{0,100}['"](assert|system|passthru|shell_exec|exec|popen|proc_open|eval)['"]/ nocase
        $s11v = /(ob_start|register_tick_function|register_shutdown_function)\s*\(\s*\$/ nocase
        $s11x = /['"](assert|system|passthru|shell_exec|exec|popen|proc_open)['"]/ nocase
        $s12 = /getCc(Number|Cid|Cvv)/ nocase
        $s13 = /mail\s*\([^;]{0,300}@/ nocase
        $s14 = /(DOCUMENT_ROOT|SCRIPT_FILENAME|PATH_TRANSLATED)/
        $s15 = /(fwrite|fputs|file_put_contents)\s*\([^;]{0,200}(pack|base64_decode)\s*\(/ nocase
        $s16 = /(wp-config|configuration|config\.inc)\.php/ nocase
        $s22 = /symlink\s*\(\s*['"]\/['"]/ nocase
        $s17 = /opendir\s*\(\s*['"]\/tmp/ nocase
        $s18 = /while\s*\(\s*(1|true)\s*\)/ nocase
        $s19 = "ftp_login" nocase
        $s21 = /\$\w*\s*\/\*[^\n]{0,40}\*\/\s*[({]/
        $s20 = /(socket_connect|fsockopen|stream_socket_client)\s*\(/ nocase
        $m1 = /(^|[^\w$>:])mail\s*\(/ nocase
    condition:
        (any of ($s1, $s3, $s5, $s6, $s7, $s8, $s9, $s10, $s11, $s12, $s17, $s19, $s21, $s22)
         or ($s2 and $s16)
         or ($s13 and $s14)
         or ($s15)
         or ($s11v and $s11x)
         or ($s18 and ($s4 or $s5 or $s20))
         or ($m1 and $s14))
        and filesize <= 256KB
}

// Tools that need no request input and no stand-alone atom: a download from a fixed address
// written to a file or shown to crawlers (droppers, cloaking), a CGI shell or .htaccess
// handler written by the page. Honoured for small files only (MAX_REQUEST_ROUTE_BYTES).
rule phpcap_drop
{
    strings:
        $f1 = "curl_exec" nocase
        $f2 = /file_get_contents\s*\(\s*['"]https?:/ nocase
        $f3 = /(file_put_contents|fwrite|fputs)\s*\(/ nocase
        $f4 = "HTTP_USER_AGENT"
        $h1 = /ExecCGI|cgi-script|application\/x-httpd-php/
    condition:
        ((($f1 or $f2) and ($f3 or $f4)) or ($h1 and $f3)) and filesize <= 64KB
}
