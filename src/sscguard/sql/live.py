"""The live path: connect with the engine's driver, run the pack read-only, fetch the rows.

Drivers are imported lazily (``pip install 'sscguard[sql]'``). Every query runs in its own
read-only transaction where the engine has one (PostgreSQL, MariaDB/MySQL, Oracle) and is
rolled back afterwards; nothing is ever written. A query that fails (no privilege, a view this
version lacks) becomes a ``Skipped`` and the run goes on. Messages are scrubbed of the
password before they go anywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from sscguard.errors import TargetError
from sscguard.model import SkipCode, Skipped
from sscguard.sql.base import MAX_ROWS, RawCatalog, Row, Value, ms_ident, text
from sscguard.sql.dsn import Dsn, scrub
from sscguard.sql.packs import PACKS
from sscguard.textutil import sanitize

log = logging.getLogger(__name__)

MAX_DATABASES = 500
#: Statement run before each query to open a read-only transaction (None: set at connect).
BEGIN_READ_ONLY: dict[str, str | None] = {
    "postgresql": None,  # conn.read_only and default_transaction_read_only=on
    "mysql": "START TRANSACTION READ ONLY",
    "mssql": None,  # no read-only transactions; the pack only SELECTs and is rolled back
    "oracle": "SET TRANSACTION READ ONLY",
}
DRIVERS = {
    "postgresql": "psycopg",
    "mysql": "pymysql",
    "mssql": "pymssql",
    "oracle": "oracledb",
}


class Cursor(Protocol):
    @property
    def description(self) -> Sequence[Sequence[Any]] | None: ...

    def execute(self, operation: str) -> Any: ...

    def fetchmany(self, size: int) -> Sequence[Sequence[Any]]: ...

    def close(self) -> Any: ...


class Connection(Protocol):
    def cursor(self) -> Cursor: ...

    def rollback(self) -> Any: ...

    def close(self) -> Any: ...


Connector = Callable[[Dsn, float], Connection]


def _first_line(exc: BaseException, secrets: Iterable[str]) -> str:
    message = str(exc).strip().splitlines()
    return sanitize(scrub(message[0] if message else type(exc).__name__, secrets), 300)


def connect(dsn: Dsn, timeout: float = 10.0) -> Connection:
    """Open a connection with the engine's driver; errors become ``TargetError``."""
    module = DRIVERS[dsn.engine]
    try:
        driver: Any = __import__(module)
    except ImportError:
        raise TargetError(
            f"the {module} driver for {dsn.engine} is not installed: pip install 'sscguard[sql]'"
        ) from None
    secrets = [dsn.password]
    try:
        conn: Connection = _OPENERS[dsn.engine](driver, dsn, timeout)
    except Exception as exc:  # every driver has its own error hierarchy
        raise TargetError(f"cannot connect to {dsn.shown()}: {_first_line(exc, secrets)}") from None
    return conn


def _open_pg(driver: Any, dsn: Dsn, timeout: float) -> Any:
    kwargs: dict[str, Any] = {
        "host": dsn.param.get("host", dsn.host),
        "port": dsn.port,
        "connect_timeout": max(1, int(timeout)),
        "application_name": "sscguard",
        "options": "-c default_transaction_read_only=on -c statement_timeout=60000",
    }
    kwargs.update({k: v for k, v in dsn.params if k != "host"})
    if dsn.database:
        kwargs["dbname"] = dsn.database
    if dsn.user:
        kwargs["user"] = dsn.user
    if dsn.password:
        kwargs["password"] = dsn.password
    conn = driver.connect(**kwargs)
    conn.read_only = True
    return conn


