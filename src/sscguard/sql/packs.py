"""All query packs, and their printed forms for psql, mysql, sqlcmd and sqlplus.

Each printed query wraps a pack query so that every row comes out as one line tagged with the
query's name, and adds an end marker in the same statement (``_done:NAME``): if the query
fails, the marker is missing too, and the offline audit reports that query as incomplete
instead of as "nothing found".
"""

from __future__ import annotations

from sscguard.sql import mssql, mysql, oracle, postgres
from sscguard.sql.base import Query, QueryPack

PACKS: dict[str, QueryPack] = {
    p.engine: p for p in (postgres.PACK, mysql.PACK, mssql.PACK, oracle.PACK)
}
PACK_VERSION = "1"
DONE = "_done:"


def engine_of_query(name: str) -> str | None:
    for engine, pack in PACKS.items():
        if pack.get(name) is not None:
            return engine
    return None


def _marker(name: str) -> str:
    return '{"query": "' + DONE + name + '"}'


def _pg_json(q: Query) -> str:
    pairs = ", ".join(f"'{c}', t.\"{c}\"" for c in q.columns)
    return (
        f"SELECT json_build_object('query', '{q.name}', {pairs})::text FROM ({q.sql}) AS t\n"
        f"UNION ALL SELECT '{_marker(q.name)}';"
    )


def _pg_csv(q: Query) -> str:
    nulls = ", ".join("NULL" for _ in q.columns)
    return (
        f"SELECT '{q.name}' AS query, t.* FROM ({q.sql}) AS t\n"
        f"UNION ALL SELECT '{DONE}{q.name}', {nulls};"
    )


def _my_json(q: Query) -> str:
    pairs = ", ".join(f"'{c}', t.`{c}`" for c in q.columns)
    return (
        f"SELECT JSON_OBJECT('query', '{q.name}', {pairs}) FROM ({q.sql}) AS t\n"
        f"UNION ALL SELECT '{_marker(q.name)}';"
    )


def _ms_json(q: Query) -> str:
    cols = ", ".join(f"t.[{c}] AS [{c}]" for c in q.columns)
    body = (
        f"SELECT (SELECT N'{q.name}' AS [query], {cols} "
        "FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES) "
        f"FROM ({q.sql}) AS t"
    )
    if not q.per_database:
        return f"{body}\nUNION ALL SELECT N'{_marker(q.name)}';"
    quoted = body.replace("'", "''")
    return (
        "BEGIN TRY\n"
        f"  DECLARE @q_{q.name} nvarchar(max) = N'{quoted}';\n"
        f"  DECLARE @all_{q.name} nvarchar(max) = N'';\n"
        f"  SELECT @all_{q.name} = @all_{q.name} + N'USE ' + QUOTENAME(name) + N'; ' "
        f"+ @q_{q.name} + N'; ' FROM sys.databases WHERE state = 0 AND HAS_DBACCESS(name) = 1;\n"
        f"  EXEC (@all_{q.name});\n"
        f"  SELECT N'{_marker(q.name)}';\n"
        "END TRY BEGIN CATCH PRINT ERROR_MESSAGE(); END CATCH;"
    )


def _ora_json(q: Query) -> str:
    pairs = ", ".join(f"'{c}' VALUE t.{c}" for c in q.columns)
    return (
        f"SELECT JSON_OBJECT('query' VALUE '{q.name}', {pairs} NULL ON NULL RETURNING CLOB) "
        f"FROM ({q.sql}) t\nUNION ALL SELECT TO_CLOB('{_marker(q.name)}') FROM dual;"
    )


HEADERS = {
    "postgresql": (
        "-- Run read-only, then hand the output to sscguard:\n"
        "--   psql -X -q -A -t -f pack.sql -o catalog.jsonl 'host=... dbname=... user=...'\n"
        "--   sscguard sql --catalog catalog.jsonl\n"
        "-- Run it in each database you want audited (functions are per database).",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;",
        "",
    ),
    "postgresql-csv": (
        "-- Run read-only, then hand the output to sscguard:\n"
        "--   psql -X -q --csv -t -f pack.sql -o catalog.csv 'host=... dbname=... user=...'\n"
        "--   sscguard sql --catalog catalog.csv",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;",
        "",
    ),
    "mysql": (
        "-- Run read-only, then hand the output to sscguard:\n"
        "--   mysql --batch --raw --skip-column-names -h HOST -u USER -p < pack.sql "
        "> catalog.jsonl\n"
        "--   sscguard sql --catalog catalog.jsonl",
        "SET SESSION TRANSACTION READ ONLY;",
        "",
    ),
    "mssql": (
        "-- Run read-only, then hand the output to sscguard:\n"
        "--   sqlcmd -S HOST -d master -E -h -1 -y 0 -i pack.sql -o catalog.jsonl\n"
        "--   sscguard sql --catalog catalog.jsonl",
        "SET NOCOUNT ON;",
        "",
    ),
    "oracle": (
        "-- Run read-only as a user with SELECT_CATALOG_ROLE, then hand the output to sscguard:\n"
        "--   sqlplus -S -L USER@//HOST:1521/SERVICE @pack.sql   (writes catalog.jsonl)\n"
        "--   sscguard sql --catalog catalog.jsonl",
        "SET PAGESIZE 0 LINESIZE 32767 LONG 1000000 LONGCHUNKSIZE 32767 FEEDBACK OFF\n"
        "SET HEADING OFF TRIMSPOOL ON TERMOUT OFF VERIFY OFF ECHO OFF TAB OFF\n"
        "SPOOL catalog.jsonl\n"
        "SET TRANSACTION READ ONLY;",
        "SPOOL OFF\nROLLBACK;\nEXIT",
    ),
}

STYLES = ("json", "csv", "sql")


def render(engine: str, style: str = "json") -> str:
    """The printed pack for one engine: ``json`` (all engines), ``csv`` (PostgreSQL) or
    ``sql`` (the bare queries, for reading)."""
    pack = PACKS[engine]
    if style == "sql":
        lines = [f"-- sscguard query pack v{PACK_VERSION} for {engine}: the bare queries"]
        for q in pack.queries:
            lines.append(f"\n-- {q.name}: {q.purpose}")
            if q.per_database:
                lines.append("-- run in each database (USE [name]; first)")
            lines.append(q.sql + ";")
        return "\n".join(lines) + "\n"
    if style == "csv" and engine != "postgresql":
        raise ValueError("the CSV pack is for PostgreSQL (psql --csv); use json for " + engine)
    key = "postgresql-csv" if style == "csv" else engine
    intro, prologue, epilogue = HEADERS[key]
    wrap = {
        "postgresql": _pg_csv if style == "csv" else _pg_json,
        "mysql": _my_json,
        "mssql": _ms_json,
        "oracle": _ora_json,
    }[engine]
    out = [f"-- sscguard query pack v{PACK_VERSION} for {engine} ({style}). Read-only.", intro]
    out.append(prologue)
    for q in pack.queries:
        out.append(f"-- {q.name}: {q.purpose}")
        out.append(wrap(q))
    if epilogue:
        out.append(epilogue)
    return "\n".join(out) + "\n"
