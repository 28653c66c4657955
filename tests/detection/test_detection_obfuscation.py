"""PHP obfuscation shapes (phpobf.py, SSC-003-480..484), content-sniffed dispatch (sniff.py)
and the folding additions they rely on (reflection, properties, comment-split sinks, name
tables in ``$GLOBALS``, emoji variable names).

Every sample is a minimal one written for these tests.
"""

from __future__ import annotations

import base64

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell import phpobf, sniff
from sscguard.detect.webshell.detectors import FileContext, run_detectors
from sscguard.model import Finding, Severity

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _flagged(name: str, data: bytes) -> list[Finding]:
    return [f for f in run_detectors(name, data, ()) if f.severity >= Severity.MEDIUM]


def _ids(name: str, data: bytes) -> set[str]:
    return {f.rule_id for f in _flagged(name, data)}


# -- SSC-003-480 non-alphanumeric code -----------------------------------------------------

#: builds "_GET" from XOR-ed punctuation, reads ${"_GET"} and calls element 0 with element 1
NON_ALNUM = (
    b"<?php\n$_=('{'^'$').('{'^'<').('{'^'>').('{'^'/');\n"
    b"$__=$$_;\n"
    b"$___=$__[+!![]];\n"
    b"$__[+[]]($___);\n"
)


def test_non_alphanumeric_code_calling_through_underscore_variables_is_flagged() -> None:
    found = [f for f in _flagged("n.php", NON_ALNUM) if f.rule_id == "SSC-003-480"]
    assert found and found[0].severity is Severity.HIGH
    lines = {e.location.line for e in found[0].evidence if e.kind == "dynamic-call"}
    assert lines == {5}


def test_code_with_letters_and_underscore_variables_is_not_non_alphanumeric() -> None:
    # gettext-style helpers named _ and __, ordinary code around them
    app = (
        b"<?php\nfunction __($s) { return translate($s); }\n$_ = 'x'; $__ = 'y';\n"
        b"echo __('Hello'); echo _($_); echo __($__); $_ .= $__; print $_;\n"
        b"$items = array_map('trim', explode(',', $list)); foreach ($items as $i) { echo $i; }\n"
    )
    assert "SSC-003-480" not in _ids("app.php", app)
    # punctuation inside strings and comments does not count as code
    strings = b"<?php\n$_ = '$_[]=$__;$___(+$_);'; /* $_ $__ $___ $_ */ echo $_;\n" * 3
    assert phpobf.non_alphanumeric(strings) is None


def test_blanking_keeps_length_and_lines() -> None:
    code = b'$a = \'x\ny\'; // c\n$b = "q\\""; /* z\n */ $c;'
    out = phpobf.blank_literals(code)
    assert len(out) == len(code) and out.count(b"\n") == code.count(b"\n")
    assert b"x" not in out and b"q" not in out and b"$c" in out


@FAST
@given(st.binary(max_size=600))
def test_obfuscation_helpers_never_crash(data: bytes) -> None:
    out = phpobf.blank_literals(data)
    assert len(out) == len(data)
    assert phpobf.non_alphanumeric(b"<?php " + data) is None or True
    renamed = phpobf.ascii_identifiers(data)
    assert renamed is None or len(renamed) == len(data)
    text = sniff.utf16_text(b"\xff\xfe" + data)
    assert text is None or isinstance(text, bytes)


@FAST
@given(st.text(alphabet="$_[]()+-!^.;'\"{}<>=@~ \n\U0001f600\U0001f47d", max_size=300))
def test_obfuscation_detector_on_punctuation_soup_never_crashes(text: str) -> None:
    data = b"<?php\n" + text.encode("utf-8")
    phpobf.detect(FileContext("x.php", data))
    run_detectors("x.php", data, ())


# -- emoji variable names ------------------------------------------------------------------


def test_emoji_variable_names_are_analysed_like_ascii_ones() -> None:
    shell = (
        "<?php\n$\U0001f600 = 'sys'; $\U0001f601 = 'tem';\n"
        "$\U0001f47d = $\U0001f600 . $\U0001f601;\n$\U0001f47d($_GET['\U0001f511']);\n"
    ).encode()
    assert "SSC-003-401" in _ids("e.php", shell)
    benign = "<?php\n$\U0001f600 = 'Hello'; echo $\U0001f600;\n".encode()
    assert not _flagged("e.php", benign)


def test_ascii_identifiers_keeps_offsets_and_distinct_names() -> None:
    data = "<?php $\U0001f600=1; $\U0001f601=2; echo $\U0001f600+$\U0001f601;".encode()
    out = phpobf.ascii_identifiers(data)
    assert out is not None and len(out) == len(data) and out.isascii()
    names = set(out.split(b"$")[1:])
    assert len({n[:4] for n in names}) == 2


# -- SSC-003-481 reversed source -----------------------------------------------------------


