"""Correlation of requests with files, and the check list in docs/logs.md."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, CliResult
from sscguard.detect.logs.checks import CHECKS
from sscguard.detect.logs.correlate import FileFact, correlate, uri_key
from sscguard.detect.logs.webshell import Candidate
from sscguard.model import Location

Run = Callable[..., CliResult]
LOG = (
    '192.0.2.7 - - [10/Oct/2024:10:00:00 +0000] "GET /index.php HTTP/1.1" 200 100 "-" "x"\n'
    '192.0.2.66 - - [10/Oct/2024:10:05:00 +0000] "POST /img/%2e%2e/x.php HTTP/1.1" 200 5 "-" "y"\n'
)


def _previous(tmp_path: Path, run: Run, www: Path) -> Path:
    result = run("scan", str(www), "--format", "json", "--no-progress")
    assert result.code == 1, result.err
    out = tmp_path / "scan.json"
    out.write_text(result.out)
    return out


def test_flagged_file_from_a_previous_result_is_tied_to_its_requests(
    tmp_path: Path, run: Run
) -> None:
    www = tmp_path / "www"
    (www / "img").mkdir(parents=True)
    (www / "index.php").write_text("<?php echo 'hi'; ?>\n")
    (www / "x.php").write_text("<?php @eval($_POST['k']); ?>\n")
    old = 1728554000  # before the log began: not "newly appeared"
    for f in (www / "index.php", www / "x.php"):
        os.utime(f, (old, old))
    previous = _previous(tmp_path, run, www)
    log = tmp_path / "access.log"
    log.write_text(LOG)
    doc = run("logs", str(log), "--with", str(previous), "--format", "json", "-j", "1").json()
    hits = [f for f in doc["findings"] if f["rule_id"] == "SSC-003-210"]
    assert len(hits) == 1
    assert hits[0]["subject"]["path"].endswith("/x.php")
    first = next(e for e in hits[0]["evidence"] if e["kind"] == "first-request")
    assert "192.0.2.66" in first["detail"] and first["location"]["line"] == 2
    # benign: the same files, a log that never requests the shell
    log.write_text(LOG.splitlines(keepends=True)[0])
    doc = run("logs", str(log), "--with", str(previous), "--format", "json", "-j", "1").json()
    assert not [f for f in doc["findings"] if f["rule_id"] == "SSC-003-210"]


def test_webroot_correlation_and_newly_appeared_files(tmp_path: Path, run: Run) -> None:
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.php").write_text("<?php echo 'hi'; ?>\n")
    (www / "new.php").write_text("<?php echo date('c'); ?>\n")
    os.utime(www / "index.php", (1728554000, 1728554000))
    os.utime(www / "new.php", (1728554500, 1728554500))  # after 10:00:00 UTC
    log = tmp_path / "access.log"
    log.write_text(
        LOG + '192.0.2.66 - - [10/Oct/2024:10:09:00 +0000] "GET /new.php HTTP/1.1" 200 5 "-" "y"\n'
    )
    doc = run("logs", str(log), "--webroot", str(www), "--format", "json", "-j", "1").json()
    hits = [f for f in doc["findings"] if f["rule_id"] == "SSC-003-210"]
    assert [h["subject"]["path"].rsplit("/", 1)[-1] for h in hits] == ["new.php"]
    assert "after the log began" in hits[0]["title"]


def test_uri_normalisation_and_pure_correlation() -> None:
    assert uri_key(b"/img/%2e%2e/X.php") == "/x.php"
    assert uri_key(b"//a/./b/../c.php") == "/a/c.php"
    cand = Candidate(
        b"/x.php", 5.0, (), 1, 1, 1, (b"192.0.2.66",), 3, b"t", b"192.0.2.66", b"POST /x.php"
    )
    facts = [
        FileFact("/srv/www/x.php", "x.php", ("SSC-003-001",), False),
        FileFact("/srv/www/y.php", "y.php", ("SSC-003-001",), False),
        FileFact("/srv/www/x2.php", "x.php", (), False),
    ]
    found = correlate(facts, {b"/x.php": cand}, lambda s: Location("log", line=s + 1))
    assert [f.subject.path for f in found] == ["/srv/www/x.php"]


def test_docs_list_every_check() -> None:
    text = (REPO / "docs" / "logs.md").read_text("utf-8")
    listed = set(re.findall(r"\b(SSC-\d{3}-\d{3})\b", text))
    assert set(CHECKS) - {"SIGMA"} <= listed
    assert "SIGMA:" in text
    readme = (REPO / "README.md").read_text("utf-8")
    assert "sscguard logs" in readme
    assert json.dumps  # the module is used by the tests above
