"""``sscguard audit [--root DIR]``: findings about server components and their hardening."""

from __future__ import annotations

import argparse

from sscguard.commands.common import UsageError, command_line, config_from, emit

NAME = "audit"
HELP = "audit server components and hardening (T1505.002/.004/.005/.006, M1042/M1026/M1024)"
DESCRIPTION = (
    "Discover servers under a root and report rogue or unexpected components (modules, "
    "extensions, prepend files, handler mappings, valves, IIS modules, transport agents, "
    "Terminal Services DLLs, VIBs) and weak settings, as a result document."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default="/", metavar="DIR", help="root of the system (default /)")


def run(args: argparse.Namespace) -> int:
    import os

    from sscguard.audit import run_audit

    cfg = config_from(args)
    if not os.path.isdir(args.root):
        raise UsageError(f"--root {args.root}: not a directory")
    doc = run_audit(args.root, command=command_line())
    return emit(doc, cfg)
