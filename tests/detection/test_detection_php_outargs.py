"""PHP built-ins that write request input into a by-reference argument (``parse_str``,
``mb_parse_str``, ``preg_match``, ``array_push``), and the request-line ``$_SERVER`` keys in
the YARA-X gate. Every sample is a minimal one written for these tests."""

from __future__ import annotations

import pytest

from sscguard.detect.webshell.detectors import run_detectors
from sscguard.model import Severity
from sscguard.rules.yara import Matcher, RuleSet

POSITIVES: dict[str, str] = {
    "parse-str-query-string": (
        "<?php\nparse_str($_SERVER['QUERY_STRING'], $q);\npassthru($q['c']);\n"
    ),
    "parse-str-body": (
        "<?php\nparse_str(file_get_contents('php://input'), $in);\nsystem($in['c']);\n"
    ),
    "mb-parse-str-eval": "<?php\nmb_parse_str($_SERVER['QUERY_STRING'], $r);\neval($r['e']);\n",
    "preg-match-capture": (
        "<?php\npreg_match('/c=(.*)/', $_SERVER['QUERY_STRING'], $m);\nsystem(urldecode($m[1]));\n"
    ),
    "preg-match-all-capture": (
        "<?php\npreg_match_all('/x=([^&]*)/', $_SERVER['REQUEST_URI'], $all);\n"
        "shell_exec($all[1][0]);\n"
    ),
    "array-push-then-call": (
        "<?php\n$parts = array();\narray_push($parts, $_COOKIE['p']);\nassert($parts[0]);\n"
    ),
}

BENIGN: dict[str, str] = {
    # the request's parameters parsed and only escaped into the page
    "parse-str-then-echo": (
        "<?php\nparse_str($_SERVER['QUERY_STRING'], $q);\n"
        "echo htmlspecialchars($q['page'] ?? 'home');\n"
    ),
    # a constant string parsed into settings: nothing from the request
    "parse-str-constant": (
        "<?php\nparse_str('mode=fast&level=2', $cfg);\n"
        "system('/usr/bin/renice ' . (int) $cfg['level'] . ' ' . getmypid());\n"
    ),
    # matches of request input used as a number
    "preg-match-digits": (
        "<?php\nif (preg_match('/^(\\d+)$/', $_GET['id'], $m)) {\n"
        "  $row = $db->query('select * from t where id = ' . (int) $m[1]);\n}\n"
    ),
    # the written argument is not the one the built-in writes
    "preg-match-pattern-variable": (
        "<?php\n$pattern = '/^[a-z]+$/';\nif (!preg_match($pattern, $_GET['name'])) exit;\n"
        "include __DIR__ . '/views/' . basename($pattern) . '.php';\n"
    ),
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_request_input_through_an_out_argument_reaches_the_sink(name: str) -> None:
    findings = run_detectors("x.php", POSITIVES[name].encode(), ())
    flagged = [f for f in findings if f.severity >= Severity.HIGH]
    assert flagged, (name, [(f.rule_id, f.severity) for f in findings])
    assert {f.rule_id for f in flagged} & {"SSC-003-400", "SSC-003-401"}


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_out_argument_benign_counterparts_are_not_flagged(name: str) -> None:
    findings = run_detectors("x.php", BENIGN[name].encode(), ())
    assert not [f for f in findings if f.severity >= Severity.MEDIUM], (
        name,
        [(f.rule_id, f.severity) for f in findings],
    )


def test_evidence_names_the_out_argument_call(ruleset: RuleSet) -> None:
    data = POSITIVES["parse-str-query-string"].encode()
    matcher = Matcher(ruleset)
    hits = matcher.match(data, {})
    assert "php_source" in matcher.gates  # $_SERVER['QUERY_STRING'] opens the gate
    found = run_detectors("x.php", data, hits, False, matcher.gates)
    path = next(f for f in found if f.rule_id == "SSC-003-401")
    text = " ".join(e.excerpt for e in path.evidence)
    # the element read is named with its key: writes of other literal keys do not reach it
    expected = "$_SERVER['QUERY_STRING'] (line 2) -> $q['c'] (line 2) -> passthru($q['c']) (line 3)"
    assert expected in text
    assert {e.location.line for e in path.evidence if e.location.line} >= {2, 3}
