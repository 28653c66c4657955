"""PHP dataflow and deobfuscation: minimal samples written for these tests, positive and benign."""

from __future__ import annotations

import base64
import codecs
import zlib

import pytest

from sscguard.detect.webshell.detectors import FileContext, detect_php, run_detectors
from sscguard.detect.webshell.flow import SinkKind
from sscguard.detect.webshell.php import analyse_php
from sscguard.model import Severity


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _deflate(text: str) -> str:
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(raw.compress(text.encode()) + raw.flush()).decode()


def _xor(text: str, key: str) -> str:
    data = bytes(b ^ key.encode()[i % len(key)] for i, b in enumerate(text.encode()))
    return base64.b64encode(data).decode()


INNER = 'system($_GET["c"]);'

POSITIVES = {
    "plain": "<?php\n$a = $_POST['x'];\n$b = base64_decode($a);\neval($b);\n",
    "command": "<?php\nif (isset($_REQUEST['q'])) { echo shell_exec($_REQUEST['q']); }\n",
    "backticks": "<?php\n$c = $_COOKIE['k'];\necho `$c`;\n",
    "function-parameter": "<?php\nfunction run($x) { return passthru($x); }\nrun($_GET['p']);\n",
    "base64-layer": f"<?php\neval(base64_decode('{_b64(INNER)}'));\n",
    "gzinflate-layer": f"<?php\neval(gzinflate(base64_decode('{_deflate(INNER)}')));\n",
    "rot13-layer": f"<?php\neval(str_rot13('{codecs.encode(INNER, 'rot13')}'));\n",
    "strrev-layer": f"<?php\neval(strrev('{INNER[::-1]}'));\n",
    "chr-concat": "<?php\n$f = chr(115).chr(121).chr(115).'tem';\n$f($_GET['c']);\n",
    "string-split": "<?php\n$f = str_replace('#', '', 'a#s#s#e#r#t');\n$f($_POST['z']);\n",
    "xor-literal": "<?php\n$f = 'SYS' ^ '   ';\n$g = $f . 'tem';\n$g($_GET['x']);\n",
    "xor-loop-key": (
        "<?php\n$k = 'k3y';\n$d = base64_decode('" + _xor(INNER, "k3y") + "');\n"
        "$o = '';\nfor ($i = 0; $i < strlen($d); $i++) { $o .= $d[$i] ^ $k[$i % 3]; }\n"
        "eval($o);\n"
    ),
    "variable-variables": "<?php\n$n = '_PO' . 'ST';\n$v = ${$n}['cmd'];\nsystem($v);\n",
    "callback": "<?php\narray_map('assert', array($_REQUEST['m']));\n",
    "request-chosen-function": "<?php\n$_GET['f']($_GET['a']);\n",
    "create-function": "<?php\n$l = create_function('', $_POST['code']);\n$l();\n",
}

BENIGN = {
    "framework-eval-constant": "<?php\n$tpl = 'return 1 + 1;';\n$r = eval($tpl);\n",
    "escaped-exec": (
        "<?php\n$f = $_GET['file'];\n"
        "exec('convert ' . escapeshellarg(basename($f)) . ' out.png');\n"
    ),
    "callback-closure": "<?php\n$out = array_map('trim', $_POST['names']);\nprint_r($out);\n",
    "pdo-exec": "<?php\n$db->exec('DELETE FROM t WHERE id = ' . intval($_GET['id']));\n",
    "env-lookup": "<?php\nfunction env($n) { return $_SERVER[$n]; }\n$f = env('X');\nrequire $f;\n",
    "static-include": "<?php\n$page = 'home';\ninclude $page . '.php';\n",
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_positive_sample_has_request_to_sink_path(name: str) -> None:
    analysis = analyse_php(POSITIVES[name].encode())
    assert analysis.paths, f"{name}: no path found"
    assert analysis.paths[0].kind in (SinkKind.CODE, SinkKind.COMMAND)
    findings = detect_php(FileContext("x.php", POSITIVES[name].encode()))
    assert any(f.severity >= Severity.HIGH for f in findings), name


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_benign_sample_is_not_flagged(name: str) -> None:
    findings = run_detectors("x.php", BENIGN[name].encode(), ())
    assert not [f for f in findings if f.severity >= Severity.MEDIUM], name


def test_finding_explains_the_path_with_line_numbers() -> None:
    findings = detect_php(FileContext("s.php", POSITIVES["plain"].encode()))
    (finding,) = findings
    assert finding.rule_id == "SSC-003-400"
    steps = [e for e in finding.evidence if e.kind == "dataflow-step"]
    assert [(e.excerpt, e.location.line) for e in steps] == [
        ("$_POST['x']", 2),
        ("$a", 2),
        ("base64_decode($a)", 3),
        ("$b", 3),
        ("eval($b)", 4),
    ]
    path = next(e for e in finding.evidence if e.kind == "dataflow-path")
    assert path.excerpt.startswith("$_POST['x'] (line 2) -> $a (line 2) -> base64_decode")


def test_decoded_layer_is_analysed_again_and_named_in_the_path() -> None:
    analysis = analyse_php(POSITIVES["gzinflate-layer"].encode())
    assert analysis.layers and analysis.layers[0].executed
    path = analysis.paths[0]
    assert path.layer == 1 and path.kind is SinkKind.COMMAND
    assert "decoded layer 1" in path.steps[0].label


def test_executed_constant_blob_without_request_input_is_high() -> None:
    sample = f"<?php\neval(base64_decode('{_b64('echo phpversion(); $x = 1;')}'));\n"
    findings = detect_php(FileContext("x.php", sample.encode()))
    assert [f.rule_id for f in findings] == ["SSC-003-403"]
    assert findings[0].severity is Severity.HIGH


def test_authorisation_check_around_the_sink_is_low() -> None:
    sample = "<?php\nif (current_user_can('manage_options')) {\n  eval($_POST['php']);\n}\n"
    (finding,) = detect_php(FileContext("admin.php", sample.encode()))
    assert finding.severity is Severity.LOW
    assert any("authorisation" in e.detail for e in finding.evidence)


def test_request_chosen_upload_destination_is_low_without_corroboration() -> None:
    sample = (
        "<?php\nif (in_array($_POST['kind'], $kinds)) {\n"
        "  move_uploaded_file($_FILES['f']['tmp_name'], $_POST['to']);\n}\n"
    )
    (finding,) = detect_php(FileContext("up.php", sample.encode()))
    assert finding.rule_id == "SSC-003-402" and finding.severity is Severity.LOW


def test_non_php_and_sinkless_files_are_not_parsed() -> None:
    assert detect_php(FileContext("a.txt", b"hello $_GET world")) == []
    assert detect_php(FileContext("a.php", b"<?php echo $_GET['x'];")) == []


def test_scan_reports_dataflow_finding(tmp_path, run) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.php").write_text(POSITIVES["variable-variables"])
    result = run("scan", "--no-progress", "--format", "json", str(tmp_path))
    assert result.code == 1
    assert "SSC-003-401" in result.out and "dataflow-step" in result.out
