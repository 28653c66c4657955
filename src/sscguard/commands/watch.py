"""``sscguard watch``: a long-running JSON Lines stream of live findings (SIGTERM stops it)."""

from __future__ import annotations

import argparse

from sscguard.commands.common import EXIT_CLEAN, UsageError
from sscguard.commands.processes import add_live_arguments, live_options

NAME = "watch"
HELP = "run continuously: process behaviour, access logs, file integrity -> JSON Lines"
DESCRIPTION = (
    "Watch this host until stopped (SIGTERM or Ctrl-C): poll the process table (and, as "
    "root, take every exec from the kernel proc connector), follow access logs, run the "
    "file-integrity watch when installed, and write each new finding as one JSON line."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_live_arguments(parser)
    parser.add_argument(
        "--interval",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="process poll interval (default 2; polling alone misses shorter-lived children)",
    )
    parser.add_argument(
        "--access-log",
        action="append",
        metavar="FILE",
        help="follow this access log (tail -F); repeatable",
    )
    parser.add_argument(
        "--duration",
        type=float,
        metavar="SECONDS",
        help="stop by itself after this long (default: run until SIGTERM)",
    )
    parser.add_argument(
        "--no-netlink", action="store_true", help="do not use the kernel proc connector"
    )
    parser.add_argument(
        "--integrity-baseline",
        metavar="DB",
        help="file-integrity baseline to watch (default: $SSCGUARD_BASELINE_DB or "
        "/var/lib/sscguard/baseline.db, when it exists)",
    )
    parser.add_argument(
        "--no-integrity", action="store_true", help="do not run the file-integrity watch"
    )


def run(args: argparse.Namespace) -> int:
    import signal
    import sys
    import threading

    from sscguard.commands.baseline import default_db
    from sscguard.live import baseline
    from sscguard.live.watch import Watch, WatchOptions

    if args.interval < 0.1:
        raise UsageError("--interval must be at least 0.1 seconds")
    if getattr(args, "format", "jsonl") not in ("jsonl",):
        raise UsageError("watch writes JSON Lines only (--format jsonl)")
    options = WatchOptions(
        hunt=live_options(args),
        interval=args.interval,
        access_logs=tuple(args.access_log or ()),
        known=baseline.load(args.baseline) if args.baseline else None,
        duration=args.duration,
        use_netlink=not args.no_netlink,
        integrity=not args.no_integrity,
        integrity_db=args.integrity_baseline or default_db(),
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        del signum, frame
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    output = getattr(args, "output", None)
    try:
        if output in (None, "-"):
            Watch(options, sys.stdout, stop).run()
        else:
            with open(output, "a", encoding="utf-8") as handle:
                Watch(options, handle, stop).run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_CLEAN