def test_reversed_php_source_is_flagged_at_original_lines() -> None:
    source = b"<?php\n$c = $_POST['c'];\nsystem($c);\n"
    found = [f for f in _flagged("r.php", source[::-1]) if f.rule_id == "SSC-003-481"]
    assert found and found[0].severity is Severity.HIGH
    steps = [e for e in found[0].evidence if e.kind == "dataflow-step"]
    assert steps and all(1 <= (e.location.line or 0) <= 4 for e in steps)
    assert any(e.kind == "reversed-source" for e in found[0].evidence)


def test_text_mentioning_reversed_words_is_not_reversed_source() -> None:
    # a string-reversal helper and its test vector, written forwards
    app = b"<?php\n$s = strrev('abc'); echo $_GET['q'] === 'cba' ? 'ok' : 'no';\n"
    assert "SSC-003-481" not in _ids("app.php", app)


# -- SSC-003-482 XSLT / XPath --------------------------------------------------------------


def test_stylesheet_calling_php_assert_is_flagged() -> None:
    xsl = (
        b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'
        b' xmlns:p="http://php.net/xsl">\n<xsl:template match="/">\n'
        b"<xsl:value-of select=\"p:function('assert', string(.))\"/>\n"
        b"</xsl:template>\n</xsl:stylesheet>\n"
    )
    assert "SSC-003-482" in _ids("t.xsl", xsl)
    assert "SSC-003-482" in _ids("t.php", xsl)


def test_xpath_query_from_the_request_with_php_functions_is_flagged() -> None:
    page = (
        b"<?php\n$x = new DOMXPath($doc);\n$x->registerNamespace('php', 'http://php.net/xpath');\n"
        b"$x->registerPhpFunctions();\n$r = $x->query($_GET['q']);\n"
    )
    found = [f for f in _flagged("x.php", page) if f.rule_id == "SSC-003-482"]
    assert found and {e.location.line for e in found[0].evidence} >= {4, 5}


def test_stylesheet_with_harmless_php_functions_is_not_flagged() -> None:
    app = (
        b"<?php\n$proc = new XSLTProcessor();\n$proc->registerPHPFunctions(['strtoupper']);\n"
        b"$xsl = '<xsl:value-of select=\"php:function(\\'strtoupper\\', string(.))\"/>';\n"
        b"$proc->importStylesheet($style); echo $proc->transformToXml($doc);\n"
    )
    assert "SSC-003-482" not in _ids("app.php", app)


# -- SSC-003-483 runtime name table --------------------------------------------------------


def test_variables_named_by_a_decoder_and_called_are_flagged() -> None:
    body = b"".join(
        b'${d("k%d#")} = d("v%d!");\n${d("k%d#")}(${d("a%d")});\n' % (i, i, i, i) for i in range(10)
    )
    packed = b"<?php\nfunction d($s) { return str_rot13($s); }\n" + body
    assert "SSC-003-483" in _ids("p.php", packed)


def test_a_few_decoded_names_in_application_code_are_not_a_name_table() -> None:
    app = b'<?php\n${t("title")} = "Home";\necho ${t("title")};\n${t("x")}($y);\n'
    assert "SSC-003-483" not in _ids("app.php", app)


# -- SSC-003-484 machine-named encoder output ----------------------------------------------


def _high(i: int) -> bytes:
    return bytes((0xA1 + i % 90, 0xB2 + i % 60, 0xC3 + i % 40))


def test_encoder_output_with_non_ascii_names_that_evals_is_flagged() -> None:
    assigns = b"".join(b"$" + _high(i) + b"='%d';$" % i + _high(i) + b".='x';" for i in range(15))
    packed = b"<?php " + assigns + b"eval($" + _high(0) + b".$" + _high(1) + b");"
    assert "SSC-003-484" in _ids("enc.php", packed)


def test_non_ascii_names_without_execution_are_not_flagged() -> None:
    names = b"".join(b"$" + _high(i) + b"='%d';$" % i + _high(i) + b".='x';" for i in range(15))
    assert "SSC-003-484" not in _ids("l10n.php", b"<?php " + names + b"echo $" + _high(2) + b";")


# -- folding additions ---------------------------------------------------------------------


def test_callee_assembled_from_reflected_class_constants_is_resolved() -> None:
    shell = (
        b"<?php\nclass K { const a = 'sy'; const b = 'st'; const c = 'em'; }\n"
        b"$r = new ReflectionClass('K');\n$f = '';\n"
        b"foreach ($r->getConstants() as $v) { $f .= $v; }\n"
        b"$f($_POST['c']);\n"
    )
    assert "SSC-003-401" in _ids("k.php", shell)
    single = (
        b"<?php\nclass K { const a = 'as'; const b = 'sert'; }\n$r = new ReflectionClass('K');\n"
        b"for ($i = 97; $i <= 98; $i++) { $f .= $r->getConstant(chr($i)); }\n$f($_POST['c']);\n"
    )
    assert "SSC-003-400" in _ids("k.php", single)


