"""A matrix of web-shell techniques, one minimal sample each (tests/samples/techniques),
written for sscguard from the public description of each technique and not taken from any
collection. It guards generalisation: techniques the development corpus has few or no
examples of (EL injection, ASMX web methods, PowerShell runspaces, formatter
deserialisation, by-reference out-arguments, callbacks such as XML handlers, string-building
obfuscations, encoded ASP payloads...) must each stay flagged at medium or above by the full
scan path (YARA-X rules, gates and analysers, as a scan runs them).

Naming: ``r<round>-<letter><n>.<ext>``; the letter is the family (a/x/r/v/w .NET, j/e JSP,
p/q/o PHP, s ASP, pl Perl, c CFM, h server config). Known gaps are listed in
docs/detection.md ("Known limitations") rather than kept here as failing samples.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ScanPath
from sscguard.model import Severity

FOLDER = Path(__file__).parents[1] / "samples" / "techniques"
SAMPLES = sorted(p.name for p in FOLDER.iterdir())


def _worst(name: str, scan_path: ScanPath) -> Severity | None:
    result = scan_path(f"/srv/www/{name}", (FOLDER / name).read_bytes())
    assert not result.skipped, result.skipped
    return max((f.severity for f in result.findings), default=None)


def test_the_matrix_covers_every_family() -> None:
    assert len(SAMPLES) >= 140
    exts = {Path(n).suffix for n in SAMPLES}
    assert {".php", ".jsp", ".asp", ".aspx", ".asmx", ".ashx", ".cshtml", ".jspx"} <= exts


@pytest.mark.parametrize("name", SAMPLES)
def test_technique_is_flagged_medium_or_above(name: str, scan_path: ScanPath) -> None:
    worst = _worst(name, scan_path)
    assert worst is not None and worst >= Severity.MEDIUM, (name, worst)
