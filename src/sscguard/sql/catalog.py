"""Reading a catalog file: the output of the printed query pack (JSON lines, JSON or CSV).

Accepted forms:

* JSON lines, one object per row with a ``query`` key (psql -A -t, mysql --raw, sqlcmd,
  sqlplus spool); client noise such as ``(3 rows affected)`` is ignored;
* a JSON array of such objects, or ``{"engine": ..., "rows": [...]}``;
* CSV (psql --csv -t): the first field names the query, the rest are its columns in pack
  order; a header row starting with ``query`` names the columns instead.

Rows ``{"query": "_done:NAME"}`` mark a query as complete. The file is attacker-influenced
data: it is size-bounded, never evaluated, and every problem becomes a ``Skipped`` or an error.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from sscguard.errors import TargetError
from sscguard.model import SkipCode, Skipped
from sscguard.sql.base import MAX_ROWS, RawCatalog, Row, Value
from sscguard.sql.packs import DONE, PACKS, engine_of_query
from sscguard.textutil import sanitize

MAX_CATALOG = 256 << 20
_NOISE = re.compile(
    r"^(\(\d+ rows? affected\)|no rows selected|\d+ rows? selected\.?|SET|ROLLBACK|BEGIN"
    r"|Changed database context to .*|Commit complete\.|Rollback complete\."
    r"|Transaction set\.|Session altered\.|-+)$",
    re.IGNORECASE,
)


class CatalogError(TargetError):
    """A catalog file that cannot be used at all (exit code 2)."""


def _scalar(value: Any) -> Value:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value)[:4000]  # nested JSON (should not happen): keep it as text


class _Builder:
    def __init__(self, source: str, engine: str | None) -> None:
        self.source = source
        self.engine = engine
        self.rows: dict[str, list[Row]] = {}
        self.done: set[str] = set()
        self.skipped: list[Skipped] = []
        self.unknown: dict[str, int] = {}
        self.engines: set[str] = set()

    def add(self, obj: Any, where: str) -> None:
        if not isinstance(obj, dict):
            self.skip(where, "not a JSON object")
            return
        data = {str(k).lower(): v for k, v in obj.items()}
        name = data.pop("query", None)
        if not isinstance(name, str) or not name:
            self.skip(where, "row has no 'query' name")
            return
        if name.startswith(DONE):
            query = name[len(DONE) :]
            if self._known(query):
                self.done.add(query)
            return
        if not self._known(name):
            return
        pack_query = PACKS[engine_of_query(name) or ""].get(name)
        assert pack_query is not None
        missing = [c for c in pack_query.columns if c not in data]
        if missing:
            self.skip(where, f"{name}: missing column(s) {', '.join(missing)}")
            return
        bucket = self.rows.setdefault(name, [])
        if len(bucket) >= MAX_ROWS:
            if len(bucket) == MAX_ROWS:
                self.skipped.append(
                    Skipped(f"{self.source}:{name}", SkipCode.TOO_LARGE, f"over {MAX_ROWS} rows")
                )
                bucket.append({})
            return
        bucket.append({c: _scalar(data[c]) for c in pack_query.columns})

    def _known(self, name: str) -> bool:
        engine = engine_of_query(name)
        if engine is None or (self.engine is not None and engine != self.engine):
            self.unknown[name] = self.unknown.get(name, 0) + 1
            return False
        self.engines.add(engine)
        return True

    def skip(self, where: str, reason: str) -> None:
        if len(self.skipped) < 1000:
            self.skipped.append(Skipped(where, SkipCode.ERROR, sanitize(reason, 200)))

    def result(self) -> RawCatalog:
        if len(self.engines) > 1:
            raise CatalogError(
                f"{self.source}: rows from several engines ({', '.join(sorted(self.engines))}); "
                "give one catalog per server"
            )
        if not self.engines:
            hint = f" for {self.engine}" if self.engine else ""
            raise CatalogError(
                f"{self.source}: no rows of the sscguard query pack{hint} found "
                "(print it with: sscguard sql queries --engine E)"
            )
        engine = self.engines.pop()
        for name, count in sorted(self.unknown.items()):
            self.skipped.append(
                Skipped(
                    f"{self.source}:{sanitize(name, 60)}",
                    SkipCode.UNSUPPORTED,
                    f"{count} row(s) of a query this version does not know",
                )
            )
        pack = PACKS[engine]
        for q in pack.queries:
            if q.name not in self.done:
                code = SkipCode.UNSUPPORTED if q.optional else SkipCode.NOT_FOUND
                self.skipped.append(
                    Skipped(
                        f"{self.source}:{q.name}",
                        code,
                        "no end marker: the query failed or was not run, so its rows may be "
                        "missing (check the client's error output)",
                    )
                )
        rows = {k: tuple(r for r in v if r) for k, v in self.rows.items()}
        return RawCatalog(engine, rows, frozenset(self.done), tuple(self.skipped), self.source)


def load_catalog(path: str, engine: str | None = None) -> RawCatalog:
    """Read a catalog file; raises ``CatalogError`` when nothing in it is usable."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CATALOG + 1)
    except OSError as exc:
        raise CatalogError(f"cannot read catalog {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_CATALOG:
        raise CatalogError(f"{path}: larger than {MAX_CATALOG >> 20} MiB; not a catalog")
    return parse_catalog(data, path, engine)


def parse_catalog(data: bytes, source: str, engine: str | None = None) -> RawCatalog:
    textual = data.decode("utf-8", "replace").lstrip("\ufeff")
    builder = _Builder(source, engine)
    stripped = textual.lstrip()
    if stripped.startswith(("[", "{")):
        whole = _whole_json(stripped)
        if whole is not None:
            for index, obj in enumerate(whole):
                builder.add(obj, f"{source}[{index}]")
            return builder.result()
    head = [line for _, (_, line) in zip(range(50), _lines(textual), strict=False)]
    if any(line.startswith("{") for line in head):
        for lineno, line in _lines(textual):
            if line.startswith("{"):
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    builder.skip(f"{source}:{lineno}", f"bad JSON: {exc}")
                    continue
                builder.add(obj, f"{source}:{lineno}")
            elif not _NOISE.match(line):
                builder.skip(f"{source}:{lineno}", f"not a catalog row: {line[:80]}")
        return builder.result()
    _read_csv(textual, source, builder)
    return builder.result()


def _lines(textual: str) -> Iterator[tuple[int, str]]:
    for lineno, raw in enumerate(textual.splitlines(), 1):
        line = raw.strip()
        if line:
            yield lineno, line


def _whole_json(stripped: str) -> list[Any] | None:
    try:
        doc = json.loads(stripped)
    except ValueError:
        return None
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        rows = doc.get("rows")
        if isinstance(rows, list):
            return rows
        return [doc]
    return None


def _read_csv(textual: str, source: str, builder: _Builder) -> None:
    header: list[str] | None = None
    try:
        for lineno, record in enumerate(csv.reader(io.StringIO(textual, newline="")), 1):
            if not record or not any(cell.strip() for cell in record):
                continue
            where = f"{source}:{lineno}"
            first = record[0].strip()
            if first.lower() == "query":
                header = [c.strip().lower() for c in record]
                continue
            if _NOISE.match(first) and len(record) == 1:
                continue
            if header is not None:
                if len(record) != len(header):
                    builder.skip(where, f"{len(record)} fields, header has {len(header)}")
                    continue
                builder.add(dict(zip(header, _csv_values(record), strict=True)), where)
                continue
            name = first
            query_name = name[len(DONE) :] if name.startswith(DONE) else name
            engine = engine_of_query(query_name)
            query = PACKS[engine].get(query_name) if engine else None
            if query is None:
                builder.add({"query": name}, where)  # counted as unknown
                continue
            values = _csv_values(record[1:])
            if name.startswith(DONE):
                builder.add({"query": name}, where)
                continue
            if len(values) != len(query.columns):
                builder.skip(
                    where, f"{name}: {len(values)} values, the pack has {len(query.columns)}"
                )
                continue
            builder.add({"query": name, **dict(zip(query.columns, values, strict=True))}, where)
    except csv.Error as exc:
        raise CatalogError(f"{source}: not JSON and not valid CSV: {exc}") from None


def _csv_values(cells: list[str]) -> list[Value]:
    """psql --csv writes NULL as an empty field; keep it as NULL."""
    return [None if cell == "" else cell for cell in cells]


def dump_catalog(raw: RawCatalog) -> str:
    """The JSON-lines form of fetched rows (what ``--save-catalog`` writes)."""
    out = io.StringIO()
    for q in PACKS[raw.engine].queries:
        for row in raw.rows.get(q.name, ()):
            out.write(json.dumps({"query": q.name, **row}, default=str) + "\n")
        if q.name in raw.complete:
            out.write(json.dumps({"query": DONE + q.name}) + "\n")
    return out.getvalue()