def _open_mysql(driver: Any, dsn: Dsn, timeout: float) -> Any:
    kwargs: dict[str, Any] = {
        "host": dsn.host,
        "port": dsn.port,
        "user": dsn.user or None,
        "password": dsn.password,
        "database": dsn.database or None,
        "connect_timeout": max(1, int(timeout)),
        "read_timeout": 60,
        "autocommit": False,
        "charset": dsn.param.get("charset", "utf8mb4"),
        "local_infile": False,
    }
    if "unix_socket" in dsn.param:
        kwargs["unix_socket"] = dsn.param["unix_socket"]
    if "ssl_ca" in dsn.param:
        kwargs["ssl"] = {"ca": dsn.param["ssl_ca"]}
    return driver.connect(**kwargs)


def _open_mssql(driver: Any, dsn: Dsn, timeout: float) -> Any:
    kwargs: dict[str, Any] = {
        "server": dsn.host,
        "port": str(dsn.port),
        "user": dsn.user,
        "password": dsn.password,
        "database": dsn.database or "master",
        "login_timeout": max(1, int(timeout)),
        "timeout": 60,
        "appname": "sscguard",
        "autocommit": False,
    }
    kwargs.update(dsn.params)
    return driver.connect(**kwargs)


def _open_oracle(driver: Any, dsn: Dsn, timeout: float) -> Any:
    driver.defaults.fetch_lobs = False
    kwargs: dict[str, Any] = {
        "user": dsn.user,
        "password": dsn.password,
        "host": dsn.host,
        "port": dsn.port,
        "tcp_connect_timeout": timeout,
    }
    if "sid" in dsn.param:
        kwargs["sid"] = dsn.param["sid"]
    else:
        kwargs["service_name"] = dsn.database
    return driver.connect(**kwargs)


_OPENERS: dict[str, Callable[[Any, Dsn, float], Any]] = {
    "postgresql": _open_pg,
    "mysql": _open_mysql,
    "mssql": _open_mssql,
    "oracle": _open_oracle,
}


# -- classifying failures ----------------------------------------------------------------------

_DENIED: dict[str, set[str | int]] = {
    "postgresql": {"42501"},
    "mysql": {1142, 1143, 1227, 1044, 1045, 1370, 1356},
    "mssql": {229, 230, 297, 300, 916, 15247},
    "oracle": {942, 1031, 1039},  # 942: "does not exist" is also what no privilege looks like
}
_MISSING: dict[str, set[str | int]] = {
    "postgresql": {"42P01", "42703", "42883"},
    "mysql": {1146, 1054, 1109},
    "mssql": {208, 207, 4121},
    "oracle": {904},
}


def error_codes(exc: BaseException) -> set[str | int]:
    """The server's error codes from the common DB-API drivers' exception shapes: the SQLSTATE
    (psycopg, and PyMySQL 1.2+) and the engine's error number (PyMySQL, pymssql, oracledb)."""
    codes: set[str | int] = set()
    sqlstate = getattr(exc, "sqlstate", None) or getattr(
        getattr(exc, "diag", None), "sqlstate", None
    )
    if isinstance(sqlstate, str):
        codes.add(sqlstate)
    args = getattr(exc, "args", ())
    if args:
        first = args[0]
        code = getattr(first, "code", None)  # oracledb: args[0] is an _Error with .code
        if isinstance(code, int):
            codes.add(code)
        if isinstance(first, int) and not isinstance(first, bool):  # PyMySQL, pymssql
            codes.add(first)
    number = getattr(exc, "number", None)
    if isinstance(number, int):
        codes.add(number)
    return codes


def classify(engine: str, exc: BaseException, optional: bool) -> SkipCode:
    codes = error_codes(exc)
    if codes & _DENIED[engine]:
        return SkipCode.UNREADABLE
    if codes & _MISSING[engine]:
        return SkipCode.UNSUPPORTED if optional else SkipCode.ERROR
    return SkipCode.ERROR


class _BrokenError(Exception):
    """The connection is gone; the remaining queries cannot run."""


