"""``sscguard processes``: server process lineage, loaded libraries and network flows (live)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sscguard.commands.common import UsageError, command_line, config_from, emit

if TYPE_CHECKING:
    from sscguard.live.hunt import HuntOptions

NAME = "processes"
HELP = "live host: shells under servers, injected libraries, reverse shells (DS0009/DS0029)"
DESCRIPTION = (
    "Inspect the running processes of this host (read-only): shells, interpreters and tools "
    "started by web and database servers, LD_PRELOAD and foreign or deleted libraries in "
    "server processes, outbound connections and new listeners of server workers, and, with "
    "--baseline, anything never seen before. Live host only: --root other than / is refused."
)


def add_live_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``processes`` and ``watch``."""
    parser.add_argument(
        "--server",
        action="append",
        metavar="NAME",
        help="also treat this executable (base name or full path) as a web server; repeatable",
    )
    parser.add_argument(
        "--upstream",
        action="append",
        metavar="[HOST:]PORT",
        help="a peer web workers may connect to (in addition to local servers and the usual "
        "database/cache ports); repeatable",
    )
    parser.add_argument(
        "--pid",
        action="append",
        type=int,
        metavar="PID",
        help="only look at servers in this process subtree; repeatable",
    )
    parser.add_argument(
        "--baseline",
        metavar="DB",
        help="SQLite file of known parent/child pairs and peers: report what is new",
    )
    parser.add_argument(
        "--root",
        metavar="DIR",
        default="/",
        help="only / is accepted: processes exist on the live host only",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_live_arguments(parser)
    parser.add_argument(
        "--learn",
        action="store_true",
        help="record what is running now into --baseline (creating it) instead of comparing",
    )


def parse_upstream(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    try:
        number = int(port)
    except ValueError:
        raise UsageError(f"--upstream {text!r}: expected [HOST:]PORT") from None
    if not 0 < number < 65536:
        raise UsageError(f"--upstream {text!r}: port out of range")
    host = host.strip("[]") if sep else "*"
    return (host or "*", number)


def live_options(args: argparse.Namespace) -> HuntOptions:
    """Validate the shared live options into ``HuntOptions``."""
    import os

    from sscguard.live.hunt import HuntOptions

    if os.path.realpath(args.root) != "/":
        raise UsageError(
            f"--root {args.root}: process inspection works on the live host only; "
            "a mounted image has no running processes (use the file-based commands for it)"
        )
    if not os.path.isdir("/proc/self"):
        raise UsageError("no /proc: process inspection needs a Linux host with procfs")
    return HuntOptions(
        servers=tuple(args.server or ()),
        upstreams=tuple(parse_upstream(u) for u in args.upstream or ()),
        pids=tuple(args.pid or ()),
    )


def run(args: argparse.Namespace) -> int:
    import logging

    from sscguard.live import baseline
    from sscguard.live.hunt import hunt
    from sscguard.scan import now_iso

    options = live_options(args)
    cfg = config_from(args)
    if args.learn and not args.baseline:
        raise UsageError("--learn needs --baseline DB")
    known = baseline.load(args.baseline) if args.baseline and not args.learn else None
    doc, observations = hunt(options, known, command=command_line())
    if args.learn:
        pairs, peers = baseline.learn(args.baseline, observations, now_iso())
        logging.getLogger("sscguard").warning(
            "baseline %s: learned %d new program pairs and %d new peers/ports",
            args.baseline,
            pairs,
            peers,
        )
    return emit(doc, cfg)
