"""hunt runs every applicable part: the baseline part verifies an existing baseline and says
why when there is none; sscguard watch carries the file-integrity watch of that baseline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conftest import CliResult
from sscguard.config import ScanConfig
from sscguard.hunt import HuntOptions, content_paths, hunt

Run = Callable[..., CliResult]
SHELL = b"<?php @eval($_POST['k']); ?>\n"
SITE = """<VirtualHost *:80>
    DocumentRoot /var/www/html
    CustomLog /var/log/apache2/access.log combined
</VirtualHost>
"""


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "host"
    (root / "etc/apache2/sites-enabled").mkdir(parents=True)
    (root / "etc/apache2/apache2.conf").write_text("IncludeOptional sites-enabled/*.conf\n")
    (root / "etc/apache2/sites-enabled/000-default.conf").write_text(SITE)
    (root / "var/www/html").mkdir(parents=True)
    (root / "var/www/html/index.php").write_text("<?php echo 'hello';\n")
    return root


def test_baseline_part_says_why_it_did_not_run(tmp_path: Path) -> None:
    root = _root(tmp_path)
    options = HuntOptions(root=str(root), baseline_db=str(tmp_path / "none.db"))
    doc = hunt(options, ScanConfig(jobs=1, progress=False))
    reasons = {s.source: s.reason for s in doc.skipped if s.code.value == "not-run"}
    assert "no baseline yet" in reasons["part:baseline"]
    assert content_paths_of(root) == [str(root / "var/www/html")]


def content_paths_of(root: Path) -> list[str]:
    from sscguard.targets import discover

    return content_paths(discover(str(root)))


def test_hunt_verifies_the_baseline_and_scans_the_web_root(tmp_path: Path, run: Run) -> None:
    root = _root(tmp_path)
    db = tmp_path / "baseline.db"
    init = run("baseline", "init", "--root", str(root), "--db", str(db), "-q")
    assert init.code == 0, init.err
    (root / "var/www/html/thumb.php").write_bytes(SHELL)
    result = run("hunt", "--root", str(root), "--baseline", str(db), "--format", "json")
    doc = result.json()
    assert result.code == 1
    by_rule = {f["rule_id"]: f for f in doc["findings"]}
    drift = [f for f in doc["findings"] if f["rule_id"] == "SSC-000-100"]  # added file
    assert drift and drift[0]["subject"]["path"].endswith("thumb.php")
    assert any(r.startswith("SSC-003-0") for r in by_rule)  # the content rules
    assert doc["stats"]["parts_run"] >= 3
    assert "part:baseline" not in {s["source"] for s in doc["skipped"]}


def test_watch_runs_the_integrity_watch_of_a_baseline(tmp_path: Path, run: Run) -> None:
    web = tmp_path / "www"
    web.mkdir()
    db = tmp_path / "b.db"
    init = run("baseline", "init", "--no-default-locations", "--path", str(web),
               "--db", str(db), "-q")  # fmt: skip
    assert init.code == 0, init.err
    proc = subprocess.Popen(
        [sys.executable, "-m", "sscguard.cli", "watch", "--integrity-baseline", str(db),
         "--interval", "0.5", "--pid", str(os.getpid()), "--duration", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        started = None
        ready = False
        for line in proc.stdout:
            record = json.loads(line)
            if record.get("event") == "started":
                started = record
            if record.get("event") == "ready":  # the integrity watch has its inotify watches
                ready = True
            if started and ready:
                break
        assert started is not None and started["integrity_watch"] is True
        (web / "drop.php").write_bytes(SHELL)
        deadline = time.monotonic() + 20
        finding = None
        for line in proc.stdout:
            record = json.loads(line)
            if record.get("type") == "finding" and record["subject"]["path"].endswith("drop.php"):
                finding = record
                break
            if time.monotonic() > deadline:
                break
        assert finding is not None
        assert finding["severity"] in ("high", "critical")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert proc.returncode == 0
