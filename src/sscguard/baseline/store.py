"""The baseline database: SQLite, one file, versioned schema, crash-safe replacement.

A baseline is never changed in place. ``init`` and ``accept`` build a complete new database in
a temporary file next to the old one (WAL journal and relaxed syncing while rows stream in, in
key order, a bounded batch at a time), then checkpoint it into a single self-contained file,
``fsync`` it, ``rename`` it over the old one and ``fsync`` the directory. A ``kill -9`` at any
moment therefore leaves either the old baseline or the new one, never a mix; leftovers of a
killed writer (``<db>.tmp-<pid>-*``) are removed by the next writer.

The ``audit`` table is append-only: triggers refuse ``UPDATE`` and ``DELETE``, and ``accept``
copies every earlier row into the new database before adding its own.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import signal
import sqlite3
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sscguard.baseline.locations import ComponentLocation, key_path, path_key
from sscguard.baseline.records import FileRecord
from sscguard.errors import SscguardError

SCHEMA_VERSION = 1
WRITE_BATCH = 2000
COMMIT_EVERY = 20000

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE files (
    key BLOB PRIMARY KEY,
    ftype TEXT NOT NULL,
    mode INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    gid INTEGER NOT NULL,
    size INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    dev INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    sha256 TEXT,
    link BLOB,
    package TEXT,
    pkg_state TEXT NOT NULL,
    signature TEXT,
    error TEXT,
    st BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    reason TEXT NOT NULL,
    action TEXT NOT NULL,
    path TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""

FILE_COLUMNS = (
    "key, ftype, mode, uid, gid, size, ino, dev, mtime_ns, ctime_ns, sha256, link, package, "
    "pkg_state, signature, error, st"
)
_INSERT = f"INSERT OR REPLACE INTO files ({FILE_COLUMNS}) VALUES ({', '.join('?' * 17)})"  # noqa: S608


class BaselineError(SscguardError):
    """A baseline that is missing, unreadable, of another schema version or tampered with."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    who: str
    reason: str
    action: str
    path: str
    before: str | None
    after: str | None


# -- crash points (used by the kill -9 tests) -----------------------------------------------

_CRASH_ENV = "SSCGUARD_TEST_CRASH_AT"


def _crash_point(name: str, count: int | None = None) -> None:
    """Kill this process with SIGKILL at a named point when the test hook asks for it.

    ``SSCGUARD_TEST_CRASH_AT=rows:5000`` dies once 5000 rows are written; ``before-rename``
    and ``after-rename`` die around the atomic replacement.
    """
    want = os.environ.get(_CRASH_ENV)
    if not want:
        return
    point, _, threshold = want.partition(":")
    if point != name:
        return
    if count is not None and threshold and count < int(threshold):
        return
    os.kill(os.getpid(), signal.SIGKILL)


# -- value encoding -------------------------------------------------------------------------


def _s64(value: int) -> int:
    """SQLite integers are signed 64-bit; inode and device numbers may use all 64 bits."""
    return value - (1 << 64) if value >= (1 << 63) else value


