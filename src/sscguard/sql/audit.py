"""From fetched rows to a ``ResultDocument``: the one path shared by live and offline audits.

rows (live cursor or catalog file) -> engine facts (+ on-disk facts under ``--root``)
-> registered checks -> findings, with everything not analysed listed as ``Skipped``.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sscguard import __version__
from sscguard.model import Finding, ResultDocument, SkipCode, Skipped, sort_findings
from sscguard.sql import mssql, mysql, oracle, postgres
from sscguard.sql.base import DirState, RawCatalog, Server, run_checks
from sscguard.sql.packs import PACK_VERSION

SCHEMES = {"postgresql": "pg", "mysql": "mysql", "mssql": "mssql", "oracle": "oracle"}


@dataclass(frozen=True, slots=True)
class DiskAccess:
    """Where the server's files are: ``root`` ('/' for this host), or None when unknown."""

    root: str | None
    why_not: str = ""
    explicit: bool = False  # --root given: look in the usual places when the server is silent


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _dir(
    root: str, purpose: str, path: str, datadir: str, skipped: list[Skipped]
) -> tuple[DirState, ...]:
    from sscguard.sql.ondisk import dir_state

    if not path or not datadir:
        skipped.append(
            Skipped(
                purpose,
                SkipCode.UNSUPPORTED,
                "directory check needs the path and the data directory (superuser login)",
            )
        )
        return ()
    state = dir_state(root, purpose, path, datadir)
    if isinstance(state, Skipped):
        skipped.append(state)
        return ()
    return (state,)


def _pg(raw: RawCatalog, server: Server, disk: DiskAccess) -> tuple[list[Finding], list[Skipped]]:
    facts, skipped = postgres.extract(raw, server)
    if disk.root is not None:
        from sscguard.sql.ondisk import pg_config_files

        settings, disk_skips, _files = pg_config_files(
            disk.root, facts.config_file, facts.data_directory, guess=disk.explicit
        )
        skipped += disk_skips
        dirs: tuple[DirState, ...] = ()
        if facts.pkglibdir:
            dirs = _dir(disk.root, "$libdir", facts.pkglibdir, facts.data_directory, skipped)
        facts = replace(facts, settings=facts.settings + tuple(settings), dirs=dirs)
    else:
        skipped.append(Skipped("postgresql.conf", SkipCode.UNSUPPORTED, disk.why_not))
    return run_checks(postgres.ENGINE, facts), skipped


def _my(raw: RawCatalog, server: Server, disk: DiskAccess) -> tuple[list[Finding], list[Skipped]]:
    facts, skipped = mysql.extract(raw, server)
    if disk.root is not None and facts.info is not None:
        dirs = _dir(disk.root, "plugin_dir", facts.info.plugin_dir, facts.info.datadir, skipped)
        facts = replace(facts, dirs=dirs)
    elif disk.root is None:
        skipped.append(Skipped("plugin_dir", SkipCode.UNSUPPORTED, disk.why_not))
    return run_checks(mysql.ENGINE, facts), skipped


def _ms(raw: RawCatalog, server: Server, disk: DiskAccess) -> tuple[list[Finding], list[Skipped]]:
    facts, skipped = mssql.extract(raw, server)
    return run_checks(mssql.ENGINE, facts), skipped


def _ora(raw: RawCatalog, server: Server, disk: DiskAccess) -> tuple[list[Finding], list[Skipped]]:
    facts, skipped = oracle.extract(raw, server)
    return run_checks(oracle.ENGINE, facts), skipped


_ENGINES = {"postgresql": _pg, "mysql": _my, "mssql": _ms, "oracle": _ora}


def audit(
    raw: RawCatalog,
    server: Server,
    disk: DiskAccess,
    *,
    command: str,
    started: str | None = None,
    target: str = "",
) -> ResultDocument:
    """Analyse fetched rows and build the result document (no printing, no exit)."""
    started = started or _now()
    clock = time.monotonic()
    findings, skipped = _ENGINES[raw.engine](raw, server, disk)
    all_skipped = [*raw.skipped, *skipped]
    # findings can repeat only through a bug; keep the first of each fingerprint
    unique: dict[str, Finding] = {}
    for f in findings:
        unique.setdefault(f.fingerprint, f)
    return ResultDocument(
        tool_version=__version__,
        rules_version=f"sql-pack-{PACK_VERSION}",
        command=command,
        started=started,
        finished=_now(),
        host=socket.gethostname(),
        targets=(target or raw.source,),
        findings=sort_findings(list(unique.values())),
        skipped=tuple(all_skipped),
        stats={
            "queries_complete": len(raw.complete),
            "rows": sum(len(v) for v in raw.rows.values()),
            "seconds": round(time.monotonic() - clock, 3),
        },
    )


def empty_server(engine: str) -> Server:
    return Server(SCHEMES[engine], "")
