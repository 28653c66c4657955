// Gate rules: never reported. They tell the code analysers which files are worth parsing
// (a request source or decoder AND a code/command sink), in the same YARA-X pass as the
// detection rules, instead of a Python regular expression per file. A superset of what the
// precise analysis needs: false matches cost a parse, never a finding.
//
// Three more shapes belong to the gate but are tested in Python (detectors.php_gate) and only
// on files that pass the rest of it: their only YARA-X atoms are frequent short strings
// ("$", "`", "function"), so the scanner verified a regular expression at every PHP variable,
// backtick or function definition of every file (about 2.3 CPU-s of ~9 on the corpus):
//   source: /function\s+\w+\s*\([^)]{0,80}\)\s*\{[^}]{0,400}\b(chr|ord)\s*\(/ nocase
//   sink:   /([=(;,.]|echo|print|return)\s*`[^`\n]{0,200}\$/ nocase
//   sink:   /\$\w+\s*\(/
rule php_source
{
    strings:
        $s1 = /\$_(get|post|request|cookie|files|session)/ nocase
        $s2 = /\$_server\s*\[\s*['"](http_|query_string|request_uri|path_info)/ nocase
        $s3 = "php://input" nocase
        $s4 = "getallheaders" nocase
        $s5 = "apache_request_headers" nocase
        $s6 = "${"
        $s7 = "base64_decode" nocase
        $s8 = "gzinflate" nocase
        $s9 = "gzuncompress" nocase
        $s10 = "str_rot13" nocase
        $s11 = "strrev" nocase
        $s12 = "hex2bin" nocase
        $s13 = "convert_uudecode" nocase
        $s14 = /(\\x[0-9a-f]{2}){3}/ nocase
        $s15 = /chr\s*\(\s*[0-9]+\s*\)\s*\./ nocase
        $s16 = "create_function" nocase
        // weaker or older request sources, variables created from the request
        $s17 = /getenv\s*\(\s*['"]http_/ nocase
        $s18 = /\$http_(get|post|cookie|raw_post)/ nocase
        $s19 = /\$globals\s*\[\s*['"]_(get|post|request|cookie)/ nocase
        $s20 = /(extract|parse_str)\s*\(\s*\$(_|http_)/ nocase
        $s29 = /(import_request_variables|filter_input|exif_read_data)\s*\(/ nocase
        $s30 = /['"]_(post|get|request|cookie)['"]/ nocase
        $s21 = /\$\$\w+\s*=[^=]/
        $s22 = /array_values\s*\(\s*\$_server/ nocase
        // network input (reverse shells), more decoders
        $s23 = /(fsockopen|stream_socket_(client|server|accept)|socket_(create|accept))\s*\(/ nocase
        $s24 = /(gzdecode|rawurldecode|urldecode)\s*\(\s*['"]%/ nocase
        $s25 = /pack\s*\(\s*['"](H\*|c\*|C\*)/ nocase
        $s26 = /chr\s*\(\s*\$/ nocase
        $s27 = /\bnew\s+reflectionfunction/ nocase
        // a PHP page written by the file itself (a dropper)
        $s28 = /(fputs|fwrite|file_put_contents)\s*\([^;]{0,200}<\?(php|=|\s)/ nocase
        $s31 = /['"]<\?php\s*@?(eval|assert|system|passthru|exec|shell_exec)/ nocase
        // code assembled in the file itself: eval/assert of a bare variable, a packer's
        // junk token stripped out of a literal, eval of concatenated literals
        $s33 = /(^|[^\w$>:])(eval|assert)\s*\(\s*\$[^\s()\[\]{};,.]{1,120}\s*\)/ nocase
        $s34 = /(str_replace|\$\w+)\s*\(\s*['"][^'"]{1,16}['"]\s*,\s*['"]['"]\s*,\s*['"]/ nocase
        // hex and octal escapes alternating in one literal (an obfuscator's output)
        $s36 = /\\x[0-9a-f]{2}\\[0-7]{3}\\x[0-9a-f]{2}|\\[0-7]{3}\\x[0-9a-f]{2}\\[0-7]{3}/ nocase
        // a payload carried in the file's own doc comments, read back through reflection
        $s37 = /getDocComment\s*\(/ nocase
        $s35 = /(^|[^\w$>:])eval\s*\(\s*("[^"\n]{0,60}"|'[^'\n]{0,60}')\s*\.\s*['"]/ nocase
    condition:
        any of them
}

rule php_sink
{
    strings:
        $k1 = /(^|[^\w$>:])(eval|assert|system|exec|passthru|popen|proc_open|shell_exec|pcntl_exec|create_function|call_user_func|call_user_func_array|register_shutdown_function|reflectionfunction|array_intersect_ukey|array_diff_ukey|iterator_apply|move_uploaded_file|file_put_contents)\s*\(/ nocase
        $k2 = /(^|[^\w$>:])(preg_replace|preg_filter)\s*\(\s*(\$|['"][^'"]{0,301}e)/ nocase
        $k3 = /(^|[^\w$>:])(array_map|ob_start|array_filter|array_walk|usort|uasort|uksort|xml_set_\w{1,30}_handler|array_uintersect|array_\w{4,9}_uassoc|session_set_save_handler|libxml_set_external_entity_loader)\s*\([^;]{0,120}(\$_|['"](assert|eval|system|exec|passthru|shell_exec|popen|proc_open|create_function)['"])/ nocase
        $k5 = /(^|[^\w$>:])(include|require)(_once)?\s*\(?\s*\$/ nocase
        $k5b = /(^|[^\w$>:])(include|require)(_once)?\b[^;\n]{0,80}\$_(get|post|request|cookie)/ nocase
        $k6 = "${"
        $k8 = /\$_\w+\s*\[[^\]]{0,40}\]\s*\(/
        $k9 = /->\s*invoke(args)?\s*\(/ nocase
        $k11 = /(^|[^\w$>:])(fwrite|fputs)\s*\(/ nocase
        // objects that write or run (SplFileObject, COM shells), tag callbacks, extension
        // loading, a copy of request-named data, a call of a parenthesised property
        $k12 = /new\s+\\?(splfileobject|com)\s*\(/ nocase
        $k13 = /(^|[^\w$>:])(yaml_parse(_file|_url)?|dl)\s*\(/ nocase
        $k14 = /(^|[^\w$>:])copy\s*\(\s*\$_/ nocase
        $k15 = /->\s*\w+\s*\)\s*\(/
        // a call through an array element or another expression (`$o['f'](...)`): the
        // joint of "]" and "(" (cheap atoms; the "$" of the full shape would not be)
        $k17 = /\]\s*\(/
        // mail()'s fifth argument goes onto sendmail's command line (-X writes a log file)
        $k16 = /(^|[^\w$>:])(mb_send_)?mail\s*\((\s*[^,;]{1,150},){4}/ nocase
    condition:
        any of them
}
