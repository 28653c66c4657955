"""``sscguard hunt [--root DIR]``: every applicable check on one server, one report."""

from __future__ import annotations

import argparse
import os

from sscguard.commands.common import UsageError, command_line, config_from, emit, show_progress

NAME = "hunt"
HELP = "discover servers under a root and run every applicable check (one report)"
DESCRIPTION = (
    "Discover the servers under --root (default /, the live host), then run the component "
    "audit, a content scan of web roots and component folders, SQL catalog audits and the "
    "other parts that apply. Parts that cannot run are listed with the reason."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default="/", metavar="DIR", help="host root or image (default /)")
    parser.add_argument(
        "--sql-catalog",
        action="append",
        default=[],
        metavar="FILE",
        help="output of `sscguard sql queries` run on a database server (repeatable)",
    )
    parser.add_argument(
        "--path", action="append", default=[], metavar="PATH", help="also scan this path"
    )
    parser.add_argument(
        "--baseline",
        metavar="DB",
        help="integrity baseline to verify (default: $SSCGUARD_BASELINE_DB or "
        "/var/lib/sscguard/baseline.db, when it exists)",
    )
    parser.add_argument(
        "--pubkey", metavar="PEM", help="refuse the baseline unless its signature verifies"
    )
    parser.add_argument(
        "--events", action="append", default=[], metavar="FILE",
        help="event records (EVTX, event XML/JSON, auditd) besides those found under the root",
    )  # fmt: skip
    parser.add_argument("--rules", action="append", metavar="DIR", help="extra YARA rules")
    parser.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes")
    parser.add_argument(
        "--no-code-analysis",
        dest="code_analysis",
        action="store_false",
        default=None,
        help="content scan with YARA rules only (faster)",
    )


def run(args: argparse.Namespace) -> int:
    from sscguard.hunt import HuntOptions, hunt
    from sscguard.progress import progress_observer

    if not os.path.isdir(args.root):
        raise UsageError(f"--root {args.root}: not a directory")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    cfg = config_from(args, {"rules": tuple(args.rules) if args.rules else None, "jobs": args.jobs})
    options = HuntOptions(
        root=args.root,
        sql_catalogs=tuple(args.sql_catalog),
        extra_paths=tuple(args.path),
        event_files=tuple(args.events),
        baseline_db=args.baseline,
        baseline_pubkey=args.pubkey,
    )
    with progress_observer(show_progress(cfg, args)) as observer:
        doc = hunt(options, cfg, observer=observer, command=command_line())
    return emit(doc, cfg)
