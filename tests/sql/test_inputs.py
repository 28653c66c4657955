"""DSNs and secrets, catalog files (good, partial and malformed), the printed packs, on-disk
configuration reading, and the command's usage errors."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from recorded import MSSQL_COMPROMISED, jsonl

from sscguard.errors import ConfigError
from sscguard.model import SkipCode
from sscguard.sql.catalog import CatalogError, parse_catalog
from sscguard.sql.dsn import parse_dsn, read_password, scrub
from sscguard.sql.ondisk import OutsideRootError, pg_config_files, resolve
from sscguard.sql.packs import PACKS, render

# -- DSNs and secrets -------------------------------------------------------------------------


def test_dsn_forms() -> None:
    d = parse_dsn("postgresql://alice:pw%40x@db.example:6432/sales?sslmode=require")
    assert (d.engine, d.host, d.port, d.database, d.user) == (
        "postgresql",
        "db.example",
        6432,
        "sales",
        "alice",
    )
    assert d.password == "pw@x" and d.param == {"sslmode": "require"}
    assert "pw@x" not in repr(d) and "pw@x" not in d.shown()
    assert parse_dsn("mariadb://root@localhost/").engine == "mysql"
    assert parse_dsn("mysql://u@/?unix_socket=/run/mysqld/mysqld.sock").local
    sock = parse_dsn("postgresql://postgres@%2FVar%2FRun%2Fpg/db")
    assert sock.host == "/Var/Run/pg" and sock.local
    assert parse_dsn("mssql://sa@sql01/master").port == 1433
    assert not parse_dsn("oracle://u@db1/ORCL").local


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://u:Secret-123@h/db", "unknown scheme"),
        ("postgresql://u:Secret-123@h:99999/db", "bad --dsn"),
        ("postgresql://u:Secret-123@h/db?evil=1", "unknown parameter 'evil'"),
        ("postgresql://u:Secret-123@h/a/b", "single database name"),
        ("oracle://u:Secret-123@h", "name the service"),
    ],
)
def test_bad_dsns_are_config_errors_without_the_password(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        parse_dsn(url)
    assert "Secret-123" not in str(info.value)


def test_password_given_twice_is_refused() -> None:
    with pytest.raises(ConfigError, match="give the password once"):
        parse_dsn("postgresql://u:a@h/db", password="b")


def test_password_sources(tmp_path: Path) -> None:
    assert read_password("PW", None, {"PW": "from-env"}) == "from-env"
    pwfile = tmp_path / "pw"
    pwfile.write_text("from-file\nsecond line\n")
    assert read_password(None, str(pwfile), {}) == "from-file"
    with pytest.raises(ConfigError, match="not set"):
        read_password("MISSING", None, {})
    with pytest.raises(ConfigError, match="either"):
        read_password("PW", str(pwfile), {"PW": "x"})


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=3, max_size=40))
def test_scrub_removes_any_password(secret: str) -> None:
    assume("*" not in secret)
    text = f"connect failed for user@host with {secret} (password={secret})"
    assert secret not in scrub(text, [secret])


def test_scrub_url_and_keyword_forms() -> None:
    assert scrub("mysql://bob:hunter2@db/") == "mysql://bob:***@db/"
    assert scrub("host=db password='a b c' user=x") == "host=db password=*** user=x"


# -- catalog files ----------------------------------------------------------------------------


def test_jsonl_catalog_with_client_noise() -> None:
    text = "Changed database context to 'master'.\n" + jsonl("mssql", MSSQL_COMPROMISED)
    text += "(3 rows affected)\n"
    raw = parse_catalog(text.encode(), "c.jsonl")
    assert raw.engine == "mssql"
    assert raw.complete == {q.name for q in PACKS["mssql"].queries}
    assert not raw.skipped


def test_missing_end_marker_makes_the_query_incomplete() -> None:
    lines = [
        ln
        for ln in jsonl("mssql", MSSQL_COMPROMISED).splitlines()
        if "_done:ms_agent_steps" not in ln
    ]
    raw = parse_catalog("\n".join(lines).encode(), "c.jsonl")
    [skip] = [s for s in raw.skipped if s.source.endswith("ms_agent_steps")]
    assert skip.code is SkipCode.NOT_FOUND and skip.incomplete


def test_malformed_rows_are_skipped_with_their_line() -> None:
    good = jsonl(
        "oracle", {"ora_server": [{"db": "X", "host": "h", "login": "u", "version": "19"}]}
    )
    text = good + '{"query": "ora_libraries", "owner": "A"}\n{"query": broken\ngarbage here\n'
    raw = parse_catalog(text.encode(), "c.jsonl")
    reasons = {s.source: s.reason for s in raw.skipped}
    assert any("missing column" in r for r in reasons.values())
    assert any("bad JSON" in r for r in reasons.values())
    assert any(src.endswith(":11") and "not a catalog row" in r for src, r in reasons.items())


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02binary",
        b"just some text\n",
        b'{"rows": []}',
        b"a,b,c\n1,2,3\n",
        b"[1, 2, 3]",
    ],
)
def test_files_without_pack_rows_are_errors(content: bytes) -> None:
    with pytest.raises(CatalogError, match="no rows of the sscguard query pack"):
        parse_catalog(content, "c")


def test_catalog_mixing_engines_is_an_error() -> None:
    text = jsonl("mssql", {"ms_server": []}) + jsonl("oracle", {"ora_server": []})
    with pytest.raises(CatalogError, match="several engines"):
        parse_catalog(text.encode(), "c")


def test_engine_option_filters_foreign_rows() -> None:
    raw = parse_catalog(jsonl("oracle", {}).encode(), "c", engine="oracle")
    assert raw.engine == "oracle"
    with pytest.raises(CatalogError):
        parse_catalog(jsonl("oracle", {}).encode(), "c", engine="mssql")


def test_csv_catalog_positional_and_with_header() -> None:
    positional = 'pg_roles,app,f,t\npg_roles,"we,ird",t,f\n_done:pg_roles,,,\n'
    raw = parse_catalog(positional.encode(), "c.csv")
    assert [r["role"] for r in raw.rows["pg_roles"]] == ["app", "we,ird"]
    assert "pg_roles" in raw.complete
    header = "query,role,superuser,can_login\npg_roles,app,false,true\n"
    raw = parse_catalog(header.encode(), "c.csv")
    assert raw.rows["pg_roles"][0]["superuser"] == "false"
    bad = "pg_roles,app\n"
    with pytest.raises(CatalogError):
        parse_catalog(bad.encode(), "c.csv")  # the only row is wrong: nothing usable


@pytest.mark.parametrize("engine", sorted(PACKS))
def test_printed_packs_hold_every_query_and_its_marker(engine: str) -> None:
    text = render(engine)
    for q in PACKS[engine].queries:
        assert f"_done:{q.name}" in text
    assert "READ ONLY" in text or engine == "mssql"
    assert "INSERT" not in text.upper().replace("INSERTED", "")
    plain = render(engine, "sql")
    assert all(q.sql in plain for q in PACKS[engine].queries)


def test_csv_pack_is_for_postgresql_only(run: Callable[..., Any]) -> None:
    result = run("sql", "queries", "--engine", "mssql", "--style", "csv")
    assert result.code == 2 and "PostgreSQL" in result.err


# -- on-disk configuration --------------------------------------------------------------------


def test_pg_config_with_includes_and_quotes(tmp_path: Path) -> None:
    etc = tmp_path / "etc/postgresql/15/main"
    data = tmp_path / "var/lib/postgresql/15/main"
    etc.mkdir(parents=True)
    data.mkdir(parents=True)
    (etc / "conf.d").mkdir()
    (etc / "postgresql.conf").write_text(
        "shared_preload_libraries = 'pg_stat_statements'  # ok\ninclude_dir = 'conf.d'\n"
    )
    (etc / "conf.d" / "zz.conf").write_text("session_preload_libraries='it''s,/tmp/x.so'\n")
    (data / "postgresql.auto.conf").write_text("shared_preload_libraries = '/dev/shm/y.so'\n")
    settings, skipped, files = pg_config_files(str(tmp_path), "", "", guess=True)
    values = {(s.name, s.value, s.file.rsplit("/", 1)[-1], s.line) for s in settings}
    assert ("session_preload_libraries", "it's,/tmp/x.so", "zz.conf", 1) in values
    assert ("shared_preload_libraries", "/dev/shm/y.so", "postgresql.auto.conf", 1) in values
    assert not skipped and len(files) == 2


def test_paths_never_leave_the_root(tmp_path: Path) -> None:
    root = tmp_path / "img"
    (root / "etc").mkdir(parents=True)
    os.symlink("/etc/shadow", root / "etc" / "abs")  # absolute: re-rooted inside the image
    os.symlink("../../../../../../etc", root / "etc" / "up")
    assert resolve(str(root), "/etc/abs") == str(root / "etc" / "shadow")
    assert resolve(str(root), "/etc/up/passwd") == str(root / "etc" / "passwd")
    assert resolve(str(root), "/../../etc/passwd") == str(root / "etc" / "passwd")
    (root / "loop").symlink_to("loop")
    with pytest.raises(OutsideRootError):
        resolve(str(root), "/loop/x")


# -- the command ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("sql",), "either --dsn URL"),
        (("sql", "--dsn", "pg://u@h/d", "--catalog", "x"), "either --dsn URL"),
        (("sql", "queries"), "needs --engine"),
        (("sql", "--catalog", "x", "--save-catalog", "y"), "goes with --dsn"),
        (("sql", "--dsn", "mysql://u@h/", "--engine", "oracle"), "does not match"),
        (("sql", "--catalog", "/nonexistent/catalog.jsonl"), "cannot read catalog"),
        (("sql", "--dsn", "pg://u@h/d", "--root", "/nonexistent"), "not a directory"),
    ],
)
def test_usage_errors(run: Callable[..., Any], argv: tuple[str, ...], message: str) -> None:
    result = run(*argv)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err


def test_malformed_catalog_exits_2(run: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"not": "a catalog"')
    result = run("sql", "--catalog", str(path))
    assert result.code == 2 and "no rows of the sscguard query pack" in result.err


def test_incomplete_catalog_with_nothing_found_exits_3(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(jsonl("oracle", {"ora_server": []}).split("\n", 1)[0] + "\n")
    result = run("sql", "--catalog", str(path), "--format", "json")
    assert result.code == 3
    assert any(s["code"] == "not-found" for s in json.loads(result.out)["skipped"])


def test_missing_driver_is_a_clear_error(
    run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "oracledb":
            raise ImportError("no oracledb")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    result = run("sql", "--dsn", "oracle://u:Pw-Hidden-1@h/ORCL")
    assert result.code == 2
    assert "pip install 'sscguard[sql]'" in result.err
    assert "Pw-Hidden-1" not in result.err
    assert "visible to other local users" in result.err  # the warning about passwords in URLs


def test_queries_and_checks_listing(run: Callable[..., Any]) -> None:
    result = run("sql", "queries", "--engine", "mariadb")
    assert result.code == 0 and "JSON_OBJECT('query', 'my_func'" in result.out
    result = run("sql", "checks", "--engine", "oracle")
    assert result.code == 0 and result.out.count("SSC-001-06") == 6


def test_password_never_reaches_output_logs_or_recorded_command(
    run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from recorded import FakeConnection

    from sscguard.sql import live

    secret = "Hunter2-Secret-Pw"
    url = f"mssql://sa:{secret}@sql01:1433/master"

    class DeniedError(Exception):
        pass

    conn = FakeConnection(
        "mssql",
        MSSQL_COMPROMISED,
        ms_agent_steps=DeniedError(229, f"denied for login with password {secret}"),
    )
    monkeypatch.setattr(live, "connect", lambda dsn, timeout: conn)
    monkeypatch.setattr("sys.argv", ["sscguard", "sql", "--dsn", url, "-vv"])
    saved = tmp_path / "rows.jsonl"
    outputs = []
    for fmt in ("json", "sarif", "table", "jsonl"):
        result = run("sql", "--dsn", url, "-vv", "--format", fmt, "--save-catalog", str(saved))
        assert result.code == 1
        outputs.append(result.out + result.err)
    everything = "\n".join(outputs) + saved.read_text()
    assert secret not in everything
    assert "mssql://sa:***@sql01:1433/master" in everything  # the recorded command line
