"""Helpers every subcommand shares: configuration, progress, rendering and exit codes."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from sscguard.config import ScanConfig, build_config
from sscguard.model import ResultDocument, Severity

log = logging.getLogger(__name__)

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A bad combination of arguments that argparse cannot express (exit code 2)."""


def config_from(args: argparse.Namespace, extra: dict[str, Any] | None = None) -> ScanConfig:
    """Merge the shared options, the command's own settings, env and the config file."""
    cli: dict[str, Any] = {
        "format": getattr(args, "format", None),
        "output": getattr(args, "output", None),
        "min_severity": (
            Severity.parse(args.min_severity) if getattr(args, "min_severity", None) else None
        ),
        "progress": False if getattr(args, "no_progress", False) else None,
        "verbosity": getattr(args, "verbose", None),
        **(extra or {}),
    }
    suppress_files = tuple(getattr(args, "suppress", None) or ())
    return build_config(cli, getattr(args, "config", None), os.environ, suppress_files)


def show_progress(cfg: ScanConfig, args: argparse.Namespace) -> bool:
    return cfg.progress and not getattr(args, "quiet", False) and sys.stderr.isatty()


@contextlib.contextmanager
def output_stream(path: str | None) -> Iterator[TextIO]:
    if path is None or path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


def exit_code(doc: ResultDocument, cfg: ScanConfig) -> int:
    if doc.at_or_above(cfg.min_severity):
        return EXIT_FINDINGS
    if doc.incomplete:
        return EXIT_INCOMPLETE
    return EXIT_CLEAN


def emit(doc: ResultDocument, cfg: ScanConfig) -> int:
    """Apply suppressions, render the document as configured, return the exit code."""
    from sscguard import suppress
    from sscguard.report import RenderOptions, renderer

    doc, expired = suppress.apply(doc, cfg.suppressions)
    for entry in expired:
        log.warning(
            "suppression expired and no longer applies: %s (%s)", entry.source, entry.reason
        )
    render = renderer(cfg.format)
    to_terminal = cfg.output in (None, "-") and sys.stdout.isatty()
    options = RenderOptions(
        color=to_terminal,
        width=None if to_terminal else 160,
        verbose=cfg.verbosity,
        min_severity=cfg.min_severity,
    )
    with output_stream(cfg.output) as out:
        render(doc, out, options)
    return exit_code(doc, cfg)


def command_line() -> str:
    from sscguard.textutil import sanitize

    return sanitize(" ".join(["sscguard", *sys.argv[1:]]), 1000)
