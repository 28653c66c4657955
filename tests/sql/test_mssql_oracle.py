"""MSSQL and Oracle: the live path over a fake DB-API connection, and --catalog, on recorded
clean and compromised rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from recorded import (
    MSSQL_CLEAN,
    MSSQL_COMPROMISED,
    ORACLE_CLEAN,
    ORACLE_COMPROMISED,
    FakeConnection,
    Rows,
    jsonl,
)

from sscguard.model import SkipCode
from sscguard.sql.audit import DiskAccess, audit
from sscguard.sql.base import Server
from sscguard.sql.dsn import parse_dsn
from sscguard.sql.live import fetch_live
from sscguard.sql.packs import PACKS

MSSQL_EXPECTED = {
    "SSC-001-040",
    "SSC-001-041",
    "SSC-001-042",
    "SSC-001-043",
    "SSC-001-044",
    "SSC-001-045",
    "SSC-001-046",
    "SSC-001-047",
    "SSC-001-048",
    "SSC-001-049",
    "SSC-001-050",
    "SSC-001-051",
    "SSC-001-052",
}
ORACLE_EXPECTED = {f"SSC-001-06{i}" for i in range(6)}
CASES = [
    ("mssql", "mssql://auditor@sql01.corp.example:1433/master", MSSQL_COMPROMISED, MSSQL_EXPECTED),
    ("oracle", "oracle://auditor@dbhost01:1521/ORCLPDB1", ORACLE_COMPROMISED, ORACLE_EXPECTED),
]
CLEAN = {"mssql": MSSQL_CLEAN, "oracle": ORACLE_CLEAN}


def _live(engine: str, url: str, rows: Rows, **errors: Exception) -> tuple[Any, FakeConnection]:
    conn = FakeConnection(engine, rows, **errors)
    dsn = parse_dsn(url, password="Pw-not-shown-77")
    raw = fetch_live(dsn, connector=lambda _dsn, _timeout: conn)
    doc = audit(
        raw,
        Server(engine, dsn.host, dsn.port, dsn.database),
        DiskAccess(None, "remote"),
        command="test",
    )
    return doc, conn


@pytest.mark.parametrize(("engine", "url", "rows", "expected"), CASES)
def test_live_path_finds_the_planted_items(
    engine: str, url: str, rows: Rows, expected: set[str]
) -> None:
    doc, conn = _live(engine, url, rows)
    assert {f.rule_id for f in doc.findings} == expected
    assert not [s for s in doc.skipped if s.incomplete]
    # read-only: only SELECTs (and USE / read-only transaction statements) ran, each rolled back
    for statement in conn.executed:
        head = statement.split(";", 1)[0] if statement.startswith("USE [") else statement
        assert head.startswith(("SELECT", "SET TRANSACTION READ ONLY", "USE [")), statement
    queries = [s for s in conn.executed if "TRANSACTION" not in s]
    assert conn.rollbacks == len(queries)
    if engine == "oracle":
        assert conn.executed.count("SET TRANSACTION READ ONLY") == len(queries)
    assert conn.closed


@pytest.mark.parametrize(("engine", "url", "rows", "expected"), CASES)
def test_live_path_on_a_clean_server_finds_nothing(
    engine: str, url: str, rows: Rows, expected: set[str]
) -> None:
    doc, _ = _live(engine, url, CLEAN[engine])
    assert doc.findings == ()
    assert not [s for s in doc.skipped if s.incomplete]


@pytest.mark.parametrize(("engine", "url", "rows", "expected"), CASES)
def test_catalog_gives_the_same_findings_as_live(
    engine: str, url: str, rows: Rows, expected: set[str], run: Callable[..., Any], tmp_path: Path
) -> None:
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text(jsonl(engine, rows))
    result = run("sql", "--catalog", str(catalog), "--format", "json")
    assert result.code == 1, result.err
    doc = json.loads(result.out)
    assert {f["rule_id"] for f in doc["findings"]} == expected
    live, _ = _live(engine, url, rows)
    assert sorted(f["rule_id"] for f in doc["findings"]) == sorted(f.rule_id for f in live.findings)
    clean = tmp_path / "clean.jsonl"
    clean.write_text(jsonl(engine, CLEAN[engine]))
    result = run("sql", "--catalog", str(clean), "--format", "json", "--engine", engine)
    assert result.code == 0, result.out
    assert json.loads(result.out)["findings"] == []


def test_mssql_findings_name_objects_and_fixes() -> None:
    doc, conn = _live("mssql", CASES[0][1], MSSQL_COMPROMISED)
    by_rule = {f.rule_id: f for f in doc.findings if f.rule_id != "SSC-001-049"}
    xp = by_rule["SSC-001-048"]
    assert xp.subject.path == "mssql://sql01.corp.example:1433/master/dbo.xp_perfmon_ext"
    assert "sp_dropextendedproc N'xp_perfmon_ext'" in xp.remediation
    assemblies = {
        f.subject.path: f.severity.value for f in doc.findings if f.rule_id == "SSC-001-047"
    }
    assert assemblies == {
        "mssql://sql01.corp.example:1433/Sales/assembly/SqlBackupHelper": "high",  # UNSAFE
        "mssql://sql01.corp.example:1433/Sales/assembly/ReportMath": "low",  # SAFE: inventory
    }
    assert by_rule["SSC-001-046"].severity.value == "critical"  # calls xp_cmdshell
    steps = sorted(
        (f.severity.value, f.subject.path) for f in doc.findings if f.rule_id == "SSC-001-049"
    )
    assert steps[0][0] == "high" and "syspolicy_refresh" in steps[0][1]  # IEX download
    assert steps[1][0] == "medium"  # a plain robocopy step is still listed, at medium
    # per-database queries ran inside each database, found through the database list
    assert conn.databases == ["master", "msdb", "Sales"]


def test_mssql_hostile_database_name_is_quoted_once() -> None:
    rows = dict(MSSQL_CLEAN)
    hostile = "x]; EXEC xp_cmdshell 'calc'--"
    rows["ms_databases"] = [{"name": hostile, "trustworthy": False}]
    _, conn = _live("mssql", CASES[0][1], rows)
    assert conn.databases == [hostile]
    assert "USE [x]]; EXEC xp_cmdshell 'calc'--]; SELECT" in "\n".join(conn.executed)


def test_oracle_findings() -> None:
    doc, _ = _live("oracle", CASES[1][1], ORACLE_COMPROMISED)
    by_rule: dict[str, list[Any]] = {}
    for f in doc.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    [grant] = by_rule["SSC-001-060"]
    assert grant.severity.value == "critical" and "SCOTT" in grant.evidence[0].excerpt
    assert "dbms_java.disable_permission(171)" in grant.remediation
    sources = {f.subject.path: f for f in by_rule["SSC-001-062"]}
    src = sources["oracle://dbhost01:1521/ORCLPDB1/SCOTT/java_source/ShellUtil"]
    assert src.severity.value == "high" and "Runtime.getRuntime" in src.evidence[0].excerpt
    [lib] = by_rule["SSC-001-063"]
    assert "/tmp/.cache/libsysutil.so" in lib.evidence[0].excerpt
    [trigger] = by_rule["SSC-001-065"]
    assert trigger.severity.value == "critical"


def test_missing_privilege_and_missing_view_become_skipped_entries() -> None:
    class DeniedError(Exception):
        pass

    denied = DeniedError(229, b"The SELECT permission was denied on the object 'sysjobs'")
    missing = DeniedError(208, b"Invalid object name 'sys.trusted_assemblies'.")
    doc, _ = _live(
        "mssql",
        CASES[0][1],
        MSSQL_COMPROMISED,
        ms_agent_steps=denied,
        ms_trusted_assemblies=missing,
    )
    skipped = {s.source.rsplit(":", 1)[-1]: s for s in doc.skipped}
    assert skipped["ms_agent_steps"].code is SkipCode.UNREADABLE
    assert skipped["ms_trusted_assemblies"].code is SkipCode.UNSUPPORTED  # optional, 2017+
    assert "SSC-001-049" not in {f.rule_id for f in doc.findings}
    assert "SSC-001-040" in {f.rule_id for f in doc.findings}  # the rest still ran


def test_oracle_error_objects_are_classified() -> None:
    class OraErr:
        code = 942

    class DatabaseError(Exception):
        pass

    doc, _ = _live(
        "oracle",
        CASES[1][1],
        ORACLE_CLEAN,
        ora_java_policy=DatabaseError(OraErr()),
    )
    skipped = {s.source.rsplit(":", 1)[-1]: s for s in doc.skipped}
    assert skipped["ora_java_policy"].code is SkipCode.UNREADABLE
    assert doc.incomplete


def test_every_pack_query_has_recorded_rows() -> None:
    for engine, rows in (("mssql", MSSQL_COMPROMISED), ("oracle", ORACLE_COMPROMISED)):
        assert {q.name for q in PACKS[engine].queries} == set(rows)
