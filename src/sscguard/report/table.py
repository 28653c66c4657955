"""Human-readable terminal output (rich). Every string from the scanned system is sanitized
and inserted as plain text, never as rich markup, so a file name cannot inject escapes or
styling."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sscguard.model import ResultDocument, Severity
from sscguard.report import RenderOptions
from sscguard.textutil import sanitize

_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
SKIPPED_SHOWN = 20


def _plain(text: str, limit: int = 300) -> Text:
    return Text(sanitize(text, limit))


def render_table(doc: ResultDocument, out: TextIO, options: RenderOptions) -> None:
    console = Console(
        file=out,
        force_terminal=options.color,
        no_color=not options.color,
        width=options.width or 120,
        highlight=False,
        emoji=False,
        markup=False,
    )
    findings = [f for f in doc.findings if f.severity >= options.min_severity]
    if findings:
        table = Table(show_lines=True, expand=True, title=Text(f"sscguard {doc.command}"))
        table.add_column("Severity", no_wrap=True)
        table.add_column("Rule", no_wrap=True)
        table.add_column("Where", overflow="fold", ratio=2)
        table.add_column("What and why", overflow="fold", ratio=3)
        for f in findings:
            sev = Text(f"{f.severity.value}\n({f.confidence.value})", style=_STYLE[f.severity])
            techniques = ", ".join(dict.fromkeys(a.technique for a in f.attack))
            rule = Text(f.rule_id)
            rule.append(f"\n{techniques}", style="dim")
            where = _plain(str(f.subject))
            body = Text(sanitize(f.title), style="bold")
            body.append("\n")
            body.append(sanitize(f.why, 400))
            for e in f.evidence[: 3 if options.verbose == 0 else None]:
                body.append("\n")
                line = f"line {e.location.line}: " if e.location.line is not None else ""
                body.append(f"  {line}", style="dim")
                body.append(sanitize(e.excerpt or e.detail, 160), style="magenta")
            if options.verbose:
                body.append("\nfix: ", style="dim")
                body.append(sanitize(f.remediation, 400))
            table.add_row(sev, rule, where, body)
        console.print(table)
    counts = Counter(f.severity for f in findings)
    summary = Text("Findings: ")
    if findings:
        for level in sorted(counts, reverse=True):
            summary.append(f"{counts[level]} {level.value}  ", style=_STYLE[level])
    else:
        summary.append("none", style="green")
    below = int(doc.stats.get("findings_below_threshold", 0))
    if below:
        summary.append(f"({below} below the threshold not shown)", style="dim")
    console.print(summary)
    stats = doc.stats
    console.print(
        Text(
            f"Scanned {stats.get('files_scanned', 0)} files "
            f"({int(stats.get('bytes_scanned', 0)) / 1e6:.1f} MB) in "
            f"{stats.get('duration_s', 0)} s with {stats.get('rules', 0)} rules",
            style="dim",
        )
    )
    if doc.skipped:
        by_code = Counter(s.code.value for s in doc.skipped)
        line = ", ".join(f"{n} {code}" for code, n in by_code.most_common())
        console.print(Text(f"Skipped {len(doc.skipped)}: {line}", style="yellow"))
        shown = doc.skipped if options.verbose else doc.skipped[:SKIPPED_SHOWN]
        for s in shown:
            entry = Text("  ")
            entry.append(sanitize(s.source, 200))
            entry.append(f"  [{s.code.value}] ", style="dim")
            entry.append(sanitize(s.reason, 200))
            console.print(entry)
        if len(shown) < len(doc.skipped):
            console.print(
                Text(
                    f"  ... {len(doc.skipped) - len(shown)} more (use -v or --format json)",
                    style="dim",
                )
            )
    if doc.incomplete:
        console.print(
            Text("Incomplete: some input could not be analysed (exit code 3).", style="bold yellow")
        )
