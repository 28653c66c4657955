"""The YARA-X gate rules (data/gates) let through every file the regular-expression gate
would: they are only a faster superset, so the analysers see at least the same files."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES
from sscguard.detect.webshell.detectors import php_atoms
from sscguard.rules.yara import Matcher, RuleSet


def _gate(matcher: Matcher, data: bytes) -> bool:
    matcher.match(data, {"filename": "", "filepath": "", "extension": "", "filetype": ""})
    return {"php_source", "php_sink"} <= matcher.gates


def test_gate_rules_are_a_superset_of_the_regex_gate(ruleset: RuleSet) -> None:
    matcher = Matcher(ruleset)
    samples = [p.read_bytes() for p in sorted(Path(SAMPLES).rglob("*")) if p.is_file()]
    samples += [
        b"<?php $f = $_GET['f']; $f($_POST['a']);",
        b"<?php eval(base64_decode('ZWNobyAxOw=='));",
        b"<?php echo `ls $dir`;",
        b"<?php preg_replace('/.*/e', $_REQUEST['c'], '');",
    ]
    regex_pass = [d for d in samples if php_atoms(d)]
    assert len(regex_pass) >= 20
    assert all(_gate(matcher, d) for d in regex_pass)


def test_gate_rules_never_become_findings(ruleset: RuleSet) -> None:
    matcher = Matcher(ruleset)
    hits = matcher.match(b"<?php $x = $_GET['a']; $x($_POST['b']);", {})
    assert {"php_source", "php_sink"} <= matcher.gates
    assert all(not h.rule.id.startswith("php_") for h in hits)
    assert all(i.namespace != "sscguard_gate" for i in ruleset.infos.values())
