"""Command line: argv -> config -> run -> reporter -> exit code. The only module that exits.

Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 usage or
configuration error, 3 incomplete (something could not be analysed and nothing was found).
Findings win over incompleteness: exit 1 tells cron "look at this" either way.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from sscguard import __version__

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INTERRUPTED = 130

log = logging.getLogger("sscguard")

_SEVERITIES = ("info", "low", "medium", "high", "critical")


def _common_options(parser: argparse.ArgumentParser) -> None:
    """Options every subcommand shares; SUPPRESS lets them appear before or after it."""
    group = parser.add_argument_group("output and run options")
    group.add_argument(
        "--format",
        choices=("table", "json", "jsonl", "sarif"),
        default=argparse.SUPPRESS,
        help="report format (default: table)",
    )
    group.add_argument(
        "-o", "--output", metavar="FILE", default=argparse.SUPPRESS, help="write the report here"
    )
    group.add_argument(
        "--min-severity",
        choices=_SEVERITIES,
        default=argparse.SUPPRESS,
        help="report and fail on findings at or above this (default: medium)",
    )
    group.add_argument(
        "--config", metavar="FILE", default=argparse.SUPPRESS, help="TOML configuration file"
    )
    group.add_argument(
        "--no-progress",
        action="store_true",
        default=argparse.SUPPRESS,
        help="no progress bar on stderr",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="only errors"
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="more detail in logs and reports (repeat for debug)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sscguard",
        description=(
            "Find server-software-component persistence (MITRE ATT&CK T1505): web shells, "
            "rogue server modules, SQL and other server components."
        ),
        epilog="Exit codes: 0 clean, 1 findings, 2 usage/config error, 3 incomplete.",
    )
    parser.add_argument("--version", action="version", version=f"sscguard {__version__}")
    _common_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    scan = sub.add_parser(
        "scan",
        help="scan files and folders for web shells (T1505.003)",
        description="Scan files and folders for web shells with sscguard's rules and yours.",
    )
    scan.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to scan")
    scan.add_argument(
        "--rules",
        action="append",
        metavar="DIR",
        help="extra YARA rule files or folders (LOKI-style externals are defined); repeatable",
    )
    scan.add_argument(
        "--max-file-size",
        metavar="SIZE",
        help="files above this are scanned as head+tail and listed as skipped (default 32MiB)",
    )
    scan.add_argument("--max-depth", type=int, metavar="N", help="directory depth limit")
    scan.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (default: cores)"
    )
    scan.add_argument(
        "--exclude", action="append", metavar="GLOB", help="skip paths matching this glob"
    )
    scan.add_argument(
        "--one-file-system", action="store_true", default=None, help="stay on the roots' devices"
    )
    _common_options(scan)

    report = sub.add_parser(
        "report",
        help="re-render a saved JSON result in another format",
        description="Load a result document written with --format json and render it again.",
    )
    report.add_argument("result", metavar="RESULT.json")
    _common_options(report)

    rules = sub.add_parser(
        "rules",
        help="list the built-in rules (and any extra ones)",
        description="List rule IDs, severities, ATT&CK techniques and titles.",
    )
    rules.add_argument("--rules", action="append", metavar="DIR", help="extra YARA rules")
    _common_options(rules)
    return parser


def _setup_logging(verbosity: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbosity, 2)]
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("sscguard: %(levelname)s: %(message)s"))
    root = logging.getLogger("sscguard")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None or path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


def _config(args: argparse.Namespace, extra: dict[str, Any]) -> Any:
    from sscguard.config import build_config
    from sscguard.model import Severity

    cli: dict[str, Any] = {
        "format": getattr(args, "format", None),
        "output": getattr(args, "output", None),
        "min_severity": Severity.parse(args.min_severity)
        if hasattr(args, "min_severity")
        else None,
        "progress": False if getattr(args, "no_progress", False) else None,
        "verbosity": getattr(args, "verbose", None),
        **extra,
    }
    return build_config(cli, getattr(args, "config", None), os.environ)


def _render(doc: Any, cfg: Any, stream_is_tty: bool) -> None:
    from sscguard.report import RenderOptions, renderer

    render = renderer(cfg.format)
    to_terminal = cfg.output in (None, "-") and stream_is_tty
    options = RenderOptions(
        color=to_terminal,
        width=None if to_terminal else 160,
        verbose=cfg.verbosity,
        min_severity=cfg.min_severity,
    )
    with _output(cfg.output) as out:
        render(doc, out, options)


def _exit_code(doc: Any, cfg: Any) -> int:
    if doc.at_or_above(cfg.min_severity):
        return EXIT_FINDINGS
    if doc.incomplete:
        return EXIT_INCOMPLETE
    return EXIT_CLEAN


def _cmd_scan(args: argparse.Namespace) -> int:
    from sscguard.config import parse_size
    from sscguard.scan import scan

    extra: dict[str, Any] = {
        "rules": tuple(args.rules) if args.rules else None,
        "max_file_size": parse_size(args.max_file_size) if args.max_file_size else None,
        "max_depth": args.max_depth,
        "jobs": args.jobs,
        "exclude": tuple(args.exclude) if args.exclude else None,
        "one_file_system": args.one_file_system,
    }
    cfg = _config(args, extra)
    if cfg.jobs < 1 or cfg.max_depth < 1:
        raise _usage("--jobs and --max-depth must be at least 1")
    show_progress = cfg.progress and not getattr(args, "quiet", False) and sys.stderr.isatty()
    from sscguard.progress import progress_observer

    with progress_observer(show_progress) as observer:
        doc = scan(args.paths, cfg, observer=observer, command=_command_line())
    _render(doc, cfg, sys.stdout.isatty())
    return _exit_code(doc, cfg)


def _cmd_report(args: argparse.Namespace) -> int:
    from sscguard.errors import ReportError
    from sscguard.model import ResultDocument

    cfg = _config(args, {})
    try:
        with open(args.result, encoding="utf-8") as handle:
            data = json.load(handle)
        doc = ResultDocument.from_dict(data)
    except OSError as exc:
        raise ReportError(f"cannot read {args.result}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReportError(f"{args.result}: {exc}") from None
    _render(doc, cfg, sys.stdout.isatty())
    return _exit_code(doc, cfg)


def _cmd_rules(args: argparse.Namespace) -> int:
    from sscguard.rules.yara import compile_rules

    cfg = _config(args, {"rules": tuple(args.rules) if args.rules else None})
    ruleset = compile_rules(cfg.rules)
    infos = sorted(ruleset.infos.values(), key=lambda r: (not r.builtin, r.id))
    with _output(cfg.output) as out:
        if cfg.format in ("json", "jsonl"):
            rows = [
                {
                    "id": r.id,
                    "title": r.title,
                    "severity": r.severity.value,
                    "confidence": r.confidence.value,
                    "language": r.language,
                    "techniques": [a.technique for a in r.attack],
                    "mitigations": sorted({m for a in r.attack for m in a.mitigations}),
                    "why": r.why,
                    "source": r.source,
                }
                for r in infos
            ]
            if cfg.format == "json":
                out.write(json.dumps(rows, indent=2) + "\n")
            else:
                out.writelines(json.dumps(row) + "\n" for row in rows)
        else:
            from sscguard.textutil import sanitize

            for r in infos:
                techniques = ",".join(a.technique for a in r.attack)
                out.write(
                    f"{r.id:<28} {r.severity.value:<8} {r.confidence.value:<6} {r.language:<5} "
                    f"{techniques:<10} {sanitize(r.title, 100)}\n"
                )
        for s in ruleset.skipped:
            log.warning("rule file skipped: %s: %s", s.source, s.reason)
    return EXIT_CLEAN


class _UsageError(Exception):
    pass


def _usage(message: str) -> _UsageError:
    return _UsageError(message)


def _command_line() -> str:
    from sscguard.textutil import sanitize

    return sanitize(" ".join(["sscguard", *sys.argv[1:]]), 1000)


_COMMANDS = {"scan": _cmd_scan, "report": _cmd_report, "rules": _cmd_rules}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    _setup_logging(getattr(args, "verbose", 0) or 0, getattr(args, "quiet", False))
    from sscguard.errors import SscguardError

    try:
        return _COMMANDS[args.command](args)
    except _UsageError as exc:
        print(f"sscguard: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SscguardError as exc:
        print(f"sscguard: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # e.g. --output in a folder that does not exist
        where = f" {exc.filename}" if exc.filename else ""
        print(f"sscguard: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sscguard: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
