"""``sscguard logs FILE...``: hunt in access logs and event records."""

from __future__ import annotations

import argparse

from sscguard.commands.common import UsageError, command_line, config_from, emit

NAME = "logs"
HELP = "hunt in access logs and event records (EVTX, Sysmon, auditd, Sigma)"
DESCRIPTION = (
    "Rank web-shell candidates in access logs (Apache/nginx combined and custom formats, IIS "
    "W3C, Tomcat, JSON lines; plain, .gz and rotated sets), find server processes starting "
    "shells and other persistence traces in event records, run your Sigma rules on both, and "
    "tie requested URIs to files in the web root."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="access logs (format detected) and event files (EVTX, XML, JSON, auditd)",
    )
    parser.add_argument(
        "--events", nargs="+", default=[], metavar="FILE", help="event-record files"
    )
    parser.add_argument(
        "--log-format",
        metavar="FORMAT",
        help="Apache LogFormat / nginx log_format string, or combined|common|tomcat",
    )
    parser.add_argument(
        "--sigma", action="append", default=[], metavar="DIR", help="Sigma rules; repeatable"
    )
    parser.add_argument(
        "--webroot", action="append", default=[], metavar="DIR", help="web root for correlation"
    )
    parser.add_argument("--root", metavar="DIR", help="host root or mounted image (default /)")
    parser.add_argument(
        "--with",
        dest="previous",
        action="append",
        default=[],
        metavar="RESULT.json",
        help="a previous sscguard result whose flagged files are correlated with requests",
    )
    parser.add_argument("--top", type=int, default=20, metavar="N", help="ranked URIs reported")
    parser.add_argument(
        "--rare", type=int, default=5, metavar="N", help="'rare' means at most N clients/UAs"
    )
    parser.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (default: cores)"
    )


def run(args: argparse.Namespace) -> int:
    from sscguard.detect.logs.webshell import AnalyticsConfig
    from sscguard.extract.logs.formats import FormatError, compile_layout
    from sscguard.logscan import LogsOptions, run_logs

    if not args.files and not args.events:
        raise UsageError("give at least one log or event file")
    if args.top < 1 or args.rare < 1 or (args.jobs is not None and args.jobs < 1):
        raise UsageError("--top, --rare and --jobs must be at least 1")
    cfg = config_from(args, {"jobs": args.jobs})
    try:
        layout = compile_layout(args.log_format, name="given") if args.log_format else None
    except FormatError as exc:
        raise UsageError(f"--log-format: {exc}") from None
    opts = LogsOptions(
        files=tuple(args.files),
        events=tuple(args.events),
        layout=layout,
        sigma=tuple(args.sigma),
        webroots=tuple(args.webroot),
        root=args.root,
        previous=tuple(args.previous),
        jobs=cfg.jobs,
        analytics=AnalyticsConfig(threshold=args.rare, top=args.top),
        min_severity=cfg.min_severity,
    )
    doc = run_logs(opts, command=command_line())
    return emit(doc, cfg)
