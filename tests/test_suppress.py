"""Suppressions mute findings with a mandatory reason, keep them visible, and expire."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from sscguard.errors import ConfigError
from sscguard.suppress import load_file

Run = Callable[..., CliResult]
SHELL = "<?php @eval($_POST['k']); ?>\n"


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "www"
    (root / "tools").mkdir(parents=True)
    (root / "a.php").write_text(SHELL)
    (root / "tools" / "b.php").write_text(SHELL)
    return root


def test_rule_and_glob_suppression_keeps_the_rest(tmp_path: Path, run: Run) -> None:
    root = _tree(tmp_path)
    first = run("scan", "--format", "json", str(root)).json()
    rules = {f["rule_id"] for f in first["findings"] if f["subject"]["path"].endswith("b.php")}
    entries = "".join(
        f'[[suppress]]\nrule = "{r}"\npath = "*/tools/*"\nreason = "lab sample"\n' for r in rules
    )
    (tmp_path / "s.toml").write_text(entries)
    result = run("scan", "--format", "json", "--suppress", str(tmp_path / "s.toml"), str(root))
    doc = result.json()
    assert result.code == 1  # a.php is still there
    assert {Path(f["subject"]["path"]).name for f in doc["findings"]} == {"a.php"}
    assert {m["reason"] for m in doc["suppressed"]} == {"lab sample"}
    assert doc["stats"]["suppressed"] == len(rules)


def test_fingerprint_suppression_in_config_clears_exit_code(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "one"
    root.mkdir()
    (root / "x.php").write_text(SHELL)
    first = run("scan", "--format", "json", str(root)).json()
    config = tmp_path / "sscguard.toml"
    config.write_text(
        "[output]\nformat = 'json'\n"
        + "".join(
            f'[[suppress]]\nfingerprint = "{f["fingerprint"]}"\nreason = "known test file"\n'
            for f in first["findings"]
        )
    )
    result = run("scan", "--config", str(config), str(root))
    assert result.code == 0
    assert result.json()["findings"] == []
    table = run("scan", "--config", str(config), "--format", "table", str(root))
    assert "Suppressed" in table.out and "known test file" in table.out


def test_expired_suppression_no_longer_applies(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "one"
    root.mkdir()
    (root / "x.php").write_text(SHELL)
    yesterday = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    rules = {f["rule_id"] for f in run("scan", "--format", "json", str(root)).json()["findings"]}
    (tmp_path / "s.toml").write_text(
        "".join(f'[[suppress]]\nrule = "{r}"\nreason = "old"\nexpires = {yesterday}\n'
                for r in rules)
    )  # fmt: skip
    result = run("scan", "--format", "json", "--suppress", str(tmp_path / "s.toml"), str(root))
    assert result.code == 1
    assert result.json()["stats"]["suppressions_expired"] == len(rules)
    assert "suppression expired" in result.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[suppress]]\nrule = "SSC-003-001"\n', "reason is mandatory"),
        ('[[suppress]]\nreason = "x"\n', "give a fingerprint, or a rule"),
        ('[[suppress]]\nfingerprint = "abc"\nreason = "x"\n', "32 lower-case hex"),
        ('[[suppress]]\nrule = "R"\nreason = "x"\nexpires = "soon"\n', "must be a date"),
        ('[[suppress]]\nrule = "R"\nreason = "x"\nowner = "me"\n', "unknown key(s) owner"),
        ("[scan]\njobs = 1\n", "only [[suppress]] entries"),
    ],
)
def test_bad_suppression_files_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_file(str(path))
    assert message in str(info.value) and str(path) in str(info.value)


def test_suppressed_findings_survive_report_round_trip(tmp_path: Path, run: Run) -> None:
    root = _tree(tmp_path)
    (tmp_path / "s.toml").write_text('[[suppress]]\nrule = "SSC-003-001"\nreason = "r"\n')
    saved = tmp_path / "r.json"
    run("scan", "--format", "json", "-o", str(saved), "--suppress", str(tmp_path / "s.toml"),
        str(root))  # fmt: skip
    again = run("report", str(saved), "--format", "json").json()
    assert again["suppressed"] == json.loads(saved.read_text())["suppressed"]
    assert again["suppressed"]
