"""Command line: argv -> config -> run -> reporter -> exit code. The only module that exits.

Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 usage or
configuration error, 3 incomplete (something could not be analysed and nothing was found).
Findings win over incompleteness: exit 1 tells cron "look at this" either way.
Subcommands live in ``sscguard.commands`` and are listed in its explicit registry.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from sscguard import __version__
from sscguard.commands import registry
from sscguard.commands.common import EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_USAGE, UsageError
from sscguard.config import FORMATS

_SEVERITIES = ("info", "low", "medium", "high", "critical")


def _common_options(parser: argparse.ArgumentParser) -> None:
    """Options every subcommand shares; SUPPRESS lets them appear before or after it."""
    group = parser.add_argument_group("output and run options")
    group.add_argument(
        "--format",
        choices=FORMATS,
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
        "--suppress",
        action="append",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="TOML file of [[suppress]] entries (repeatable)",
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
    for command in registry():
        child = sub.add_parser(command.NAME, help=command.HELP, description=command.DESCRIPTION)
        command.add_arguments(child)
        _common_options(child)
        child.set_defaults(_run=command.run)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    _setup_logging(getattr(args, "verbose", 0) or 0, getattr(args, "quiet", False))
    from sscguard.errors import SscguardError

    try:
        code: int = args._run(args)
        return code
    except (UsageError, SscguardError) as exc:
        print(f"sscguard: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (`sscguard rules | head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush cannot fail
        os.close(devnull)
        return EXIT_INCOMPLETE
    except OSError as exc:  # e.g. --output in a folder that does not exist
        where = f" {exc.filename}" if exc.filename else ""
        print(f"sscguard: error:{where} {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sscguard: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
