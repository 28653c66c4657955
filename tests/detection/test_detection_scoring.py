"""The scoring policy (docs/detection.md): each rule of it, one test."""

from __future__ import annotations

import pytest

from sscguard.detect.webshell import scoring
from sscguard.detect.webshell.detectors import DETECTORS, Detector, check_registry, is_dual_use
from sscguard.detect.webshell.flow import FlowPath, SinkKind, Step
from sscguard.detect.webshell.stats import Stats, measure
from sscguard.model import Confidence, Severity


def _path(
    kind: SinkKind = SinkKind.CODE, sink: str = "eval", steps: int = 3, **kw: object
) -> FlowPath:
    return FlowPath(kind, sink, tuple(Step(f"s{i}", i + 1) for i in range(steps)), **kw)  # type: ignore[arg-type]


def test_code_and_command_execution_are_critical() -> None:
    for kind in (SinkKind.CODE, SinkKind.COMMAND):
        score = scoring.score_path(_path(kind), scoring.Context())
        assert score.severity is Severity.CRITICAL


def test_include_is_high_and_file_write_low_unless_corroborated() -> None:
    assert scoring.score_path(_path(sink="include"), scoring.Context()).severity is Severity.HIGH
    write = _path(SinkKind.FILE_WRITE, "file_put_contents")
    assert scoring.score_path(write, scoring.Context()).severity is Severity.LOW
    assert scoring.score_path(write, scoring.Context(yara_hits=1)).severity is Severity.MEDIUM


def test_confidence_rises_with_direct_path_layer_and_yara() -> None:
    long_path = _path(steps=6)
    assert scoring.score_path(long_path, scoring.Context()).confidence is Confidence.MEDIUM
    assert scoring.score_path(_path(steps=2), scoring.Context()).confidence is Confidence.HIGH
    assert scoring.score_path(long_path, scoring.Context(yara_hits=2)).confidence is Confidence.HIGH
    layered = _path(steps=6, layer=1)
    assert scoring.score_path(layered, scoring.Context()).confidence is Confidence.HIGH


def test_very_long_path_has_low_confidence() -> None:
    score = scoring.score_path(_path(steps=10), scoring.Context())
    assert score.confidence is Confidence.LOW and score.severity is Severity.CRITICAL


def test_packed_file_raises_confidence() -> None:
    packed = Stats(entropy=5.9, longest_token=5000, blob_ratio=0.8)
    assert packed.packed
    score = scoring.score_path(_path(steps=6), scoring.Context(stats=packed))
    assert score.confidence is Confidence.HIGH
    assert any("packed" in r for r in score.reasons)


def test_authorisation_guard_makes_it_low() -> None:
    score = scoring.score_path(_path(guarded=True), scoring.Context(yara_hits=3))
    assert (score.severity, score.confidence) == (Severity.LOW, Confidence.LOW)


def test_dual_use_tool_is_low_unless_obfuscated() -> None:
    ctx = scoring.Context(dual_use=True)
    assert scoring.score_path(_path(), ctx).severity is Severity.LOW
    assert scoring.score_path(_path(layer=1), ctx).severity is Severity.CRITICAL


def test_decoded_execution_and_packed_scores() -> None:
    assert scoring.score_decoded_execution(scoring.Context()).severity is Severity.HIGH
    packed = scoring.score_packed(scoring.Context(), ("eval",))
    assert (packed.severity, packed.confidence) == (Severity.MEDIUM, Confidence.LOW)


def test_stats_measure_blob_and_plain_text() -> None:
    blob = measure(b"<?php $x='" + b"QUJD" * 2000 + b"';")
    assert blob.packed and blob.blob_ratio > 0.9
    plain = measure(b"<?php\necho 'hello world';\n" * 200)
    assert not plain.packed and plain.entropy < 5


def test_dual_use_heuristic_needs_identity_login_and_features() -> None:
    body = (
        b"<?php\n/* Tiny admin @version 1.0 @license MIT */\n"
        + b"password_verify($p, $h); move_uploaded_file($a,$b); new ZipArchive(); chmod($f, 0644);"
        + b"rename($a,$b); unlink($f); mkdir($d); new PDO($dsn); <textarea></textarea> scandir($d);"
    )
    assert is_dual_use(body + b" " * 40_000)
    assert not is_dual_use(body)  # too small to be a published tool
    assert not is_dual_use(body.replace(b"@license", b"").replace(b"@version", b"") + b" " * 40_000)


def test_registry_ids_are_in_range_and_unique() -> None:
    check_registry()
    for det in DETECTORS:
        for rule_id in det.ids:
            assert rule_id.startswith(("SSC-003-4", "SSC-003-5"))  # 5xx: php-tools
    clash = (
        Detector("a", ("SSC-003-450",), lambda c: []),
        Detector("b", ("SSC-003-450",), lambda c: []),
    )
    with pytest.raises(ValueError, match="duplicate"):
        check_registry(clash)


def test_include_chosen_by_a_browser_header_is_low_but_by_a_parameter_high() -> None:
    """Applications include vhost/language files named after Host or Accept-Language; a
    shell includes what a parameter or cookie names."""
    from sscguard.detect.webshell.detectors import run_detectors

    app = b"<?php\n$lang = substr($_SERVER['HTTP_ACCEPT_LANGUAGE'], 0, 2);\ninclude $lang;\n"
    shell = b"<?php\n$f = $_COOKIE['f'];\ninclude $f;\n"
    app_findings = run_detectors("lang.php", app, ())
    assert app_findings and all(f.severity is Severity.LOW for f in app_findings)
    assert any("browser header" in e.detail for f in app_findings for e in f.evidence)
    assert [f.severity for f in run_detectors("x.php", shell, ())] == [Severity.HIGH]


def test_include_fenced_by_a_fixed_directory_and_script_name_is_low() -> None:
    """``include LANG_DIR . $_GET['l'] . '.php'``: an application's local-file-inclusion
    weakness; ``include '/tmp/' . $_GET['f'] . '.php'`` or a whole request path stays high."""
    from sscguard.detect.webshell.detectors import run_detectors

    gate = b"<?php\n$trim = 'trim';\n$trim(' ');\n"  # a call through a variable: parse it
    fenced = gate + b"include(LANG_DIR . $_GET['l'] . '/messages.php');\n"
    tmp = gate + b"include('/tmp/' . $_GET['f'] . '.php');\n"
    whole = gate + b"include($_GET['f']);\n"
    assert [f.severity for f in run_detectors("a.php", fenced, ())] == [Severity.LOW]
    assert [f.severity for f in run_detectors("b.php", tmp, ())] == [Severity.HIGH]
    assert [f.severity for f in run_detectors("c.php", whole, ())] == [Severity.HIGH]


def test_include_of_request_input_after_a_literal_passes_the_gate() -> None:
    """The gate sees ``include('/tmp/' . $_GET['f'] ...)``, not only ``include($...``."""
    from sscguard.detect.webshell.detectors import php_atoms, run_detectors

    page = b"<?php\ninclude('/tmp/' . $_GET['f'] . '.php');\n"
    assert php_atoms(page)
    assert [f.severity for f in run_detectors("t.php", page, ())] == [Severity.HIGH]