def _value(value: Any) -> Value:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _run(
    conn: Connection, engine: str, sql: str, columns: tuple[str, ...], max_rows: int
) -> tuple[list[Row], bool]:
    """Rows of one query (in pack column order) and whether there were more than max_rows."""
    cursor = conn.cursor()
    try:
        begin = BEGIN_READ_ONLY[engine]
        if begin:
            cursor.execute(begin)
        cursor.execute(sql)
        description = cursor.description or ()
        if len(description) != len(columns):
            raise ValueError(
                f"returned {len(description)} columns, the pack expects {len(columns)}"
            )
        rows: list[Row] = []
        while len(rows) <= max_rows:
            batch = cursor.fetchmany(1000)
            if not batch:
                break
            rows.extend(
                {c: _value(v) for c, v in zip(columns, record, strict=True)} for record in batch
            )
        return rows[:max_rows], len(rows) > max_rows
    finally:
        try:
            cursor.close()
        finally:
            _rollback(conn)


def _rollback(conn: Connection) -> None:
    try:
        conn.rollback()
    except Exception as exc:
        raise _BrokenError(str(exc)) from exc


def fetch(
    conn: Connection,
    engine: str,
    *,
    source: str,
    secrets: Iterable[str] = (),
    max_rows: int = MAX_ROWS,
) -> RawCatalog:
    """Run the engine's pack over an open connection and collect the rows."""
    secrets = list(secrets)
    pack = PACKS[engine]
    rows: dict[str, tuple[Row, ...]] = {}
    done: set[str] = set()
    skipped: list[Skipped] = []
    broken: str | None = None
    for q in pack.queries:
        where = f"{source}:{q.name}"
        if broken is not None:
            skipped.append(Skipped(where, SkipCode.ERROR, f"not run: connection lost ({broken})"))
            continue
        statements: list[tuple[str, str]] = []
        if q.per_database:
            if "ms_databases" not in done:
                skipped.append(Skipped(where, SkipCode.NOT_FOUND, "the database list is missing"))
                continue
            names = [text(r, "name") for r in rows.get("ms_databases", ())]
            if len(names) > MAX_DATABASES:
                skipped.append(
                    Skipped(where, SkipCode.TOO_LARGE, f"only the first {MAX_DATABASES} databases")
                )
            statements = [(f"USE {ms_ident(n)}; {q.sql}", n) for n in names[:MAX_DATABASES]]
        else:
            statements = [(q.sql, "")]
        collected: list[Row] = []
        complete = True
        for sql, db in statements:
            label = f"{where}@{db}" if db else where
            try:
                got, more = _run(conn, engine, sql, q.columns, max_rows - len(collected))
            except _BrokenError as exc:
                broken = _first_line(exc, secrets)
                skipped.append(Skipped(label, SkipCode.ERROR, f"connection lost: {broken}"))
                complete = False
                break
            except Exception as exc:  # driver errors: one query, not the run
                code = classify(engine, exc, q.optional)
                message = _first_line(exc, secrets)
                log.debug("query %s failed: %s", label, message)
                skipped.append(Skipped(label, code, message))
                complete = False
                if _is_disconnect(exc):
                    broken = message
                    break
                continue
            collected.extend(got)
            if more:
                skipped.append(Skipped(label, SkipCode.TOO_LARGE, f"over {max_rows} rows"))
                complete = False
                break
        rows[q.name] = tuple(collected)
        if complete:
            done.add(q.name)
    return RawCatalog(engine, rows, frozenset(done), tuple(skipped), source)


def _is_disconnect(exc: BaseException) -> bool:
    name = type(exc).__name__
    return name in ("InterfaceError",) or "closed" in str(exc).lower()[:200]


def fetch_live(
    dsn: Dsn, *, timeout: float = 10.0, connector: Connector | None = None
) -> RawCatalog:
    """Connect, fetch, close. ``connector`` replaces the real driver (tests)."""
    conn = (connector or connect)(dsn, timeout)
    try:
        return fetch(conn, dsn.engine, source=dsn.shown(), secrets=[dsn.password])
    finally:
        try:
            conn.close()
        except Exception as exc:
            log.debug("closing the connection: %s", _first_line(exc, [dsn.password]))
