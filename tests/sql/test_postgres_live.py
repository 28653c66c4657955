"""A real PostgreSQL server: clean, then with planted persistence, audited live and offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlservers import SUPERUSER_PASSWORD, PostgresServer, unavailable

pytestmark = pytest.mark.integration

EVIL_C = r"""
#include "postgres.h"
#include "fmgr.h"
PG_MODULE_MAGIC;
PG_FUNCTION_INFO_V1(sys_exec);
Datum sys_exec(PG_FUNCTION_ARGS) { PG_RETURN_INT32(0); }
"""
READER_PASSWORD = "rdr-Pw-7731x"


@dataclass
class Planted:
    server: PostgresServer
    clean: dict[str, Any]
    clean_code: int
    library: str


def _audit(run: Callable[..., Any], *argv: str) -> tuple[int, dict[str, Any], str]:
    result = run("sql", "--format", "json", "--no-progress", *argv)
    assert "Traceback" not in result.err, result.err
    return result.code, json.loads(result.out) if result.out.strip() else {}, result.err


def _compile_library(server: PostgresServer) -> str:
    gcc = shutil.which("gcc")
    pg_config = shutil.which("pg_config")
    if gcc is None or pg_config is None:
        unavailable("gcc and pg_config (postgresql-server-dev) are needed to build the C library")
    include = subprocess.run(
        [str(pg_config), "--includedir-server"], capture_output=True, text=True, check=True
    ).stdout.strip()
    libdir = server.dir / "lib"
    libdir.mkdir()
    libdir.chmod(0o755)
    source = libdir / "evil.c"
    source.write_text(EVIL_C)
    target = libdir / "evil.so"
    subprocess.run(
        [str(gcc), "-shared", "-fPIC", "-O0", f"-I{include}", "-o", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    target.chmod(0o755)
    return str(target)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planted]:
    from sscguard import cli

    server = PostgresServer()
    try:
        try:
            server.start()
        except Exception as exc:
            unavailable(f"PostgreSQL did not start: {exc}")
        server.psql(
            f"CREATE ROLE reader LOGIN PASSWORD '{READER_PASSWORD}'",
            "CREATE ROLE app LOGIN",
            "CREATE DATABASE appdb",
        )
        # the clean audit runs before anything is planted
        out = tmp_path_factory.mktemp("pg") / "clean.json"
        env_before = os.environ.get("PGAUDIT_PW")
        os.environ["PGAUDIT_PW"] = SUPERUSER_PASSWORD
        try:
            code = cli.main(
                [
                    "sql",
                    "--dsn",
                    server.dsn(),
                    "--password-env",
                    "PGAUDIT_PW",
                    "--format",
                    "json",
                    "-o",
                    str(out),
                ]
            )
        finally:
            if env_before is None:
                os.environ.pop("PGAUDIT_PW", None)
        clean = json.loads(out.read_text())
        library = _compile_library(server)
        server.psql(
            "CREATE EXTENSION plpython3u",
            "CREATE FUNCTION public.sys_eval(cmd text) RETURNS text LANGUAGE plpython3u AS "
            "$$\nimport subprocess\nreturn subprocess.check_output(cmd, shell=True).decode()\n$$",
            f"CREATE FUNCTION public.sys_exec(text) RETURNS int AS '{library}', 'sys_exec' "
            "LANGUAGE c STRICT",
            "CREATE FUNCTION public.keep_ddl() RETURNS event_trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM 1; END $$",
            "CREATE EVENT TRIGGER keep_ddl ON ddl_command_end EXECUTE FUNCTION public.keep_ddl()",
            f"ALTER SYSTEM SET shared_preload_libraries = '{library}'",
            "GRANT pg_execute_server_program TO app",
            db="appdb",
        )
        yield Planted(server, clean, code, library)
    finally:
        server.stop()


def test_clean_server_has_no_findings(planted: Planted) -> None:
    assert planted.clean["findings"] == []
    assert planted.clean_code == 0, planted.clean["skipped"]
    # the audit read the config files on disk (the server is local)
    assert not [s for s in planted.clean["skipped"] if s["code"] != "unsupported"]


def test_live_audit_finds_every_planted_item(planted: Planted, run: Callable[..., Any]) -> None:
    code, doc, err = _audit(
        run, "--dsn", planted.server.dsn(db="appdb", password=SUPERUSER_PASSWORD)
    )
    assert code == 1
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in doc["findings"]:
        by_rule.setdefault(f["rule_id"], []).append(f)
    port = planted.server.port
    # plpython3u function that runs a command
    [fn] = by_rule["SSC-001-003"]
    assert fn["subject"]["path"] == f"pg://127.0.0.1:{port}/appdb/public.sys_eval(cmd%20text)"
    assert fn["severity"] == "critical" and "subprocess" in fn["evidence"][0]["excerpt"]
    assert "DROP FUNCTION public.sys_eval(cmd text);" in fn["remediation"]
    # C function backed by a library outside $libdir
    [cfn] = by_rule["SSC-001-001"]
    assert cfn["subject"]["path"].endswith("/appdb/public.sys_exec(text)")
    assert planted.library in cfn["evidence"][0]["excerpt"]
    assert cfn["attack"][0]["technique"] == "T1505.001"
    # event trigger
    [trg] = by_rule["SSC-001-004"]
    assert trg["subject"]["path"].endswith("/appdb/event_trigger/keep_ddl")
    assert "DROP EVENT TRIGGER keep_ddl;" in trg["remediation"]
    # preload written by ALTER SYSTEM (not applied yet): seen in postgresql.auto.conf
    [pre] = by_rule["SSC-001-005"]
    assert pre["severity"] == "critical"
    assert any(e["location"]["path"].endswith("postgresql.auto.conf") for e in pre["evidence"]), pre
    # role that may run programs
    [member] = by_rule["SSC-001-009"]
    assert member["subject"]["path"].endswith("/role/app")
    # the password never shows
    assert SUPERUSER_PASSWORD not in json.dumps(doc) + err


def test_offline_catalog_from_psql_gives_the_same_findings(
    planted: Planted, run: Callable[..., Any], tmp_path: Path
) -> None:
    from sscguard.sql.packs import render

    _, live, _ = _audit(run, "--dsn", planted.server.dsn(db="appdb", password=SUPERUSER_PASSWORD))
    for style, flags in (("json", ("-A", "-t")), ("csv", ("--csv", "-t"))):
        output = planted.server.psql_file(render("postgresql", style), *flags, db="appdb")
        catalog = tmp_path / f"catalog.{style}"
        catalog.write_text(output)
        code, doc, err = _audit(run, "--catalog", str(catalog), "--root", "/")
        assert code == 1, err
        assert not [s for s in doc["skipped"] if s["code"] not in ("unsupported",)], doc["skipped"]
        assert sorted(f["rule_id"] for f in doc["findings"]) == sorted(
            f["rule_id"] for f in live["findings"]
        ), style


def test_unprivileged_role_reports_what_it_cannot_read(
    planted: Planted, run: Callable[..., Any], tmp_path: Path
) -> None:
    pwfile = tmp_path / "pw"
    pwfile.write_text(READER_PASSWORD + "\n")
    code, doc, err = _audit(
        run,
        "--dsn",
        planted.server.dsn(user="reader", db="appdb"),
        "--password-file",
        str(pwfile),
    )
    # still finds what any role can see, and lists the views it could not read
    assert code == 1, err
    assert "SSC-001-003" in {f["rule_id"] for f in doc["findings"]}
    unreadable = {s["source"].rsplit(":", 1)[-1]: s for s in doc["skipped"]}
    assert unreadable["pg_libdir"]["code"] == "unreadable"
    assert "permission denied" in unreadable["pg_libdir"]["reason"]
    assert unreadable["pg_file_settings"]["code"] == "unreadable"
    assert READER_PASSWORD not in json.dumps(doc) + err


def test_wrong_password_is_a_clear_error_without_the_password(
    planted: Planted, run: Callable[..., Any]
) -> None:
    result = run("sql", "--dsn", planted.server.dsn(password="Wrong-Pass-0042"))
    assert result.code == 2
    assert "cannot connect to postgresql://postgres@127.0.0.1" in result.err
    assert "password authentication failed" in result.err
    assert "Wrong-Pass-0042" not in result.err + result.out
    assert "Traceback" not in result.err
