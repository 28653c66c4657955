"""Server-side pages inside WAR/JAR/ZIP archives are scanned, with bounds no bomb gets past."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from sscguard.config import ScanConfig
from sscguard.extract.archive import Limits, Member, members
from sscguard.model import Severity, SkipCode, Skipped
from sscguard.rules.yara import RuleSet
from sscguard.scan import scan

JSP_SHELL = (
    b'<%@ page import="java.io.*" %><% String c = request.getParameter("c");\n'
    b"Process p = Runtime.getRuntime().exec(c); %>\n"
)
BENIGN_JSP = b"<html><body><%= new java.util.Date() %></body></html>\n"


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _scan(path: Path, ruleset: RuleSet) -> tuple[set[str], list[Skipped]]:
    doc = scan([str(path)], ScanConfig(jobs=1, progress=False), ruleset=ruleset)
    return {f.subject.path for f in doc.findings}, list(doc.skipped)


def test_jsp_shell_inside_a_war_and_a_nested_jar(tmp_path: Path, ruleset: RuleSet) -> None:
    inner = _zip({"META-INF/resources/admin/status.jsp": JSP_SHELL})
    war = tmp_path / "shop.war"
    war.write_bytes(
        _zip({"index.jsp": BENIGN_JSP, "WEB-INF/lib/ui.jar": inner, "up/x.jsp": JSP_SHELL,
              "WEB-INF/classes/App.class": b"\xca\xfe\xba\xbe"})
    )  # fmt: skip
    flagged, skipped = _scan(war, ruleset)
    assert flagged == {
        f"{war}!/up/x.jsp",
        f"{war}!/WEB-INF/lib/ui.jar!/META-INF/resources/admin/status.jsp",
    }
    assert not skipped


def test_a_decompression_bomb_is_refused_quickly(tmp_path: Path, ruleset: RuleSet) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(_zip({"a.jsp": b"0" * (200 << 20), "b.jsp": JSP_SHELL}))
    assert bomb.stat().st_size < 1 << 20
    start = time.monotonic()
    flagged, skipped = _scan(bomb, ruleset)
    assert time.monotonic() - start < 10
    assert flagged == {f"{bomb}!/b.jsp"}  # the rest of the archive is still scanned
    reasons = {s.source: s for s in skipped}
    assert reasons[f"{bomb}!/a.jsp"].code is SkipCode.TOO_LARGE


def test_a_member_that_lies_about_its_size_cannot_inflate(tmp_path: Path) -> None:
    data = bytearray(_zip({"a.jsp": b"A" * (1 << 20)}))
    # Rewrite the central directory's uncompressed size to claim 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04")
    data[local + 22 : local + 26] = (10).to_bytes(4, "little")
    out = list(members("x.war", bytes(data), Limits(max_member_size=1 << 16, max_ratio=10**9)))
    assert not [m for m in out if isinstance(m, Member) and len(m.data) > 1 << 16]
    assert out and all(isinstance(m, Skipped) for m in out)


def test_limits_on_count_depth_and_garbage() -> None:
    many = _zip({f"p{i}.jsp": BENIGN_JSP for i in range(30)})
    out = list(members("m.war", many, Limits(max_members=10)))
    assert sum(isinstance(m, Member) for m in out) == 10
    assert any(isinstance(m, Skipped) and "more than 10" in m.reason for m in out)
    deep = _zip({"a.jar": _zip({"b.jar": _zip({"c.jsp": JSP_SHELL})})})
    out = list(members("d.war", deep, Limits(max_depth=2)))
    assert [m.code for m in out if isinstance(m, Skipped)] == [SkipCode.TOO_DEEP]
    broken = list(members("e.war", b"PK\x03\x04 not really a zip"))
    assert len(broken) == 1 and isinstance(broken[0], Skipped)


def test_archives_count_as_scanned_files_only_once(tmp_path: Path, ruleset: RuleSet) -> None:
    war = tmp_path / "plain.war"
    war.write_bytes(_zip({"index.jsp": BENIGN_JSP}))
    doc = scan([str(war)], ScanConfig(jobs=1, progress=False, min_severity=Severity.INFO),
               ruleset=ruleset)  # fmt: skip
    assert doc.stats["files_scanned"] == 1 and not doc.findings
