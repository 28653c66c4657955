"""The demo lab: a hunt finds every planted item and nothing in the benign parts."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from conftest import REPO
from sscguard.config import ScanConfig
from sscguard.hunt import HuntOptions, hunt


def _build(out: Path) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "examples"))
    try:
        spec = importlib.util.spec_from_file_location(
            "build_demo", REPO / "examples" / "build_demo.py"
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.build(out)  # type: ignore[no-any-return]
    finally:
        sys.path.remove(str(REPO / "examples"))


def test_demo_hunt_finds_every_planted_item_and_no_benign_file(tmp_path: Path) -> None:
    manifest = _build(tmp_path)
    assert json.loads((tmp_path / "planted.json").read_text()) == manifest
    options = HuntOptions(
        root=manifest["root"],
        sql_catalogs=(manifest["sql_catalog"],),
        baseline_db=manifest["baseline"],
    )
    doc = hunt(options, ScanConfig(jobs=1, progress=False))
    rules = {f.rule_id for f in doc.findings}
    subjects = {f.subject.path for f in doc.findings}
    assert set(manifest["expected_rules"]) <= rules
    assert set(manifest["planted_shells"]) <= subjects
    assert not subjects & set(manifest["benign_files"])
    # the baseline taken at install time shows every planted shell as an added file
    added = {f.subject.path for f in doc.findings if f.rule_id == "SSC-000-100"}
    assert set(manifest["planted_shells"]) <= added
    ranked = [f for f in doc.findings if f.rule_id == "SSC-003-200" and "#1:" in f.title]
    assert len(ranked) == 1 and manifest["top_ranked_uri"] in ranked[0].title
    # every finding is explained and carries ATT&CK references and a fix
    assert all(f.attack and f.why and f.remediation and f.evidence for f in doc.findings)
    # the only part that cannot run on a folder is the live process check, and it says why
    not_run = {s.source: s.reason for s in doc.skipped if s.code.value == "not-run"}
    assert list(not_run) == ["part:processes"] and "live host" in not_run["part:processes"]
    assert not doc.incomplete
