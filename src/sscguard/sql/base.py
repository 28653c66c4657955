"""Shared vocabulary of the SQL audits: query packs, fetched rows, server context, checks.

A *query pack* is data: named read-only queries with the columns each returns. The live path
(``live.py``) runs a pack over a DB-API connection; the offline path (``catalog.py``) reads the
rows a user produced with the pack's printed form. Both produce the same ``RawCatalog``, and
from there one code path per engine turns rows into typed facts and facts into findings.
Nothing in this module does I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sscguard.checks import CheckInfo, register
from sscguard.model import (
    AttackRef,
    Confidence,
    Evidence,
    Finding,
    Location,
    Severity,
    Skipped,
    make_fingerprint,
)
from sscguard.textutil import sanitize

ENGINES = ("postgresql", "mysql", "mssql", "oracle")

#: ATT&CK has no data source for a database's own catalog (the server's component
#: inventory). Catalog rows are persisted in the server's data files, so until the catalogue
#: gains a better fit, catalog findings name File Modification; on-disk evidence (libraries,
#: configuration files, directories) names File Modification too. One place to change it.
CATALOG_COMPONENT = "DS0022 File Modification"
FILE_COMPONENT = "DS0022 File Modification"

#: At most this many rows are kept per query; more is reported as too large.
MAX_ROWS = 50_000
#: Every text value taken from a row is cut to this many characters.
MAX_VALUE = 4_000
EXCERPT = 160

Value = str | int | float | bool | None
Row = Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class Query:
    """One read-only query of a pack.

    ``sql`` is a plain SELECT without a trailing semicolon or ORDER BY (it is wrapped in a
    derived table for the printed pack). ``per_database`` queries (MSSQL) run once in each
    online database, after ``USE [name]``; they name no database themselves, so a hostile
    database name is only ever quoted once, as an identifier.
    ``optional`` queries read views that older versions or other flavours lack: their absence
    is reported as unsupported, not as an incomplete audit.
    """

    name: str
    sql: str
    columns: tuple[str, ...]
    purpose: str
    optional: bool = False
    per_database: bool = False


@dataclass(frozen=True, slots=True)
class QueryPack:
    engine: str
    queries: tuple[Query, ...]

    def get(self, name: str) -> Query | None:
        for query in self.queries:
            if query.name == name:
                return query
        return None


@dataclass(frozen=True, slots=True)
class RawCatalog:
    """Rows per query name, as fetched live or read from a catalog file.

    ``complete`` names the queries whose result set is known to be whole (the live path ran
    them, or the file holds their end marker).
    """

    engine: str
    rows: Mapping[str, tuple[Row, ...]]
    complete: frozenset[str]
    skipped: tuple[Skipped, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class Server:
    """How findings name objects: ``scheme://host[:port]/db``."""

    scheme: str  # pg, mysql, mssql, oracle
    host: str
    port: int | None = None
    database: str = ""

    def uri(self, *parts: str, database: str | None = None) -> str:
        where = self.host or "unknown-host"
        if self.port:
            where += f":{self.port}"
        db = self.database if database is None else database
        path = "/".join(_uri_part(p) for p in (db, *parts) if p)
        return sanitize(f"{self.scheme}://{where}/{path}", 400)


def _uri_part(text: str) -> str:
    return text.replace("%", "%25").replace("/", "%2F").replace(" ", "%20")


@dataclass(frozen=True, slots=True)
class DirState:
    """A directory the server loads code from, as seen on disk (under ``--root``)."""

    purpose: str  # e.g. "$libdir", "plugin_dir"
    path: str  # as the server names it
    shown: str  # path under --root, printable
    owner_uid: int
    mode: int
    writable_by_server: bool
    server_user: str


# -- typed values from untrusted rows -----------------------------------------------------

_TRUE = {"t", "true", "1", "yes", "on", "y"}
_FALSE = {"f", "false", "0", "no", "off", "n", ""}


def text(row: Row, column: str) -> str:
    """A column as text ('' for NULL), cut to ``MAX_VALUE`` characters."""
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")[:MAX_VALUE]
    return str(value)[:MAX_VALUE]


def opt_text(row: Row, column: str) -> str | None:
    """A column as text, keeping NULL apart from the empty string."""
    return None if row.get(column) is None else text(row, column)


def flag(row: Row, column: str) -> bool:
    """A boolean column: true/false, t/f, 1/0, yes/no, on/off (PostgreSQL, MySQL, T-SQL bit)."""
    value = row.get(column)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if value is None:
        return False
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"column {column!r}: not a boolean: {sanitize(str(value), 40)!r}")


def number(row: Row, column: str) -> int | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(float(str(value).strip()))
    except ValueError:
        raise ValueError(f"column {column!r}: not a number: {sanitize(str(value), 40)!r}") from None


