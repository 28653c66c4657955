"""The YARA-X gate (data/gates/java.yar) passes every page the Python fallback gate passes,
and the full scan path (gates from the YARA-X pass) reports the JSP findings."""

from __future__ import annotations

from pathlib import Path

from sscguard.detect.webshell.detectors import run_detectors
from sscguard.detect.webshell.jsp import _QUICK_SOURCES
from sscguard.rules.yara import Matcher, RuleSet

from .test_jsp_detection import CAPABILITIES, CODE, COMMAND, DUMP, REVERSE


def _pages() -> list[bytes]:
    pages = [p.encode() for p in (*CODE.values(), *COMMAND.values(), *CAPABILITIES.values())]
    return [*pages, DUMP.encode(), REVERSE.encode()]


def test_gate_passes_every_positive_page(ruleset: RuleSet) -> None:
    matcher = Matcher(ruleset)
    for page in _pages():
        assert any(atom in page for atom in _QUICK_SOURCES)
        matcher.match(page, {"filename": "", "filepath": "", "extension": "", "filetype": ""})
        assert {"java_source", "java_sink"} <= matcher.gates, page[:80]


def test_scan_path_with_gates_reports_findings(ruleset: RuleSet) -> None:
    matcher = Matcher(ruleset)
    page = COMMAND["process-builder"].encode()
    hits = matcher.match(page, {"filename": "", "filepath": "", "extension": "", "filetype": ""})
    found = run_detectors("x.jsp", page, hits, False, matcher.gates)
    assert "SSC-003-420" in {f.rule_id for f in found}
    plain = b"<html><% out.print(1); %></html>"
    matcher.match(plain, {})
    assert "java_source" not in matcher.gates
    assert run_detectors("y.jsp", plain, (), False, matcher.gates) == []


def test_gate_rules_file_ships() -> None:
    import sscguard

    assert (Path(sscguard.__file__).parent / "data" / "gates" / "java.yar").is_file()