def _u64(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def record_row(rec: FileRecord) -> tuple[Any, ...]:
    return (
        path_key(rec.path),
        rec.ftype,
        rec.mode,
        rec.uid,
        rec.gid,
        rec.size,
        _s64(rec.ino),
        _s64(rec.dev),
        rec.mtime_ns,
        rec.ctime_ns,
        rec.sha256,
        os.fsencode(rec.link) if rec.link is not None else None,
        rec.package,
        rec.pkg_state,
        rec.signature,
        rec.error,
        stat_blob(
            rec.ftype,
            rec.mode,
            rec.uid,
            rec.gid,
            rec.size,
            rec.ino,
            rec.dev,
            rec.mtime_ns,
            rec.ctime_ns,
            rec.link,
        ),
    )


_STAT = struct.Struct("<1sIIIQQQqq")


def stat_blob(
    ftype: str,
    mode: int,
    uid: int,
    gid: int,
    size: int,
    ino: int,
    dev: int,
    mtime_ns: int,
    ctime_ns: int,
    link: str | None,
) -> bytes:
    """Every stat field verify compares, packed: one bytes comparison settles an entry."""
    packed = _STAT.pack(
        ftype.encode("ascii"),
        mode,
        uid & 0xFFFFFFFF,
        gid & 0xFFFFFFFF,
        size,
        ino & 0xFFFFFFFFFFFFFFFF,
        dev & 0xFFFFFFFFFFFFFFFF,
        mtime_ns,
        ctime_ns,
    )
    if link is not None:
        packed += link.encode("utf-8", "surrogateescape")
    return packed


def row_record(row: tuple[Any, ...]) -> FileRecord:
    return FileRecord(
        path=key_path(row[0]),
        ftype=row[1],
        mode=row[2],
        uid=row[3],
        gid=row[4],
        size=row[5],
        ino=_u64(row[6]),
        dev=_u64(row[7]),
        mtime_ns=row[8],
        ctime_ns=row[9],
        sha256=row[10],
        link=os.fsdecode(row[11]) if row[11] is not None else None,
        package=row[12],
        pkg_state=row[13],
        signature=row[14],
        error=row[15],
    )


def encode_locations(locations: Iterable[ComponentLocation]) -> str:
    return json.dumps([[loc.path, loc.kind] for loc in locations], ensure_ascii=False)


def decode_locations(text: str) -> list[ComponentLocation]:
    return [ComponentLocation(str(p), str(k)) for p, k in json.loads(text)]


# -- reading --------------------------------------------------------------------------------


class BaselineReader:
    """Read-only access to a finished baseline."""

    def __init__(self, path: str) -> None:
        if not os.path.isfile(path):
            raise BaselineError(f"no baseline at {path} (create one with: sscguard baseline init)")
        try:
            self.conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)
            self.meta: dict[str, str] = dict(self.conn.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise BaselineError(f"{path} is not a readable sscguard baseline: {exc}") from None
        self.path = path
        version = self.meta.get("schema_version")
        if version != str(SCHEMA_VERSION):
            raise BaselineError(
                f"{path} has baseline schema version {version!r}; this sscguard reads "
                f"{SCHEMA_VERSION}: re-create it with sscguard baseline init"
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> BaselineReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def locations(self) -> list[ComponentLocation]:
        return decode_locations(self.meta["locations"])

    @property
    def started_ns(self) -> int:
        return int(self.meta["started_ns"])

    def count(self) -> int:
        (n,) = self.conn.execute("SELECT count(*) FROM files").fetchone()
        return int(n)

    def rows(self) -> Iterator[FileRecord]:
        """Every record in key order (streamed)."""
        cursor = self.conn.execute(f"SELECT {FILE_COLUMNS} FROM files ORDER BY key")  # noqa: S608
        while True:
            chunk = cursor.fetchmany(4096)
            if not chunk:
                return
            for row in chunk:
                yield row_record(row)

    def stat_rows(self) -> Iterator[tuple[bytes, bytes]]:
        """``(key, stat blob)`` of every entry in key order: all a fast verify reads."""
        cursor = self.conn.execute("SELECT key, st FROM files ORDER BY key")
        while True:
            chunk = cursor.fetchmany(8192)
            if not chunk:
                return
            yield from chunk

    def stat_rows_between(self, lo: bytes, hi: bytes | None) -> Iterator[tuple[bytes, bytes]]:
        """``(key, stat blob)`` with ``lo <= key < hi`` (no upper bound for ``None``)."""
        if hi is None:
            cursor = self.conn.execute(
                "SELECT key, st FROM files WHERE key >= ? ORDER BY key", (lo,)
            )
        else:
            cursor = self.conn.execute(
                "SELECT key, st FROM files WHERE key >= ? AND key < ? ORDER BY key", (lo, hi)
            )
        while True:
            chunk = cursor.fetchmany(8192)
            if not chunk:
                return
            yield from chunk

    def child_keys(self, key: bytes) -> list[bytes]:
        """Keys of the direct children of a stored entry."""
        _, lo, hi = _range(key)
        start = len(lo) + 1 if key != b"\0" else 2
        query = (
            "SELECT key FROM files WHERE key > ? AND key < ? AND instr(substr(key, ?), x'00') = 0"
        )
        return [row[0] for row in self.conn.execute(query, (lo, hi, start)) if row[0] != key]

    def count_below(self, key: bytes) -> int:
        first, lo, hi = _range(key)
        (n,) = self.conn.execute(
            "SELECT count(*) FROM files WHERE key = ? OR (key > ? AND key < ?)", (first, lo, hi)
        ).fetchone()
        return int(n)

    def raw_get(self, key: bytes) -> tuple[Any, ...]:
        row: tuple[Any, ...] = self.conn.execute(
            f"SELECT {FILE_COLUMNS} FROM files WHERE key = ?",  # noqa: S608
            (key,),
        ).fetchone()
        return row

    def raw_files(self) -> Iterator[tuple[Any, ...]]:
        """Every file row, raw (``FILE_COLUMNS``), in key order."""
        cursor = self.conn.execute(f"SELECT {FILE_COLUMNS} FROM files ORDER BY key")  # noqa: S608
        while True:
            chunk = cursor.fetchmany(8192)
            if not chunk:
                return
            yield from chunk

    def stat_below(self, host_path: str) -> Iterator[tuple[bytes, bytes]]:
        """``(key, stat blob)`` at and below a host path, in key order."""
        key = path_key(host_path)
        yield from self.conn.execute(
            "SELECT key, st FROM files WHERE key = ? OR (key > ? AND key < ?) ORDER BY key",
            _range(key),
        )

    def raw_rows(self, table: str, order: str) -> Iterator[tuple[Any, ...]]:
        """Rows of a table in a fixed order, for the canonical digest."""
        assert table in ("meta", "files", "audit")
        cursor = self.conn.execute(f"SELECT * FROM {table} ORDER BY {order}")  # noqa: S608
        while True:
            chunk = cursor.fetchmany(4096)
            if not chunk:
                return
            yield from chunk

    def get(self, host_path: str) -> FileRecord | None:
        row = self.conn.execute(
            f"SELECT {FILE_COLUMNS} FROM files WHERE key = ?",  # noqa: S608
            (path_key(host_path),),
        ).fetchone()
        return row_record(row) if row else None

    def below(self, host_path: str) -> Iterator[FileRecord]:
        """Records at and below a host path (a directory that vanished)."""
        key = path_key(host_path)
        cursor = self.conn.execute(
            f"SELECT {FILE_COLUMNS} FROM files "  # noqa: S608
            "WHERE key = ? OR (key > ? AND key < ?) ORDER BY key",
            _range(key),
        )
        for row in cursor:
            yield row_record(row)

    def audit(self) -> list[AuditEntry]:
        return [
            AuditEntry(*row)
            for row in self.conn.execute(
                "SELECT id, at, who, reason, action, path, before, after FROM audit ORDER BY id"
            )
        ]


def _range(key: bytes) -> tuple[bytes, bytes, bytes]:
    """Bounds selecting a key and everything below it (the root's children have no extra NUL)."""
    if key == b"\0":
        return key, b"", b"\1"
    return key, key + b"\0", key + b"\1"


# -- writing --------------------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_leftovers(path: str) -> None:
    """Delete temporary databases of writers that were killed."""
    for tmp in glob.glob(glob.escape(path) + ".tmp-*"):
        parts = tmp[len(path) + 5 :].split("-")
        try:
            pid = int(parts[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            with contextlib.suppress(OSError):
                os.unlink(tmp)


class BaselineWriter:
    """Builds a new baseline in a temporary file; ``commit()`` atomically replaces ``path``."""

    def __init__(self, path: str, copy_from: str | None = None) -> None:
        self.path = os.path.abspath(path)
        folder = os.path.dirname(self.path)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        _remove_leftovers(self.path)
        self.tmp = f"{self.path}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
        self.rows_written = 0
        self._done = False
        if copy_from is not None:
            src = sqlite3.connect(f"file:{quote(os.path.abspath(copy_from))}?mode=ro", uri=True)
            dst = sqlite3.connect(self.tmp)
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
        # Owner-only: a baseline lists every file and who may change it.
        fd = os.open(self.tmp, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        os.close(fd)
        self.conn = sqlite3.connect(self.tmp, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=OFF")
        if copy_from is None:
            self.conn.executescript(_SCHEMA)
            self.set_meta({"schema_version": str(SCHEMA_VERSION)})
        self.conn.execute("BEGIN")

    def set_meta(self, values: dict[str, str]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", sorted(values.items())
        )

    def write(self, records: Iterable[FileRecord]) -> None:
        """Insert or replace records (streamed in bounded batches)."""
        batch: list[tuple[Any, ...]] = []
        for rec in records:
            batch.append(record_row(rec))
            if len(batch) >= WRITE_BATCH:
                self._flush(batch)
                batch = []
        if batch:
            self._flush(batch)

    def _flush(self, batch: list[tuple[Any, ...]]) -> None:
        self.conn.executemany(_INSERT, batch)
        before = self.rows_written
        self.rows_written += len(batch)
        if self.rows_written // COMMIT_EVERY != before // COMMIT_EVERY:
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN")
        _crash_point("rows", self.rows_written)

    def delete(self, host_paths: Iterable[str]) -> None:
        self.conn.executemany(
            "DELETE FROM files WHERE key = ?", [(path_key(p),) for p in host_paths]
        )

    def audit(
        self, entries: Iterable[tuple[str, str, str, str, str, str | None, str | None]]
    ) -> None:
        self.conn.executemany(
            "INSERT INTO audit (at, who, reason, action, path, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            list(entries),
        )

    def commit(self) -> None:
        """Finish the database and atomically put it in place of the old one."""
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        self.conn.close()
        fd = os.open(self.tmp, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _crash_point("before-rename")
        os.replace(self.tmp, self.path)
        _crash_point("after-rename")
        dfd = os.open(os.path.dirname(self.path), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        self._done = True

    def abort(self) -> None:
        if self._done:
            return
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(self.tmp + suffix)
        self._done = True

    def __enter__(self) -> BaselineWriter:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None or not self._done:
            self.abort()
