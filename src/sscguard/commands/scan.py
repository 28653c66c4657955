"""``sscguard scan PATH...``: web shells in files and folders."""

from __future__ import annotations

import argparse

from sscguard.commands.common import UsageError, command_line, config_from, emit, show_progress

NAME = "scan"
HELP = "scan files and folders for web shells (T1505.003)"
DESCRIPTION = "Scan files and folders for web shells with sscguard's rules and yours."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to scan")
    parser.add_argument(
        "--rules",
        action="append",
        metavar="DIR",
        help="extra YARA rule files or folders (LOKI-style externals are defined); repeatable",
    )
    parser.add_argument(
        "--max-file-size",
        metavar="SIZE",
        help="files above this are scanned as head+tail and listed as skipped (default 32MiB)",
    )
    parser.add_argument("--max-depth", type=int, metavar="N", help="directory depth limit")
    parser.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (default: cores)"
    )
    parser.add_argument(
        "--exclude", action="append", metavar="GLOB", help="skip paths matching this glob"
    )
    parser.add_argument(
        "--one-file-system", action="store_true", default=None, help="stay on the roots' devices"
    )
    parser.add_argument(
        "--no-code-analysis",
        dest="code_analysis",
        action="store_false",
        default=None,
        help="YARA rules only: skip the PHP dataflow and deobfuscation analysers (faster)",
    )


def run(args: argparse.Namespace) -> int:
    from sscguard.config import parse_size
    from sscguard.progress import progress_observer
    from sscguard.scan import scan

    if (args.jobs is not None and args.jobs < 1) or (
        args.max_depth is not None and args.max_depth < 1
    ):
        raise UsageError("--jobs and --max-depth must be at least 1")
    cfg = config_from(
        args,
        {
            "rules": tuple(args.rules) if args.rules else None,
            "max_file_size": parse_size(args.max_file_size) if args.max_file_size else None,
            "max_depth": args.max_depth,
            "jobs": args.jobs,
            "exclude": tuple(args.exclude) if args.exclude else None,
            "one_file_system": args.one_file_system,
            "code_analysis": args.code_analysis,
        },
    )
    with progress_observer(show_progress(cfg, args)) as observer:
        doc = scan(args.paths, cfg, observer=observer, command=command_line())
    return emit(doc, cfg)
