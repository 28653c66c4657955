// Gate rules for detect/webshell/phptools.py (database dumpers, data capture, shell
// modules): never reported. Literal atoms only (one bounded regex), so they cost the YARA-X
// pass almost nothing; a false match costs a parse, never a finding.
rule phptools_dump
{
    strings:
        $t1 = "show tables" nocase
        $t2 = "show full tables" nocase
        $t3 = "information_schema.tables" nocase
        $j1 = "ignore_user_abort" nocase
        $j2 = "set_time_limit(0)" nocase
        $k1 = "mysql_connect" nocase
        $k2 = "mysqli_connect" nocase
        $k3 = "mysql_pconnect" nocase
        $k4 = "new PDO" nocase
        $k5 = "new mysqli" nocase
        $k6 = "pg_connect" nocase
        $k7 = "mssql_connect" nocase
        $k8 = "sqlsrv_connect" nocase
        $k9 = "oci_connect" nocase
    condition:
        filesize < 64KB and any of ($k*) and (any of ($t*) or any of ($j*))
}

rule phptools_capture
{
    strings:
        $c1 = "cc_number" nocase
        $c2 = "cc_cid" nocase
        $c3 = "cc_cvv" nocase
        $c4 = "getCcNumber" nocase
        $c5 = "getCcCid" nocase
        $c6 = "ccnumber" nocase
        $w1 = /(serialize|json_encode|print_r|var_export|http_build_query|implode|var_dump)\s*\(\s*(['"][^'"]{0,8}['"]\s*,\s*)?\$_(REQUEST|POST|GET|COOKIE)\b/ nocase
    condition:
        any of them
}

// a page that renders a form: maybe a module whose shell core hands it the request (the
// Python side checks that it reads no request superglobal itself, and the array reads)
rule phptools_form
{
    strings:
        $f1 = "<input" nocase
        $f2 = "<textarea" nocase
    condition:
        filesize < 128KB and any of them
}

// a page that writes a CGI handler configuration (and, the Python side checks, a script)
rule phptools_cgi
{
    strings:
        $c1 = "ExecCGI" nocase
        $c2 = "cgi-script" nocase
    condition:
        filesize < 256KB and any of them
}

// a page that builds a zip archive of what it finds walking directories (site packer)
rule phptools_pack
{
    strings:
        $z1 = "\\x50\\x4b\\x03\\x04" nocase
        $z2 = "ZipArchive" nocase
        $z3 = "PharData" nocase
        $w1 = "opendir" nocase
        $w2 = "scandir" nocase
        $w3 = "RecursiveDirectoryIterator" nocase
    condition:
        filesize < 64KB and any of ($z*) and any of ($w*)
}
