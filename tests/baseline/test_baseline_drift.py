"""Drift of each kind becomes one finding per path; a clean tree and accepted changes do not."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sscguard.baseline import diff
from sscguard.baseline.records import FILE, FileRecord
from sscguard.model import Severity

from .conftest import SHELL, by_subject


def test_unchanged_tree_is_clean(www: Path, init: Callable[..., Any], verify: Any) -> None:
    init(www)
    result = verify("--full")
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["findings"] == []
    assert doc["stats"]["files_hashed"] == 3  # --full re-hashed every regular file


def test_each_drift_kind_is_reported(www: Path, init: Callable[..., Any], verify: Any) -> None:
    init(www)
    (www / "new.txt").write_text("new\n")  # added
    (www / "readme.txt").unlink()  # removed
    (www / "index.php").write_text("<?php echo 'changed'; ?>\n")  # content
    os.chmod(www / "app" / "config.ini", 0o666)  # mode
    os.chown(www / "app", 65534, 65534) if os.geteuid() == 0 else None  # owner
    (www / "current").unlink()
    (www / "current").mkdir()  # type: link became a directory
    result = verify("--min-severity", "info")
    assert result.code == 1, result.err
    found = by_subject(result.json())
    expected = {
        "new.txt": "SSC-000-100",
        "readme.txt": "SSC-000-101",
        "index.php": "SSC-000-102",
        "app/config.ini": "SSC-000-103",
        "current": "SSC-000-105",
    }
    if os.geteuid() == 0:
        expected["app"] = "SSC-000-104"
    for rel, rule in expected.items():
        finding = found[str(www / rel)]
        assert finding["rule_id"] == rule, (rel, finding["rule_id"])
        assert rule in finding["tags"]
        assert finding["attack"][0]["technique"] == "T1505"
        assert "M1047" in finding["attack"][0]["mitigations"]
    assert found[str(www / "new.txt")]["attack"][0]["data_component"] == "DS0022 File Creation"
    assert set(found) == {str(www / rel) for rel in expected}


def test_link_retarget_and_mode_severity(www: Path, init: Callable[..., Any], verify: Any) -> None:
    init(www)
    (www / "current").unlink()
    (www / "current").symlink_to("/etc")
    os.chmod(www / "index.php", 0o4755)  # gained setuid: medium, not low
    found = by_subject(verify().json())
    assert found[str(www / "current")]["rule_id"] == "SSC-000-106"
    assert "app -> /etc" in found[str(www / "current")]["evidence"][0]["detail"]
    assert found[str(www / "index.php")]["severity"] == "medium"


def test_web_shell_is_one_finding_with_both_reasons(
    www: Path, init: Callable[..., Any], verify: Any
) -> None:
    init(www)
    (www / "app" / "cache.php").write_bytes(SHELL)
    result = verify()
    assert result.code == 1
    doc = result.json()
    assert len(doc["findings"]) == 1
    finding = doc["findings"][0]
    assert finding["rule_id"] == "SSC-000-100"
    assert finding["severity"] in ("high", "critical")
    kinds = [e["kind"] for e in finding["evidence"]]
    assert "integrity:SSC-000-100" in kinds
    assert any(k.startswith("content:SSC-003-") for k in kinds)
    assert any(t.startswith("SSC-003-") for t in finding["tags"])


def test_benign_new_page_is_low(www: Path, init: Callable[..., Any], verify: Any) -> None:
    init(www)
    (www / "about.html").write_text("<html><body>About us</body></html>\n")
    result = verify()  # default threshold medium: a new static page does not fail the run
    assert result.code == 0
    assert (
        by_subject(verify("--min-severity", "low").json())[str(www / "about.html")]["severity"]
        == "low"
    )


def test_accept_records_who_when_why(
    www: Path, db: Path, init: Callable[..., Any], verify: Any, run: Callable[..., Any]
) -> None:
    init(www)
    (www / "index.php").write_text("<?php echo 'release 2'; ?>\n")
    (www / "readme.txt").unlink()
    assert verify().code == 1
    no_reason = run("baseline", "accept", "--db", str(db), str(www / "index.php"))
    assert no_reason.code == 2  # --reason is mandatory
    result = run("baseline", "accept", "--db", str(db), "--reason", "release 2 deployed", "--all")
    assert result.code == 0, result.err
    assert verify("--min-severity", "info").json()["findings"] == []
    shown = run("baseline", "show", "--db", str(db), "--audit", "--format", "json").json()
    trail = shown["audit"]
    assert {e["path"] for e in trail} == {str(www / "index.php"), str(www / "readme.txt")}
    assert all(e["reason"] == "release 2 deployed" and e["who"] and e["at"] for e in trail)
    assert shown["meta"]["generation"] == "2"
    # The audit trail cannot be rewritten.
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET reason = 'x'")
    conn.close()
    # A later accept keeps the earlier entries.
    (www / "new.php").write_text("<?php echo 'n'; ?>\n")
    assert run("baseline", "accept", "--db", str(db), "--reason", "page", str(www)).code == 0
    after = run("baseline", "show", "--db", str(db), "--audit", "--format", "json").json()
    assert after["audit"][: len(trail)] == trail
    assert after["audit"][-1]["path"] == str(www / "new.php")


def test_content_change_behind_unchanged_stat_is_flagged() -> None:
    old = FileRecord("/var/www/a.php", FILE, 0o644, 0, 0, 10, 5, 1, 100, 200, sha256="aa" * 32)
    new = FileRecord("/var/www/a.php", FILE, 0o644, 0, 0, 10, 5, 1, 100, 200, sha256="bb" * 32)
    drifts = diff.compare(old, new)
    assert [d.kind for d in drifts] == [diff.CONTENT_SAME_STAT]
    assert diff.compare(old, FileRecord(**{**_fields(old), "sha256": None})) == []


def _fields(rec: FileRecord) -> dict[str, Any]:
    return {name: getattr(rec, name) for name in rec.__slots__}  # type: ignore[attr-defined]


def test_missing_baseline_is_a_usage_error(tmp_path: Path, run: Callable[..., Any]) -> None:
    result = run("baseline", "verify", "--db", str(tmp_path / "none.db"))
    assert result.code == 2
    assert "no baseline" in result.err


def test_parallel_verify_matches_sequential(
    www: Path, db: Path, init: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sscguard.baseline import engine
    from sscguard.config import ScanConfig

    (www / "gone").mkdir()
    (www / "gone" / "old.php").write_text("<?php echo 1; ?>\n")
    init(www)
    (www / "zz-new").mkdir()
    (www / "zz-new" / "page.php").write_bytes(SHELL)
    (www / "gone" / "old.php").unlink()
    (www / "gone").rmdir()
    (www / "index.php").write_text("<?php echo 'v2'; ?>\n")

    def findings(jobs: int) -> list[tuple[str, str]]:
        cfg = ScanConfig(jobs=jobs, progress=False, min_severity=Severity.INFO)
        doc = engine.verify("/", str(db), cfg)
        return sorted((f.subject.path, f.rule_id) for f in doc.findings)

    sequential = findings(1)
    monkeypatch.setattr(engine, "PARALLEL_ABOVE", 0)
    assert findings(2) == sequential
    assert len(sequential) == 5  # new dir and page, removed dir and file, index.php changed
