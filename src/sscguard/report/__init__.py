"""Reporters: each renders one ``ResultDocument`` to a text stream and never re-runs analysis."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from sscguard.model import ResultDocument, Severity

Renderer = Callable[[ResultDocument, TextIO, "RenderOptions"], None]


class RenderOptions:
    """What a reporter may need besides the document."""

    __slots__ = ("color", "min_severity", "verbose", "width")

    def __init__(
        self,
        *,
        color: bool = False,
        width: int | None = None,
        verbose: int = 0,
        min_severity: Severity = Severity.INFO,
    ) -> None:
        self.color = color
        self.width = width
        self.verbose = verbose
        self.min_severity = min_severity


def renderer(name: str) -> Renderer:
    """The renderer for a format name (imported lazily: rich is only loaded for tables)."""
    if name == "json":
        from sscguard.report.json_report import render_json

        return render_json
    if name == "jsonl":
        from sscguard.report.json_report import render_jsonl

        return render_jsonl
    if name == "sarif":
        from sscguard.report.sarif import render_sarif

        return render_sarif
    if name == "html":
        from sscguard.report.html import render_html

        return render_html
    if name == "ecs":
        from sscguard.report.ecs import render_ecs

        return render_ecs
    if name == "table":
        from sscguard.report.table import render_table

        return render_table
    raise ValueError(f"unknown format {name!r}")
