"""Subcommands. Each module defines ``NAME``, ``HELP``, ``DESCRIPTION``,
``add_arguments(parser)`` and ``run(args) -> int``; ``COMMANDS`` is the explicit registry the
CLI builds its parser from. Keep module-level imports light: ``sscguard --help`` imports every
command module, and must start fast.
"""

from __future__ import annotations

import argparse
from types import ModuleType
from typing import Protocol


class Command(Protocol):
    NAME: str
    HELP: str
    DESCRIPTION: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def registry() -> list[ModuleType]:
    """The subcommands in the order ``--help`` lists them. Add new commands here."""
    from sscguard.commands import (
        audit,
        baseline,
        hunt,
        inventory,
        logs,
        processes,
        quarantine,
        report,
        restore,
        rules,
        scan,
        sql,
        watch,
    )

    return [
        hunt,
        scan,
        inventory,
        audit,
        baseline,
        sql,
        logs,
        processes,
        watch,
        report,
        rules,
        quarantine,
        restore,
    ]