def test_reflected_constants_naming_a_harmless_function_are_not_flagged() -> None:
    app = (
        b"<?php\nclass K { const a = 'str'; const b = 'toupper'; }\n"
        b"$r = new ReflectionClass('K');\n$f = '';\n"
        b"foreach ($r->getConstants() as $v) { $f .= $v; }\necho $f($_GET['s']);\n"
    )
    assert not {"SSC-003-400", "SSC-003-401"} & _ids("k.php", app)


def test_payload_decoded_from_a_property_and_evaluated_behind_a_comment_is_found() -> None:
    blob = base64.b64encode(b"system($_GET['c']);").decode()
    shell = (
        "<?php\nclass P { public $a; function __construct() {\n"
        f"  $this->a = '{blob}';\n  $this->b = base64_decode($this->a);\n"
        '  eval/* x */("/* y */" . $this->b);\n} }\nnew P();\n'
    ).encode()
    assert {"SSC-003-400", "SSC-003-401"} & _ids("p.php", shell)


def test_globals_replaced_by_a_name_table_resolves_callees() -> None:
    shell = (
        b"<?php\n$GLOBALS = array('c' => 'call_user' . '_func', 'e' => 'as' . 'sert');\n"
        b"$GLOBALS['c']($GLOBALS['e'], $_POST['x']);\n"
    )
    assert "SSC-003-400" in _ids("g.php", shell)


def test_decoded_preg_pattern_passes_the_gate() -> None:
    pattern = base64.b64encode(b"/.*/e").decode()
    code = base64.b64encode(b"system($_COOKIE['c']);").decode()
    shell = (
        f"<?php\necho preg_replace(base64_decode('{pattern}'), base64_decode('{code}'), 'x');\n"
    ).encode()
    assert _flagged("pr.php", shell)


# -- content sniffing ----------------------------------------------------------------------


def test_utf16_php_is_transcoded_with_original_line_numbers() -> None:
    text = "<?php\n\n$c = $_GET['c'];\nsystem($c);\n"
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        found = _flagged("u.php", bom + text.encode(codec))
        assert "SSC-003-401" in {f.rule_id for f in found}
        lines = {e.location.line for f in found for e in f.evidence if e.kind == "dataflow-step"}
        assert lines <= {3, 4} and 4 in lines


def test_utf16_text_without_code_is_clean_and_binary_is_not_transcoded() -> None:
    assert not _flagged("readme.txt", b"\xff\xfe" + "Hello, world\n".encode("utf-16-le"))
    assert sniff.utf16_text(b"\xff\xfe" + bytes(range(256)) * 4) is None


ASPX_SHELL = (
    b'<%@ Page Language="C#" %>\n<script runat="server">\n'
    b"void Page_Load(object s, EventArgs e) {\n"
    b"  var p = new System.Diagnostics.Process();\n"
    b'  p.StartInfo.FileName = "cmd.exe";\n'
    b'  p.StartInfo.Arguments = "/c " + Request["c"];\n'
    b"  p.Start();\n}\n</script>\n"
)


def test_aspx_page_named_php_goes_through_the_aspx_analyser() -> None:
    as_aspx = _ids("s.aspx", ASPX_SHELL)
    assert as_aspx and _ids("s.php", ASPX_SHELL) == as_aspx
    assert sniff.foreign_page(FileContext("s.php", ASPX_SHELL)) == ".aspx"


def test_php_file_with_asp_like_text_stays_php() -> None:
    page = b'<?php echo "<%@ Page Language=\\"C#\\" %>"; ?>\n<p>docs</p>\n'
    assert sniff.foreign_page(FileContext("doc.php", page)) is None
    assert not _flagged("doc.php", page)


def test_hostile_reflection_and_property_shapes_stay_bounded() -> None:
    """Self-referencing properties, reflection of missing or recursive classes, a huge
    constant list: no crash, no hang, nothing invented."""
    consts = b"".join(b"const c%d = 'x';" % i for i in range(400))
    hostile = (
        b"<?php\nclass A { public $p; function f() { $this->p = $this->p . 'x'; "
        b"eval($this->p); } }\nclass B { " + consts + b" }\n"
        b"$r = new ReflectionClass('Missing');\n$s = new ReflectionClass($r);\n"
        b"$t = new ReflectionClass('B');\n"
        b"foreach ($t->getConstants() as $v) { $f .= $v; }\n$f($_GET['a']);\n"
        b"$u = new ReflectionClass('A');\n$g = $u->getDocComment() . $u->getName();\n"
        b"$g($_GET['b']);\n"
    )
    found = run_detectors("h.php", hostile, ())
    assert not {"SSC-003-400", "SSC-003-401"} & {f.rule_id for f in found}
