"""The demo lab: every planted shell is found and no benign file is."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from conftest import REPO
from sscguard.config import ScanConfig
from sscguard.rules.yara import RuleSet
from sscguard.scan import scan


def _build(out: Path) -> dict[str, list[str]]:
    spec = importlib.util.spec_from_file_location("build_demo", REPO / "examples" / "build_demo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(out)  # type: ignore[no-any-return]


def test_demo_finds_each_planted_shell_and_no_benign_file(tmp_path: Path, ruleset: RuleSet) -> None:
    manifest = _build(tmp_path)
    assert json.loads((tmp_path / "planted.json").read_text()) == manifest
    doc = scan([str(tmp_path / "srv")], ScanConfig(jobs=1, progress=False), ruleset=ruleset)
    flagged = {f.subject.path for f in doc.findings}
    assert flagged == set(manifest["planted"])
    assert not flagged & set(manifest["benign"])
    assert not doc.skipped
