"""kill -9 at any moment of init or accept leaves the previous baseline intact."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import run_cli, sscguard_cmd


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crash") / "big"
    for d in range(20):
        sub = root / f"d{d:02d}"
        sub.mkdir(parents=True)
        for f in range(150):
            (sub / f"f{f:03d}.php").write_text(f"<?php echo {d * 1000 + f}; ?>\n")
    return root


def _baseline_ok(db: Path) -> None:
    result = run_cli("baseline", "verify", "--db", str(db), "--format", "json", "--sample", "0")
    assert result.returncode == 0, result.stderr
    assert '"findings": []' in result.stdout


@pytest.mark.parametrize("point", ["rows:2000", "before-rename"])
def test_kill_during_init_keeps_old_baseline(
    point: str, big: Path, db: Path, init: Callable[..., Any]
) -> None:
    init(big)
    before = db.read_bytes()
    killed = run_cli(
        "baseline",
        "init",
        "--db",
        str(db),
        "--no-default-locations",
        "--path",
        str(big),
        "--path",
        str(big.parent / "www-not-there"),
        env={"SSCGUARD_TEST_CRASH_AT": point},
    )
    assert killed.returncode == -signal.SIGKILL
    assert db.read_bytes() == before  # untouched, byte for byte
    _baseline_ok(db)
    leftovers = list(db.parent.glob("baseline.db.tmp-*"))
    assert leftovers  # the killed writer's temporary file ...
    init(big)
    assert not list(db.parent.glob("baseline.db.tmp-*"))  # ... is cleaned by the next writer


def test_kill_during_accept_keeps_old_baseline(
    big: Path, db: Path, init: Callable[..., Any]
) -> None:
    init(big)
    before = db.read_bytes()
    original = (big / "d00" / "f000.php").read_text()
    (big / "d00" / "f000.php").write_text("<?php echo 'changed'; ?>\n")
    killed = run_cli(
        "baseline",
        "accept",
        "--db",
        str(db),
        "--reason",
        "test",
        "--all",
        env={"SSCGUARD_TEST_CRASH_AT": "before-rename"},
    )
    assert killed.returncode == -signal.SIGKILL
    assert db.read_bytes() == before
    result = run_cli("baseline", "verify", "--db", str(db), "--format", "json")
    (big / "d00" / "f000.php").write_text(original)
    assert result.returncode == 1  # the old baseline still sees the change


def test_kill_at_random_moments_of_init(big: Path, db: Path, init: Callable[..., Any]) -> None:
    init(big)
    before = db.read_bytes()
    for delay in (0.4, 0.9):
        proc = subprocess.Popen(
            sscguard_cmd(
                "baseline",
                "init",
                "--db",
                str(db),
                "--no-default-locations",
                "--path",
                str(big),
                "-q",
                "--format",
                "json",
                "-o",
                os.devnull,
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Either the old baseline or a complete new one: it always loads and verifies clean.
        _baseline_ok(db)
        if proc.returncode == -signal.SIGKILL:
            assert db.read_bytes() == before
        before = db.read_bytes()
