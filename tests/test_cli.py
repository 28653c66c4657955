"""Exit codes, global options, config handling and re-rendering through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, CliResult, run_as_nobody
from sscguard import cli

Run = Callable[..., CliResult]
SHELL = "<?php @eval($_POST['k']); ?>\n"
BENIGN = "<?php echo htmlspecialchars($_GET['name'] ?? 'world'); ?>\n"


def _tree(tmp_path: Path, shell: bool) -> Path:
    root = tmp_path / "www"
    root.mkdir()
    (root / "index.php").write_text(BENIGN)
    if shell:
        (root / "x.php").write_text(SHELL)
    return root


def test_help_lists_subcommands() -> None:
    text = cli.build_parser().format_help()
    for command in ("scan", "report", "rules"):
        assert command in text


def test_clean_tree_exits_0(tmp_path: Path, run: Run) -> None:
    result = run("scan", "--no-progress", str(_tree(tmp_path, shell=False)))
    assert result.code == 0, result.err
    assert "Findings: none" in result.out


def test_findings_exit_1(tmp_path: Path, run: Run) -> None:
    result = run("scan", "--format", "json", str(_tree(tmp_path, shell=True)))
    assert result.code == 1
    doc = result.json()
    assert {Path(f["subject"]["path"]).name for f in doc["findings"]} == {"x.php"}


def test_global_options_work_before_the_subcommand(tmp_path: Path, run: Run) -> None:
    result = run("--format", "jsonl", "scan", str(_tree(tmp_path, shell=True)))
    assert result.code == 1
    assert json.loads(result.out.splitlines()[0])["type"] == "finding"


def test_min_severity_above_findings_exits_0(tmp_path: Path, run: Run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # YARA rates this shell high; the dataflow analyser would rate it critical (issue 3)
    monkeypatch.setenv("SSCGUARD_CODE_ANALYSIS", "0")
    result = run("scan", "--min-severity", "critical", str(_tree(tmp_path, shell=True)))
    assert result.code == 0
    assert "below the threshold" in result.out


def test_usage_and_config_errors_exit_2(tmp_path: Path, run: Run) -> None:
    assert run("scan").code == 2  # no path
    assert run("scan", "--format", "xml", str(tmp_path)).code == 2
    config = tmp_path / "bad.toml"
    config.write_text("[scan]\nmax_file_sise = '1M'\n")
    result = run("scan", "--config", str(config), str(tmp_path))
    assert result.code == 2
    assert "unknown key 'max_file_sise' in [scan]" in result.err
    config.write_text("[output]\nformat = 'json'\n[nonsense]\n")
    assert "unknown section [nonsense]" in run("scan", "--config", str(config), str(tmp_path)).err
    assert run("scan", "--max-file-size", "lots", str(tmp_path)).code == 2
    result = run("scan", "-o", str(tmp_path / "no" / "such" / "dir.json"), str(tmp_path))
    assert result.code == 2 and "No such file or directory" in result.err


def test_missing_target_is_incomplete_exit_3(tmp_path: Path, run: Run) -> None:
    result = run("scan", "--format", "json", str(tmp_path / "missing"))
    assert result.code == 3
    assert result.json()["skipped"][0]["code"] == "not-found"


def test_unreadable_file_is_incomplete_exit_3(tmp_path: Path) -> None:
    base = Path(os.path.realpath("/tmp")) / f"sscguard-cli-{os.getpid()}"
    base.mkdir(mode=0o755)
    try:
        (base / "locked.php").write_text(BENIGN)
        (base / "locked.php").chmod(0)
        code = run_as_nobody(
            lambda: cli.main(
                ["scan", "-q", "--no-progress", "-o", os.devnull, "-j", "1", str(base)]
            )
        )
        assert code == 3
    finally:
        (base / "locked.php").chmod(0o644)
        (base / "locked.php").unlink()
        base.rmdir()


def test_config_file_and_environment_precedence(tmp_path: Path, run: Run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SSCGUARD_CODE_ANALYSIS", "0")  # keep the shell at YARA's "high"
    root = _tree(tmp_path, shell=True)
    config = tmp_path / "sscguard.toml"
    config.write_text("[output]\nformat = 'jsonl'\nmin_severity = 'critical'\n")
    result = run("scan", "--config", str(config), str(root))
    assert result.code == 0  # the file raised the threshold above the shell's "high"
    assert json.loads(result.out.splitlines()[-1])["type"] == "summary"
    monkeypatch.setenv("SSCGUARD_MIN_SEVERITY", "medium")
    assert run("scan", "--config", str(config), str(root)).code == 1  # env beats file
    result = run("scan", "--config", str(config), "--min-severity", "critical", str(root))
    assert result.code == 0  # command line beats env


def test_report_re_renders_a_saved_document(tmp_path: Path, run: Run) -> None:
    saved = tmp_path / "result.json"
    assert run("scan", "--format", "json", "-o", str(saved), str(_tree(tmp_path, True))).code == 1
    sarif = run("report", str(saved), "--format", "sarif")
    assert sarif.code == 1
    assert json.loads(sarif.out)["runs"][0]["results"][0]["ruleId"].startswith("SSC-003-")
    again = run("report", str(saved), "--format", "json")
    assert json.loads(again.out) == json.loads(saved.read_text())


def test_report_refuses_garbage(tmp_path: Path, run: Run) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": 1}')
    result = run("report", str(junk))
    assert result.code == 2 and "not an sscguard result document" in result.err
    junk.write_bytes(b"\xff\xfe not json")
    assert run("report", str(junk)).code == 2
    assert run("report", str(tmp_path / "absent.json")).code == 2


def test_rules_lists_builtin_rules(run: Run) -> None:
    result = run("rules", "--area", "yara", "--format", "json")
    rows = result.json()
    assert result.code == 0
    assert rows and all(r["id"].startswith("SSC-003-0") and r["area"] == "yara" for r in rows)
    assert {"T1505.003"} <= {t for r in rows for t in r["techniques"]}


def test_rules_lists_every_area_with_attack_metadata(run: Run) -> None:
    from sscguard.checks import load_all

    rows = run("rules", "--format", "json").json()
    by_id = {r["id"]: r for r in rows}
    listed_areas = {r["area"] for r in rows}
    assert {"yara", "components", "sql", "logs", "processes", "baseline"} <= listed_areas
    for check_id, area in load_all().items():
        if check_id.startswith("SSC-"):
            assert by_id[check_id]["area"] == area, check_id
    for row in rows:
        assert row["techniques"] and all(t.startswith("T") for t in row["techniques"]), row
        assert row["why"].strip() and row["title"].strip(), row
    sql_only = run("rules", "--area", "sql", "--format", "jsonl").out.splitlines()
    assert sql_only and all(json.loads(line)["id"].startswith("SSC-001-") for line in sql_only)


def test_closed_stdout_pipe_ends_quietly() -> None:
    """`sscguard rules | head -1`: the reader goes away; no traceback, no error message."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "sscguard", "rules"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) in (0, 3)
    assert b"Traceback" not in err and b"Broken pipe" not in err


def test_scan_uses_worker_processes_on_larger_trees(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(150):
        (root / f"page{i}.php").write_text(BENIGN)
    (root / "z.php").write_text(SHELL)
    result = run("scan", "-j", "2", "--format", "json", str(root))
    doc = result.json()
    assert result.code == 1
    assert doc["stats"]["files_scanned"] == 151 and doc["stats"]["jobs"] == 2
    assert {Path(f["subject"]["path"]).name for f in doc["findings"]} == {"z.php"}


def test_cli_import_stays_light() -> None:
    """Startup speed: building the parser must not import YARA-X or rich."""
    code = (
        "import sys, sscguard.cli as c; c.build_parser();"
        "print(sorted(m for m in ('yara_x','rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "[]", out.stderr
