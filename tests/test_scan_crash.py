"""A worker process that dies (a segfault in a parser or the rule engine on attacker-written
input, the OOM killer) must not end the scan: the files it took with it are scanned again
one at a time, the one that kills it gets the YARA rules alone or a skipped entry."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import crashworker
from sscguard.config import ScanConfig
from sscguard.errors import ScanError
from sscguard.extract.files import Walker, WalkOptions
from sscguard.model import SkipCode
from sscguard.rules.yara import RuleSet
from sscguard.scan import BatchResult, _batches, _NullObserver, _run_pool

scan_module = importlib.import_module("sscguard.scan")  # not the package's scan function
SHELL = b'<?php system($_GET["cmd"]); ?>\n'


def _tree(root: Path, marked: dict[str, bytes]) -> None:
    for i in range(300):
        (root / f"page{i:03}.php").write_bytes(b"<?php echo 'page %d'; ?>\n" % i)
    (root / "plain-shell.php").write_bytes(SHELL)
    for name, marker in marked.items():
        (root / name).write_bytes(SHELL + b"// " + marker + b"\n")


def _run(root: Path, ruleset: RuleSet, config: ScanConfig) -> BatchResult:
    skipped: list[object] = []
    batches = _batches(
        Walker(WalkOptions(max_size=config.max_file_size)).walk([str(root)]),
        skipped,  # type: ignore[arg-type]
        _NullObserver(),
    )
    return _run_pool([], batches, ruleset, config, _NullObserver(), crashworker.crash_on_marker)


def test_a_dead_worker_loses_no_file(tmp_path: Path, ruleset: RuleSet) -> None:
    _tree(tmp_path, {"analysis-crash.php": crashworker.IN_ANALYSIS,
                     "always-crash.php": crashworker.ALWAYS})  # fmt: skip
    config = ScanConfig(jobs=2)
    total = _run(tmp_path, ruleset, config)
    # every file but the one that kills any worker was scanned, each once
    assert total.files == 302
    flagged = {Path(f.subject.path).name for f in total.findings}
    assert {"plain-shell.php", "analysis-crash.php"} <= flagged
    assert "always-crash.php" not in flagged
    assert sum(1 for f in total.findings if f.subject.path.endswith("plain-shell.php")) == len(
        {f.rule_id for f in total.findings if f.subject.path.endswith("plain-shell.php")}
    )  # scanned once: no finding twice
    why = {Path(s.source).name: (s.code, s.reason) for s in total.skipped}
    assert why["analysis-crash.php"][0] is SkipCode.ERROR
    assert "only the YARA rules ran" in why["analysis-crash.php"][1]
    assert why["always-crash.php"][0] is SkipCode.ERROR
    assert "not scanned" in why["always-crash.php"][1]
    assert len(total.skipped) == 2


def test_workers_that_keep_dying_stop_the_scan(
    tmp_path: Path, ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, {f"c{i}.php": crashworker.ALWAYS for i in range(3)})
    monkeypatch.setattr(scan_module, "MAX_WORKER_CRASHES", 1)
    with pytest.raises(ScanError, match="died"):
        _run(tmp_path, ruleset, ScanConfig(jobs=2))