def excerpt(value: str, limit: int = EXCERPT) -> str:
    """A short, one-line, control-free form of attacker-written text."""
    return sanitize(" ".join(value.split()), limit)


T = TypeVar("T")


def extract_rows(
    raw: RawCatalog,
    query: str,
    build: Callable[[Row], T],
    skipped: list[Skipped],
) -> tuple[T, ...]:
    """Turn the rows of one query into facts; a row that does not fit becomes a ``Skipped``."""
    from sscguard.model import SkipCode

    out: list[T] = []
    for index, row in enumerate(raw.rows.get(query, ())):
        try:
            out.append(build(row))
        except (ValueError, TypeError, KeyError) as exc:
            skipped.append(
                Skipped(f"{raw.source or raw.engine}:{query}[{index}]", SkipCode.ERROR, str(exc))
            )
    return tuple(out)


# -- checks ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a check found; ``fix`` is SQL (or a shell step) printed, never executed."""

    subject: str
    excerpt: str
    detail: str
    fix: str
    severity: Severity | None = None
    confidence: Confidence | None = None
    evidence_location: Location | None = None
    discriminator: str = ""
    extra: tuple[Evidence, ...] = ()


F = TypeVar("F")


def writable_dir_hits(dirs: Iterable[DirState]) -> Iterator[Hit]:
    """A hit for each code directory the server's own account can write (plugin_dir, $libdir)."""
    for d in dirs:
        if d.writable_by_server:
            yield Hit(
                f"file://{d.shown}",
                f"{d.purpose} {d.path} mode {d.mode:o} owner uid {d.owner_uid}",
                f"writable by the server user {d.server_user}",
                f"chown root:root {d.path} && chmod 755 {d.path}",
                evidence_location=Location(d.shown),
            )


CheckFn = Callable[[Any], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Check:
    info: CheckInfo  # the shared metadata (sscguard.checks), attack = (one ref,)
    engine: str
    run: CheckFn


@dataclass(slots=True)
class Registry:
    """An explicit registry of checks: ``@registry.check(...)`` adds one; IDs must be unique."""

    checks: dict[str, Check] = field(default_factory=dict)

    def check(
        self,
        check_id: str,
        engine: str,
        title: str,
        severity: Severity,
        confidence: Confidence,
        attack: AttackRef,
        why: str,
        remediation: str,
    ) -> Callable[[CheckFn], CheckFn]:
        if not re.fullmatch(r"SSC-001-0\d\d", check_id):
            raise ValueError(f"{check_id}: SQL checks use SSC-001-001 .. SSC-001-099")
        if check_id in self.checks:
            raise ValueError(f"duplicate check ID {check_id}")
        if engine not in ENGINES:
            raise ValueError(f"{check_id}: unknown engine {engine!r}")
        info = CheckInfo(check_id, title, (attack,), severity, confidence, why, remediation)

        def add(fn: CheckFn) -> CheckFn:
            self.checks[check_id] = Check(register(info, "sql"), engine, fn)
            return fn

        return add

    def for_engine(self, engine: str) -> list[Check]:
        return [
            c for c in sorted(self.checks.values(), key=lambda c: c.info.id) if c.engine == engine
        ]


REGISTRY = Registry()


def finding(info: CheckInfo, engine: str, hit: Hit) -> Finding:
    subject = Location(hit.subject)
    evidence = Evidence(
        kind="catalog" if hit.evidence_location is None else "file",
        location=hit.evidence_location or subject,
        excerpt=sanitize(hit.excerpt, 200),
        detail=sanitize(hit.detail, 400),
    )
    remediation = info.remediation
    if hit.fix:
        remediation += f" Fix (review, then run yourself): {sanitize(hit.fix, 600)}"
    return Finding(
        rule_id=info.id,
        title=info.title,
        subject=subject,
        attack=info.attack,
        severity=hit.severity or info.severity,
        confidence=hit.confidence or info.confidence,
        why=info.why,
        remediation=remediation,
        evidence=(evidence, *hit.extra),
        tags=("sql", engine),
        fingerprint=make_fingerprint(info.id, subject, hit.discriminator),
    )


def run_checks(engine: str, facts: object) -> list[Finding]:
    """Every registered check of ``engine`` over its facts (pure)."""
    out: list[Finding] = []
    for check in REGISTRY.for_engine(engine):
        out.extend(finding(check.info, check.engine, hit) for hit in check.run(facts))
    return out


# -- quoting for the printed fixes ------------------------------------------------------------


def pg_ident(name: str) -> str:
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def my_ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def ms_ident(name: str) -> str:
    return "[" + name.replace("]", "]]") + "]"


def ora_ident(name: str) -> str:
    if re.fullmatch(r"[A-Z][A-Z0-9_$#]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def keyed(items: Iterable[tuple[str, T]]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = {}
    for key, item in items:
        out.setdefault(key, []).append(item)
    return out
