"""``sscguard inventory [--root DIR]``: the servers found and every component they load."""

from __future__ import annotations

import argparse

from sscguard.commands.common import EXIT_CLEAN, EXIT_INCOMPLETE, config_from, output_stream

NAME = "inventory"
HELP = "list servers and the components they load (Apache, nginx, PHP, Tomcat, IIS, ...)"
DESCRIPTION = (
    "Discover servers under a root (a live host is /, or a mounted image or folder of "
    "collected artifacts) and list their config files, web roots, component folders, logs "
    "and each loaded component with its owner package and signature state. "
    "Formats: table, json (one document), jsonl (one component per line)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default="/", metavar="DIR", help="root of the system (default /)")


def run(args: argparse.Namespace) -> int:
    import os

    from sscguard.commands.common import UsageError
    from sscguard.report.inventory import (
        render_inventory_json,
        render_inventory_jsonl,
        render_inventory_table,
    )
    from sscguard.targets import discover

    cfg = config_from(args)
    if cfg.format == "sarif":
        raise UsageError("an inventory has no findings: use --format table, json or jsonl")
    if not os.path.isdir(args.root):
        raise UsageError(f"--root {args.root}: not a directory")
    inv = discover(args.root)
    with output_stream(cfg.output) as out:
        if cfg.format == "json":
            render_inventory_json(inv, out)
        elif cfg.format == "jsonl":
            render_inventory_jsonl(inv, out)
        else:
            render_inventory_table(inv, out, cfg.verbosity)
    return EXIT_INCOMPLETE if any(s.incomplete for s in inv.skipped) else EXIT_CLEAN
