// Gate rules for the PHP obfuscation shapes (detect/webshell/phpobf.py): never reported.
// Each names the cheapest atom of one shape, so the Python checks run only on files that can
// have it. A superset of what the checks need: a false match costs a regex, never a finding.

// XSLT/XPath made to call PHP functions
rule phpobf_xslt
{
    strings:
        $r = "registerphpfunctions" nocase
        $x = "http://php.net/xsl"
        $p = "http://php.net/xpath"
    condition:
        any of them
}

// sinks the main PHP gate cannot see: a decoded preg pattern, a comment between a sink and
// its arguments, a call through $GLOBALS[...], an emoji-named variable
rule phpobf_extra
{
    strings:
        $p = /preg_(replace|filter)\s*\(\s*@?\s*(base64_decode|str_rot13|strrev|gzinflate|gzuncompress|hex2bin|urldecode|rawurldecode|convert_uudecode|pack|chr)\s*\(/ nocase
        $c = /\*\/\s*\(/
        $g = /\$GLOBALS\s*\[[^\]\n]{1,40}\]\s*(\[[^\]\n]{1,20}\]\s*)?\(/
        $e = /\$[\x80-\xff]{0,40}[\xf0-\xf4][\x80-\xbf]{3}/
    condition:
        any of them
}

// a PHP file stored reversed: a reversed superglobal
rule phpobf_reversed
{
    strings:
        $r = /(TSOP|TEG|TSEUQER|EIKOOC|SELIF)_\$/
    condition:
        any of them
}

// variables named only with underscores being assigned, indexed or read indirectly
rule phpobf_uscore
{
    strings:
        $a = "$__"
        $b = "$_="
        $c = "$_ ="
        $d = "$_["
        $e = "${$_"
        $f = "$_."
        $g = "$_("
    condition:
        any of them
}

// names produced at run time: ${decoder("...")}, $GLOBALS['table'][n](...)
rule phpobf_table
{
    strings:
        $d = "${"
        $g = "$GLOBALS["
    condition:
        any of them
}
