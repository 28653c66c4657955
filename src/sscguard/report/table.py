"""Human-readable terminal output (rich). Every string from the scanned system is sanitized
and inserted as plain text, never as rich markup, so a file name cannot inject escapes or
styling."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sscguard.model import Finding, ResultDocument, Severity
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


def _findings_table(
    console: Console, doc: ResultDocument, findings: list[Finding], options: RenderOptions
) -> None:
    """One row per subject (file or object): its worst finding in full, the others listed."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.subject.path, []).append(f)
    table = Table(show_lines=True, expand=True, title=_plain(doc.command, 200))
    table.add_column("Severity", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Where", overflow="fold", ratio=2)
    table.add_column("What and why", overflow="fold", ratio=3)
    for path, group in groups.items():
        top = group[0]  # the document is sorted worst first
        sev = Text(f"{top.severity.value}\n({top.confidence.value})", style=_STYLE[top.severity])
        rule = Text(top.rule_id)
        techniques = ", ".join(dict.fromkeys(a.technique for f in group for a in f.attack))
        rule.append(f"\n{techniques}", style="dim")
        body = Text(sanitize(top.title), style="bold")
        body.append("\n")
        body.append(sanitize(top.why, 400))
        for e in top.evidence[: 3 if options.verbose == 0 else None]:
            body.append("\n")
            line = f"line {e.location.line}: " if e.location.line is not None else ""
            body.append(f"  {line}", style="dim")
            body.append(sanitize(e.excerpt or e.detail, 160), style="magenta")
        for other in group[1:]:
            body.append("\n+ ", style="dim")
            body.append(f"{other.rule_id} ({other.severity.value}) ", style=_STYLE[other.severity])
            body.append(sanitize(other.title, 120))
        if options.verbose:
            body.append("\nfix: ", style="dim")
            body.append(sanitize(top.remediation, 400))
        table.add_row(sev, rule, _plain(path), body)
    console.print(table)


def _attack_summary(console: Console, findings: list[Finding]) -> None:
    """Counts per ATT&CK (sub-)technique and per data component."""
    techniques: Counter[str] = Counter()
    components: Counter[str] = Counter()
    for f in findings:
        for t in dict.fromkeys(a.technique for a in f.attack):
            techniques[t] += 1
        for c in dict.fromkeys(a.data_component for a in f.attack):
            components[c] += 1
    line = Text("By technique: ", style="bold")
    line.append(", ".join(f"{t} {n}" for t, n in sorted(techniques.items())))
    console.print(line)
    line = Text("By data component: ", style="bold")
    line.append(", ".join(f"{c} {n}" for c, n in sorted(components.items())))
    console.print(line)


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
        _findings_table(console, doc, findings, options)
    if findings:
        _attack_summary(console, findings)
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

    def total(name: str) -> float:
        return sum(v for k, v in stats.items() if k == name or k.endswith("." + name))

    if total("files_scanned") or "files_scanned" in stats:
        console.print(
            Text(
                f"Scanned {int(total('files_scanned'))} files "
                f"({total('bytes_scanned') / 1e6:.1f} MB) in {stats.get('duration_s', 0)} s "
                f"with {int(total('rules'))} rules",
                style="dim",
            )
        )
    if doc.suppressed:
        console.print(
            Text(f"Suppressed {len(doc.suppressed)} (not counted for the exit code):", style="dim")
        )
        for muted in doc.suppressed[: None if options.verbose else SKIPPED_SHOWN]:
            entry = Text("  ")
            entry.append(f"{muted.rule_id} ", style="dim")
            entry.append(sanitize(muted.subject, 160))
            entry.append(" because ", style="dim")
            entry.append(sanitize(muted.reason, 200))
            if muted.expires:
                entry.append(f" (until {muted.expires})", style="dim")
            console.print(entry)
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
