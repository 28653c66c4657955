"""Shared fixtures. Rules are compiled once per session into a private cache folder."""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sscguard import cli
from sscguard.config import ScanConfig
from sscguard.extract.files import FileContent
from sscguard.model import Finding, Severity
from sscguard.rules.yara import Matcher, RuleSet, compile_rules
from sscguard.scan import BatchResult, analyse_content

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "samples"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    cache = tmp_path_factory.mktemp("xdg-cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return compile_rules()


ScanPath = Callable[[str, bytes], "BatchResult"]


@pytest.fixture(scope="session")
def scan_path(ruleset: RuleSet) -> ScanPath:
    """One file's bytes through the whole scan path (YARA-X rules, gates, analysers), as a
    scan runs them; returns the findings and skipped entries it records."""
    matcher = Matcher(ruleset)

    def run(path: str, data: bytes) -> BatchResult:
        return analyse_content(path, FileContent(data, len(data), False), matcher, BatchResult())

    return run


def findings_in(scan_path: ScanPath, path: str, text: str) -> list[Finding]:
    """The findings of ``text`` scanned as ``path`` through the whole scan path; nothing may
    be skipped."""
    result = scan_path(path, text.encode())
    assert not result.skipped, result.skipped
    return result.findings


def assert_flagged(found: list[Finding], rule: str, case: str, least: Severity) -> None:
    assert any(f.rule_id == rule and f.severity >= least for f in found), (
        case,
        [(f.rule_id, f.severity) for f in found],
    )


def assert_not_flagged(found: list[Finding], case: str, least: Severity) -> None:
    shown = [f for f in found if f.severity >= least]
    assert not shown, (case, [(f.rule_id, f.severity, f.title) for f in shown])


@pytest.fixture()
def config() -> ScanConfig:
    return ScanConfig(jobs=1, progress=False)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture()
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``sscguard`` in-process and capture its exit code, stdout and stderr."""

    def run(*argv: str) -> CliResult:
        capsys.readouterr()
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_as_nobody(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a forked child without root's powers (root reads mode-000 files).

    Everything ``fn`` needs must already be imported: the interpreter's own files may not be
    readable by the unprivileged user.
    """
    if os.geteuid() != 0:
        return fn()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        status = 0
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            payload = pickle.dumps(("ok", fn()))
        except BaseException as exc:  # report anything to the parent
            payload = pickle.dumps(("error", repr(exc)))
            status = 1
        with os.fdopen(write_end, "wb") as handle:
            handle.write(payload)
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind != "ok":
        raise AssertionError(f"unprivileged child failed: {value}")
    return value
