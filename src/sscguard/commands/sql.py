"""``sscguard sql``: audit database servers for SQL persistence (T1505.001), live or offline."""

from __future__ import annotations

import argparse
import logging
import os
from typing import TYPE_CHECKING

from sscguard.commands.common import (
    EXIT_CLEAN,
    UsageError,
    command_line,
    config_from,
    emit,
    output_stream,
)

NAME = "sql"
HELP = "audit PostgreSQL, MariaDB/MySQL, MSSQL and Oracle for SQL persistence (T1505.001)"
DESCRIPTION = (
    "Audit a database server's catalog for stored procedures, UDFs, extensions, triggers and "
    "settings that run code for an intruder. Live: --dsn URL (read-only). Offline: run the "
    "query pack ('sscguard sql queries --engine E') with psql/mysql/sqlcmd/sqlplus and give "
    "its output with --catalog FILE. 'sscguard sql checks' lists the checks."
)
if TYPE_CHECKING:
    from sscguard.sql.audit import DiskAccess

ENGINES = ("postgresql", "mysql", "mariadb", "mssql", "oracle")

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=("audit", "queries", "checks"),
        default="audit",
        help="audit (default), print the query pack, or list the checks",
    )
    parser.add_argument(
        "--dsn",
        metavar="URL",
        help="postgresql://, mysql:// (mariadb://), mssql:// or oracle://user@host:port/db",
    )
    parser.add_argument("--password-env", metavar="VAR", help="read the password from $VAR")
    parser.add_argument(
        "--password-file", metavar="FILE", help="read the password from FILE's first line"
    )
    parser.add_argument(
        "--catalog", metavar="FILE", help="offline: the query pack's output (JSON lines or CSV)"
    )
    parser.add_argument("--engine", choices=ENGINES, help="engine of --catalog or 'queries'")
    parser.add_argument(
        "--style",
        choices=("json", "csv", "sql"),
        default="json",
        help="queries: output form (json for every client, csv for psql, sql to read)",
    )
    parser.add_argument(
        "--root",
        metavar="DIR",
        help="the server's files are under DIR (a mounted image or '/'); enables on-disk checks",
    )
    parser.add_argument(
        "--no-disk", action="store_true", help="skip the on-disk checks even on a local server"
    )
    parser.add_argument(
        "--save-catalog", metavar="FILE", help="live: also write the fetched rows as a catalog"
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="connect timeout"
    )


def _engine(name: str | None) -> str | None:
    return "mysql" if name == "mariadb" else name


def run(args: argparse.Namespace) -> int:
    if args.action == "queries":
        return _queries(args)
    if args.action == "checks":
        return _checks(args)
    return _audit(args)


def _queries(args: argparse.Namespace) -> int:
    from sscguard.sql.packs import render

    engine = _engine(args.engine)
    if engine is None:
        raise UsageError("sql queries needs --engine (postgresql, mysql, mssql or oracle)")
    try:
        text = render(engine, args.style)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    cfg = config_from(args)
    with output_stream(cfg.output) as out:
        out.write(text)
    return EXIT_CLEAN


def _checks(args: argparse.Namespace) -> int:
    from sscguard.sql.audit import SCHEMES  # noqa: F401  (registers every engine's checks)
    from sscguard.sql.base import REGISTRY

    cfg = config_from(args)
    engine = _engine(args.engine)
    with output_stream(cfg.output) as out:
        for check in sorted(REGISTRY.checks.values(), key=lambda c: c.info.id):
            info = check.info
            if engine and check.engine != engine:
                continue
            out.write(
                f"{info.id}  {check.engine:<10} {info.severity.value:<8} "
                f"{info.confidence.value:<6} {info.title}\n"
            )
    return EXIT_CLEAN


def _audit(args: argparse.Namespace) -> int:
    from sscguard.sql.audit import audit, empty_server
    from sscguard.sql.base import Server
    from sscguard.sql.catalog import dump_catalog, load_catalog
    from sscguard.sql.dsn import parse_dsn, read_password, scrub
    from sscguard.sql.live import fetch_live

    if bool(args.dsn) == bool(args.catalog):
        raise UsageError("give either --dsn URL (live) or --catalog FILE (offline)")
    if args.root is not None and not os.path.isdir(args.root):
        raise UsageError(f"--root {args.root}: not a directory")
    if args.save_catalog and not args.dsn:
        raise UsageError("--save-catalog goes with --dsn")
    cfg = config_from(args)
    engine = _engine(args.engine)
    secrets: list[str] = []
    if args.dsn:
        password = read_password(args.password_env, args.password_file, os.environ)
        if password:
            secrets.append(password)
        dsn = parse_dsn(args.dsn, password=password)
        secrets.append(dsn.password)
        if password is None and dsn.password:
            log.warning(
                "the password in --dsn is visible to other local users in the process list; "
                "prefer --password-env or --password-file"
            )
        if engine is not None and engine != dsn.engine:
            raise UsageError(f"--engine {args.engine} does not match the --dsn scheme")
        disk = _disk(args, local=dsn.local)
        raw = fetch_live(dsn, timeout=args.timeout)
        if args.save_catalog:
            with open(args.save_catalog, "w", encoding="utf-8") as handle:
                handle.write(dump_catalog(raw))
        server = Server(
            {"postgresql": "pg"}.get(dsn.engine, dsn.engine),
            dsn.param.get("host", dsn.host) if dsn.engine == "postgresql" else dsn.host,
            dsn.port,
            dsn.database,
        )
        target = dsn.shown()
    else:
        raw = load_catalog(args.catalog, engine)
        disk = _disk(args, local=False)
        server = empty_server(raw.engine)
        target = args.catalog
    doc = audit(
        raw, server, disk, command=scrub(command_line(), secrets), target=scrub(target, secrets)
    )
    return emit(doc, cfg)


def _disk(args: argparse.Namespace, *, local: bool) -> DiskAccess:
    from sscguard.sql.audit import DiskAccess

    if args.no_disk:
        return DiskAccess(None, "on-disk checks disabled with --no-disk")
    if args.root is not None:
        return DiskAccess(args.root, explicit=True)
    if local:
        return DiskAccess("/")
    return DiskAccess(
        None, "the server's files are not on this host: give --root DIR to check them"
    )
