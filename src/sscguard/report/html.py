"""A self-contained HTML report: summary, sortable and filterable findings, evidence, skipped
items and a timeline. No external assets; works offline.

Safety: every string from the scanned system is HTML-escaped where the page is built, and the
data the script reads is embedded as JSON with ``<``, ``>``, ``&`` and line separators escaped,
so nothing can close the data element. A Content Security Policy allows exactly the one script
and one style sheet of this page (by SHA-256), so no inline script or event handler that came
from data can run, even if escaping were ever wrong.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
from collections import Counter
from importlib import resources
from typing import Any, TextIO

from sscguard import attack
from sscguard.model import Finding, ResultDocument, Severity, finding_to_dict
from sscguard.report import RenderOptions


def _sha256_source(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


@functools.cache
def _assets() -> tuple[str, str, str]:
    """The page's style sheet, script, and the Content Security Policy that allows just them."""
    folder = resources.files("sscguard") / "data" / "report"
    css = (folder / "report.css").read_text("utf-8")
    js = (folder / "report.js").read_text("utf-8")
    csp = (
        "default-src 'none'; "
        f"script-src '{_sha256_source(js)}'; "
        f"style-src '{_sha256_source(css)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return css, js, csp


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _json_for_script(data: Any) -> str:
    """JSON that cannot end the <script> element it sits in, nor start a comment in it."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _lane(kind: str) -> str:
    if kind in ("file", "drift", "file-event", "yara-match"):
        return "file change"
    if kind in ("request", "log-line", "access-log"):
        return "request"
    if kind in ("process", "process-event", "lineage", "connection"):
        return "process"
    return "other"


def _events(findings: tuple[Finding, ...]) -> list[dict[str, str]]:
    events = []
    for f in findings:
        for e in f.evidence:
            if e.time:
                events.append(
                    {
                        "time": e.time,
                        "lane": _lane(e.kind),
                        "severity": f.severity.value,
                        "rule": f.rule_id,
                        "subject": f.subject.path,
                    }
                )
    return events


def _finding_row(f: Finding) -> str:
    techniques = ", ".join(dict.fromkeys(a.technique for a in f.attack))
    components = ", ".join(dict.fromkeys(a.data_component for a in f.attack))
    mitigations = ", ".join(dict.fromkeys(m for a in f.attack for m in a.mitigations))
    evidence = "".join(
        f"<li><span class='mono'>{_e(e.location)}</span> "
        f"<span class='muted'>[{_e(e.kind)}]</span> "
        f"<code>{_e(e.excerpt or e.detail)}</code></li>"
        for e in f.evidence
    )
    return (
        f"<tr data-severity='{_e(f.severity.value)}'>"
        f"<td data-sort='{f.severity.rank}'><span class='sev sev-{_e(f.severity.value)}'>"
        f"{_e(f.severity.value)}</span><br><span class='muted'>{_e(f.confidence.value)}"
        f" confidence</span></td>"
        f"<td class='mono rule'>{_e(f.rule_id)}</td>"
        f"<td>{_e(techniques)}<br><span class='muted'>{_e(components)}<br>{_e(mitigations)}"
        f"</span></td>"
        f"<td class='mono'>{_e(f.subject)}</td>"
        f"<td><b>{_e(f.title)}</b><p class='why'>{_e(f.why)}</p>"
        f"<details><summary>evidence ({len(f.evidence)})</summary><ul class='ev'>{evidence}</ul>"
        f"</details><p class='fix'>Fix: {_e(f.remediation)}</p></td></tr>"
    )


def _summary(doc: ResultDocument, findings: tuple[Finding, ...]) -> str:
    by_sev = Counter(f.severity for f in findings)
    cards = "".join(
        f"<div class='card'><b class='sev-{s.value}'>{by_sev.get(s, 0)}</b>{s.value}</div>"
        for s in sorted(Severity, reverse=True)
    )
    techniques = sorted({a.technique for f in findings for a in f.attack})
    rows = []
    for tech in techniques:
        name = attack.TECHNIQUES.get(tech) or attack.RELATED_TECHNIQUES.get(tech)
        counts = Counter(f.severity for f in findings if any(a.technique == tech for a in f.attack))
        cells = "".join(
            f"<td>{counts.get(s, 0) or ''}</td>" for s in sorted(Severity, reverse=True)
        )
        rows.append(f"<tr><td>{_e(tech)} {_e(name.name if name else '')}</td>{cells}</tr>")
    head = "".join(f"<th>{s.value}</th>" for s in sorted(Severity, reverse=True))
    table = (
        f"<table id='technique-table'><thead><tr><th>ATT&amp;CK technique</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p class='muted'>No findings.</p>"
    )
    return f"<div class='cards'>{cards}</div><h2>By technique</h2>{table}"


def render_html(doc: ResultDocument, out: TextIO, options: RenderOptions) -> None:
    css, js, csp = _assets()
    findings = tuple(f for f in doc.findings if f.severity >= options.min_severity)
    stats = " · ".join(f"{_e(k)} {_e(v)}" for k, v in doc.stats.items())
    skipped_rows = "".join(
        f"<tr><td class='mono'>{_e(s.source)}</td><td>{_e(s.code.value)}</td>"
        f"<td>{_e(s.reason)}</td></tr>"
        for s in doc.skipped
    )
    suppressed_rows = "".join(
        f"<tr><td class='mono'>{_e(m.rule_id)}</td><td class='mono'>{_e(m.subject)}</td>"
        f"<td>{_e(m.severity.value)}</td><td>{_e(m.reason)}</td><td>{_e(m.expires)}</td></tr>"
        for m in doc.suppressed
    )
    data = {
        "events": _events(findings),
        "findings": [finding_to_dict(f) for f in findings],
    }
    options_html = "".join(
        f"<option value='{s.value}'>{s.value} and above</option>" for s in Severity
    )
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">
<meta name="referrer" content="no-referrer">
<title>sscguard report: {_e(doc.host)}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>sscguard report: {_e(doc.host)}</h1>
<p><span class="mono">{_e(doc.command)}</span></p>
<p>{_e(doc.started)} to {_e(doc.finished)} · sscguard {_e(doc.tool_version)} ·
rules {_e(doc.rules_version)}{" · <b>incomplete</b>" if doc.incomplete else ""}</p>
</header>
<main>
<h2>Summary</h2>
{_summary(doc, findings)}
<h2>Timeline</h2>
<svg id="chart" role="img" aria-label="timeline of file changes, requests and process events"></svg>
<h2>Findings (<span id="shown-count">{len(findings)}</span> of {len(findings)})</h2>
<div class="controls">
<input id="filter" type="search" placeholder="filter: text in any column">
<label>severity <select id="minsev">{options_html}</select></label>
</div>
<table id="findings-table">
<thead><tr><th class="sortable" data-type="number">Severity</th><th class="sortable">Rule</th>
<th class="sortable">ATT&amp;CK</th><th class="sortable">Where</th><th>What, why, evidence, fix</th>
</tr></thead>
<tbody>{"".join(_finding_row(f) for f in findings)}</tbody>
</table>
<h2>Suppressed ({len(doc.suppressed)})</h2>
<table id="suppressed-table"><thead><tr><th>Rule</th><th>Subject</th><th>Severity</th>
<th>Reason</th><th>Expires</th></tr></thead><tbody>{suppressed_rows}</tbody></table>
<h2>Skipped ({len(doc.skipped)})</h2>
<table id="skipped-table"><thead><tr><th>Source</th><th>Code</th><th>Reason</th></tr></thead>
<tbody>{skipped_rows}</tbody></table>
<h2>Run</h2>
<p class="muted">Targets: <span class="mono">{_e(", ".join(doc.targets))}</span></p>
<p class="muted">{stats}</p>
</main>
<script type="application/json" id="sscguard-data">{_json_for_script(data)}</script>
<script>{js}</script>
</body>
</html>
"""
    out.write(page)
