"""The behaviour baseline: parent/child program pairs and network peers seen while learning.

One SQLite file, given with ``--baseline``, holding only this (the file-integrity baseline
keeps its own file; the tables are prefixed ``proc_`` so the two can be merged later).
Schema version 1::

    proc_meta(key TEXT PRIMARY KEY, value TEXT)            -- schema_version, created
    proc_pairs(parent TEXT, child TEXT, first_seen TEXT, last_seen TEXT, count INTEGER,
               PRIMARY KEY (parent, child))
    proc_peers(program TEXT, direction TEXT, proto TEXT, address TEXT, port INTEGER,
               first_seen TEXT, last_seen TEXT, count INTEGER,
               PRIMARY KEY (program, direction, proto, address, port))

Learning only adds; comparing never writes. A baseline learned on a compromised host learns
the compromise: learn on a host you trust.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sscguard.detect.process import Known, Observations
from sscguard.errors import ConfigError

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS proc_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS proc_pairs (
    parent TEXT NOT NULL, child TEXT NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (parent, child));
CREATE TABLE IF NOT EXISTS proc_peers (
    program TEXT NOT NULL, direction TEXT NOT NULL, proto TEXT NOT NULL,
    address TEXT NOT NULL, port INTEGER NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (program, direction, proto, address, port));
"""


@contextmanager
def _connect(path: str, create: bool) -> Iterator[sqlite3.Connection]:
    if not create and not os.path.exists(path):
        raise ConfigError(f"baseline {path} does not exist (create it with --learn)")
    try:
        conn = sqlite3.connect(path, timeout=10)
    except sqlite3.Error as exc:
        raise ConfigError(f"cannot open baseline {path}: {exc}") from None
    try:
        try:
            if create:
                conn.executescript(_SCHEMA)
                conn.execute(
                    "INSERT OR IGNORE INTO proc_meta VALUES ('schema_version', ?)",
                    (SCHEMA_VERSION,),
                )
                conn.commit()
            row = conn.execute(
                "SELECT value FROM proc_meta WHERE key = 'schema_version'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"{path} is not an sscguard process baseline: {exc}") from None
        if row is None or row[0] != SCHEMA_VERSION:
            found = row[0] if row else "none"
            raise ConfigError(
                f"{path}: process baseline schema {found}, this sscguard needs {SCHEMA_VERSION}"
            )
        yield conn
    finally:
        conn.close()


def load(path: str) -> Known:
    """What the baseline knows; raises ``ConfigError`` for a missing or foreign file."""
    with _connect(path, create=False) as conn:
        rows = conn.execute("SELECT parent, child FROM proc_pairs")
        pairs = frozenset((str(p), str(c)) for p, c in rows)
        peers = frozenset(
            (str(a), str(b), str(c), str(d), int(e))
            for a, b, c, d, e in conn.execute(
                "SELECT program, direction, proto, address, port FROM proc_peers"
            )
        )
    return Known(pairs=pairs, peers=peers)


def learn(path: str, observations: Observations, when: str) -> tuple[int, int]:
    """Add what was observed; returns how many pairs and peers were new."""
    with _connect(path, create=True) as conn:
        before_pairs = conn.execute("SELECT count(*) FROM proc_pairs").fetchone()[0]
        before_peers = conn.execute("SELECT count(*) FROM proc_peers").fetchone()[0]
        conn.executemany(
            "INSERT INTO proc_pairs VALUES (?, ?, ?, ?, 1) ON CONFLICT (parent, child) "
            "DO UPDATE SET last_seen = excluded.last_seen, count = count + 1",
            [(p, c, when, when) for p, c in observations.pairs],
        )
        conn.executemany(
            "INSERT INTO proc_peers VALUES (?, ?, ?, ?, ?, ?, ?, 1) "
            "ON CONFLICT (program, direction, proto, address, port) "
            "DO UPDATE SET last_seen = excluded.last_seen, count = count + 1",
            [(*peer, when, when) for peer in observations.peers],
        )
        conn.commit()
        after_pairs = conn.execute("SELECT count(*) FROM proc_pairs").fetchone()[0]
        after_peers = conn.execute("SELECT count(*) FROM proc_peers").fetchone()[0]
    return int(after_pairs - before_pairs), int(after_peers - before_peers)
