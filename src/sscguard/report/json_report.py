"""The canonical JSON document and its JSON Lines stream form."""

from __future__ import annotations

import json
from typing import Any, TextIO

from sscguard.model import ResultDocument, finding_to_dict
from sscguard.report import RenderOptions


def _dump(data: Any, indent: int | None = None) -> str:
    # ensure_ascii keeps the output valid whatever bytes an attacker put in a path
    return json.dumps(data, ensure_ascii=True, indent=indent, sort_keys=False)


def render_json(doc: ResultDocument, out: TextIO, options: RenderOptions) -> None:
    del options
    out.write(_dump(doc.to_dict(), indent=2))
    out.write("\n")


def render_jsonl(doc: ResultDocument, out: TextIO, options: RenderOptions) -> None:
    """One finding per line, then one line per skipped item, then one summary line.

    Every line carries ``type`` and the run's ``host`` and ``started`` so lines from many hosts
    can be mixed in one stream.
    """
    del options
    context = {"host": doc.host, "run_started": doc.started, "tool_version": doc.tool_version}
    for finding in doc.findings:
        out.write(_dump({"type": "finding", **context, **finding_to_dict(finding)}) + "\n")
    for skip in doc.skipped:
        line = {
            "type": "skipped",
            **context,
            "source": skip.source,
            "code": skip.code.value,
            "reason": skip.reason,
        }
        out.write(_dump(line) + "\n")
    for muted in doc.to_dict()["suppressed"]:
        out.write(_dump({"type": "suppressed", **context, **muted}) + "\n")
    summary = {
        "type": "summary",
        **context,
        "command": doc.command,
        "finished": doc.finished,
        "targets": list(doc.targets),
        "rules_version": doc.rules_version,
        "stats": dict(doc.stats),
        "incomplete": doc.incomplete,
    }
    out.write(_dump(summary) + "\n")
