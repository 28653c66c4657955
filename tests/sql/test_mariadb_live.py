"""A real MariaDB server: hardened and clean, then with a planted UDF row, an event calling it,
an empty secure_file_priv and a plugin_dir the server's user can write."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlservers import MariaServer, unavailable

pytestmark = pytest.mark.integration

AUDIT_PASSWORD = "Audit-Pw-5521q"
NOBODY_PASSWORD = "Nobody-Pw-9034z"


@dataclass
class Planted:
    server: MariaServer
    clean: dict[str, Any]
    clean_code: int
    plugin_dir: Path


def _audit(run: Callable[..., Any], *argv: str) -> tuple[int, dict[str, Any], str]:
    result = run("sql", "--format", "json", "--no-progress", *argv)
    assert "Traceback" not in result.err, result.err
    return result.code, json.loads(result.out) if result.out.strip() else {}, result.err


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planted]:
    from sscguard import cli

    server = MariaServer()
    try:
        try:
            server.install()
            files = server.dir / "files"
            files.mkdir()
            server.start(f"--secure-file-priv={files}", "--local-infile=0")
        except Exception as exc:
            unavailable(f"MariaDB did not start: {exc}")
        server.sql(
            f"CREATE USER 'audit'@'%' IDENTIFIED BY '{AUDIT_PASSWORD}'",
            "GRANT SELECT, SHOW VIEW, EVENT, TRIGGER ON *.* TO 'audit'@'%'",
            f"CREATE USER 'nobody'@'%' IDENTIFIED BY '{NOBODY_PASSWORD}'",
            "CREATE DATABASE app",
        )
        out = tmp_path_factory.mktemp("my") / "clean.json"
        pwfile = out.parent / "pw"
        pwfile.write_text(AUDIT_PASSWORD)
        code = cli.main(
            [
                "sql",
                "--dsn",
                f"mariadb://audit@127.0.0.1:{server.port}/",
                "--password-file",
                str(pwfile),
                "--format",
                "json",
                "-o",
                str(out),
            ]
        )
        clean = json.loads(out.read_text())
        # plant: a plain INSERT into mysql.func survives restarts; an event calls the UDF
        server.sql(
            "INSERT INTO mysql.func (name, ret, dl, type) "
            "VALUES ('sys_exec', 2, 'lib_mysqludf_sys.so', 'function')",
            "CREATE EVENT app.keepalive ON SCHEDULE EVERY 1 HOUR DISABLE "
            "DO SELECT sys_exec('id > /dev/null')",
        )
        server.stop_server()
        plugin_dir = server.dir / "plugins"
        plugin_dir.mkdir()
        if server.user is not None:
            os.chown(plugin_dir, server.user.pw_uid, server.user.pw_gid)
        try:
            server.start("--secure-file-priv=", f"--plugin-dir={plugin_dir}")
        except Exception as exc:
            unavailable(f"MariaDB did not restart: {exc}")
        yield Planted(server, clean, code, plugin_dir)
    finally:
        server.stop()


def test_clean_hardened_server_has_no_findings(planted: Planted) -> None:
    assert planted.clean["findings"] == [], planted.clean["findings"]
    assert planted.clean_code == 0, planted.clean["skipped"]


def test_live_audit_finds_every_planted_item(planted: Planted, run: Callable[..., Any]) -> None:
    port = planted.server.port
    code, doc, err = _audit(run, "--dsn", planted.server.dsn("audit", AUDIT_PASSWORD))
    assert code == 1, err
    by_rule = {f["rule_id"]: f for f in doc["findings"]}
    udf = by_rule["SSC-001-020"]
    assert udf["subject"]["path"] == f"mysql://127.0.0.1:{port}/mysql.func/sys_exec"
    assert udf["severity"] == "critical"
    assert "dl=lib_mysqludf_sys.so" in udf["evidence"][0]["excerpt"]
    assert "DELETE FROM mysql.func WHERE name = 'sys_exec';" in udf["remediation"]
    event = by_rule["SSC-001-022"]
    assert event["subject"]["path"] == f"mysql://127.0.0.1:{port}/app/event/keepalive"
    assert "DROP EVENT `app`.`keepalive`;" in event["remediation"]
    # MariaDB shows --secure-file-priv="" as NULL, and NULL means "anywhere" there
    assert by_rule["SSC-001-024"]["evidence"][0]["excerpt"] == "@@secure_file_priv = NULL (unset)"
    plugin_dir = by_rule["SSC-001-026"]
    assert plugin_dir["subject"]["path"] == f"file://{planted.plugin_dir}"
    assert "writable by the server user" in plugin_dir["evidence"][0]["detail"]
    assert by_rule["SSC-001-025"]["severity"] == "low"  # local_infile back to its default
    assert AUDIT_PASSWORD not in json.dumps(doc) + err


def test_offline_catalog_from_the_mariadb_client(
    planted: Planted, run: Callable[..., Any], tmp_path: Path
) -> None:
    from sscguard.sql.packs import render

    pack = tmp_path / "pack.sql"
    pack.write_text(render("mysql"))
    catalog = tmp_path / "catalog.jsonl"
    planted.server.client(pack, catalog)
    code, doc, err = _audit(run, "--catalog", str(catalog), "--root", "/")
    assert code == 1, err
    assert not [s for s in doc["skipped"] if s["code"] != "unsupported"], doc["skipped"]
    rules = {f["rule_id"] for f in doc["findings"]}
    assert {"SSC-001-020", "SSC-001-022", "SSC-001-024", "SSC-001-026"} <= rules


def test_account_without_privileges_gets_skipped_entries(
    planted: Planted, run: Callable[..., Any]
) -> None:
    os.environ["SSC_TEST_NOBODY"] = NOBODY_PASSWORD
    try:
        code, doc, err = _audit(
            run,
            "--dsn",
            f"mysql://nobody@127.0.0.1:{planted.server.port}/",
            "--password-env",
            "SSC_TEST_NOBODY",
        )
    finally:
        del os.environ["SSC_TEST_NOBODY"]
    skipped = {s["source"].rsplit(":", 1)[-1]: s for s in doc["skipped"]}
    assert skipped["my_func"]["code"] == "unreadable", skipped
    assert "denied" in skipped["my_func"]["reason"]
    # the hardening variables are readable by anyone and still reported
    assert "SSC-001-024" in {f["rule_id"] for f in doc["findings"]}
    assert code == 1
    assert NOBODY_PASSWORD not in json.dumps(doc) + err


def test_refused_connection_is_a_clear_error(run: Callable[..., Any]) -> None:
    from sqlservers import free_port

    port = free_port()
    result = run("sql", "--dsn", f"mysql://audit:Sekr1t-Refused@127.0.0.1:{port}/")
    assert result.code == 2
    assert f"cannot connect to mysql://audit@127.0.0.1:{port}/" in result.err
    assert "Sekr1t-Refused" not in result.err + result.out
    assert "Traceback" not in result.err
