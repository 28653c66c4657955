"""Reporters: the JSON document matches its schema and round-trips, SARIF matches the
official 2.1.0 schema, JSON Lines has one finding per line, and the table cannot be used to
inject terminal escapes."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import REPO
from sscguard.model import (
    AttackRef,
    Confidence,
    Evidence,
    Finding,
    Location,
    ResultDocument,
    Severity,
    SkipCode,
    Skipped,
)
from sscguard.report import RenderOptions, renderer
from sscguard.report.sarif import artifact_uri, to_sarif

RESULT_SCHEMA = REPO / "src" / "sscguard" / "data" / "schema" / "result.schema.json"
SARIF_SCHEMA = Path(os.environ.get("SSCGUARD_SARIF_SCHEMA", REPO / ".cache" / "sarif-2.1.0.json"))

EVIL_PATH = "/var/www/\x1b[31mred\x1b]0;title\x07<script>alert(1)</script>.php"


def _doc() -> ResultDocument:
    finding = Finding(
        rule_id="SSC-003-001",
        title="PHP request input passed to eval or assert",
        subject=Location(EVIL_PATH),
        attack=(AttackRef("T1505.003", "DS0022 File Creation", ("M1047", "M1042")),),
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        why="Request input reaches eval.",
        remediation="Remove the file.",
        evidence=(
            Evidence(
                "yara-match",
                Location(EVIL_PATH, line=3, offset=40),
                "eval($_POST[x])",
                "sscguard.SSC_003_001 string $a",
            ),
        ),
        tags=("yara", "php"),
    )
    low = Finding(
        rule_id="SSC-003-031",
        title="Adminer-like tool",
        subject=Location("/var/www/adminer.php"),
        attack=(AttackRef("T1505.003", "DS0022 File Creation", ()),),
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        why="Dual-use admin tool.",
        remediation="Remove it if nobody needs it.",
    )
    return ResultDocument(
        tool_version="0.1.0",
        rules_version="abc",
        command="sscguard scan /var/www",
        started="2026-11-23T10:00:00Z",
        finished="2026-11-23T10:00:01Z",
        host="web1",
        targets=("/var/www",),
        findings=(finding, low),
        skipped=(
            Skipped("/var/www/locked.php", SkipCode.UNREADABLE, "permission denied while opening"),
            Skipped("/var/www/pipe", SkipCode.SPECIAL_FILE, "named pipe (FIFO) not read"),
        ),
        stats={"files_scanned": 10, "duration_s": 0.5},
    )


def _render(fmt: str, doc: ResultDocument | None = None, **opts: Any) -> str:
    out = io.StringIO()
    renderer(fmt)(doc or _doc(), out, RenderOptions(**opts))
    return out.getvalue()


def test_json_matches_schema_and_round_trips() -> None:
    text = _render("json")
    data = json.loads(text)
    jsonschema.Draft202012Validator(json.loads(RESULT_SCHEMA.read_text())).validate(data)
    again = ResultDocument.from_dict(data)
    assert again == _doc()
    assert _render("json", again) == text


def test_schema_rejects_a_malformed_document() -> None:
    data = json.loads(_render("json"))
    data["findings"][0]["severity"] = "apocalyptic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json.loads(RESULT_SCHEMA.read_text())).validate(data)


def test_from_dict_refuses_other_documents() -> None:
    with pytest.raises(ValueError, match="not an sscguard result document"):
        ResultDocument.from_dict({"schema_version": "1.0"})
    with pytest.raises(ValueError, match="unsupported schema_version"):
        ResultDocument.from_dict({**_doc().to_dict(), "schema_version": "9.0"})


def test_jsonl_has_one_finding_per_line() -> None:
    lines = [json.loads(line) for line in _render("jsonl").splitlines()]
    kinds = [line["type"] for line in lines]
    assert kinds == ["finding", "finding", "skipped", "skipped", "summary"]
    assert lines[0]["rule_id"] == "SSC-003-001" and lines[0]["host"] == "web1"
    assert lines[-1]["incomplete"] is True


def _sarif_validator() -> jsonschema.protocols.Validator:
    if not SARIF_SCHEMA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"SARIF schema missing at {SARIF_SCHEMA}: make test fetches it")
        pytest.skip(f"SARIF schema not fetched ({SARIF_SCHEMA}); run make test")
    schema = json.loads(SARIF_SCHEMA.read_text())
    return jsonschema.Draft4Validator(schema)


def test_sarif_matches_the_official_schema() -> None:
    validator = _sarif_validator()
    data = json.loads(_render("sarif"))
    validator.validate(data)
    run = data["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "SSC-003-001"
    assert "attack.t1505.003" in rule["properties"]["tags"]
    assert "attack.m1042" in rule["properties"]["tags"]
    result = run["results"][0]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert result["partialFingerprints"]["sscguardFingerprint/v1"] == _doc().findings[0].fingerprint
    assert run["invocations"][0]["executionSuccessful"] is False  # an unreadable file


def test_sarif_schema_catches_a_broken_log() -> None:
    validator = _sarif_validator()
    data = to_sarif(_doc())
    data["runs"][0]["results"][0]["level"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


def test_artifact_uris_are_escaped() -> None:
    assert artifact_uri("/var/www/a b#c.php") == "file:///var/www/a%20b%23c.php"
    assert artifact_uri("pg://db1/app/public.sys_exec") == "pg://db1/app/public.sys_exec"


def test_table_neutralises_terminal_escapes() -> None:
    text = _render("table", color=False, width=200)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[31mred" in text
    assert "SSC-003-001" in text
    assert "Skipped 2" in text and "unreadable" in text


def test_table_respects_min_severity() -> None:
    text = _render("table", width=200, min_severity=Severity.MEDIUM)
    assert "SSC-003-031" not in text
    assert "SSC-003-001" in text


def test_ecs_lines_carry_attack_and_file_fields() -> None:
    lines = [json.loads(line) for line in _render("ecs", min_severity=Severity.MEDIUM).splitlines()]
    assert len(lines) == 1  # the low finding is below the threshold
    event = lines[0]
    assert event["event"]["kind"] == "alert" and event["rule"]["id"] == "SSC-003-001"
    assert event["threat"]["technique"]["id"] == ["T1505"]
    assert event["threat"]["technique"]["subtechnique"]["id"] == ["T1505.003"]
    assert event["file"]["path"] == EVIL_PATH and event["host"]["hostname"] == "web1"
    assert event["sscguard"]["fingerprint"] == _doc().findings[0].fingerprint
