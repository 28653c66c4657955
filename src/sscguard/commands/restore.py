"""``sscguard restore ID``: put a quarantined file back byte for byte."""

from __future__ import annotations

import argparse

from sscguard.commands.common import EXIT_CLEAN, config_from
from sscguard.commands.quarantine import _print

NAME = "restore"
HELP = "put a quarantined file back exactly as it was"
DESCRIPTION = "Restore vault entries to their original paths with owner, mode and times."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sscguard.quarantine import DEFAULT_VAULT

    parser.add_argument("ids", nargs="+", metavar="ID", help="vault entry IDs (quarantine --list)")
    parser.add_argument("--vault", default=DEFAULT_VAULT, help=f"default {DEFAULT_VAULT}")
    parser.add_argument("--force", action="store_true", help="overwrite a file now at the path")


def run(args: argparse.Namespace) -> int:
    from sscguard import quarantine

    cfg = config_from(args)
    entries = [quarantine.restore(i, args.vault, force=args.force) for i in args.ids]
    _print(entries, cfg.format, cfg.output, "restored")
    return EXIT_CLEAN
