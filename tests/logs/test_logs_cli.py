"""`sscguard logs` command line: usage errors, missing files, rotated sets given together."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from conftest import CliResult

Run = Callable[..., CliResult]
LINE = (
    '192.0.2.{n} - - [10/Oct/2024:10:00:{s:02d} +0000] "GET /p{n}.html HTTP/1.1" 200 10 "-" "x"\n'
)


def test_usage_errors_exit_2(tmp_path: Path, run: Run) -> None:
    assert run("logs").code == 2
    log = tmp_path / "a.log"
    log.write_text(LINE.format(n=1, s=0))
    bad = run("logs", str(log), "--log-format", "%Z")
    assert bad.code == 2 and "--log-format" in bad.err
    assert run("logs", str(log), "--top", "0").code == 2


def test_missing_file_is_incomplete_not_a_crash(tmp_path: Path, run: Run) -> None:
    result = run("logs", str(tmp_path / "nope.log"), "--format", "json")
    assert result.code == 3
    assert result.json()["skipped"][0]["code"] == "not-found"


def test_rotated_set_keeps_time_order_and_line_numbers(tmp_path: Path, run: Run) -> None:
    (tmp_path / "access.log.2.gz").write_bytes(
        gzip.compress("".join(LINE.format(n=n, s=n) for n in range(1, 4)).encode())
    )
    (tmp_path / "access.log.1").write_text("".join(LINE.format(n=n, s=n) for n in range(4, 6)))
    (tmp_path / "access.log").write_text(
        "203.0.113.9 - - [10/Oct/2024:10:01:00 +0000] "
        '"GET /x.php?cmd=whoami HTTP/1.1" 200 9 "-" "y"\n'
    )
    files = [str(tmp_path / n) for n in ("access.log", "access.log.1", "access.log.2.gz")]
    doc = run("logs", *files, "--format", "json", "-j", "2").json()
    assert doc["stats"]["access_records"] == 6 and doc["stats"]["access_files"] == 3
    cmd = next(f for f in doc["findings"] if f["rule_id"] == "SSC-003-201")
    assert cmd["subject"]["path"].endswith("/access.log") and cmd["subject"]["line"] == 1
