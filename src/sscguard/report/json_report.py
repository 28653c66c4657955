"""The canonical JSON document and its JSON Lines stream form."""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring_ascii
from typing import Any, TextIO

from sscguard.model import ResultDocument, finding_to_dict
from sscguard.report import RenderOptions


def _dump(data: Any, indent: int | None = None) -> str:
    # ensure_ascii keeps the output valid whatever bytes an attacker put in a path
    return json.dumps(data, ensure_ascii=True, indent=indent, sort_keys=False)


class _UnusualValueError(Exception):
    """A value ``dump_indented`` leaves to the ``json`` module."""


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _emit(value: Any, out: list[str], newline: str) -> None:
    if isinstance(value, str):
        out.append(encode_basestring_ascii(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (dict, list, tuple)):
        if not value:
            out.append("{}" if isinstance(value, dict) else "[]")
            return
        inner = newline + "  "
        if isinstance(value, dict):
            sep = "{" + inner
            for key, item in value.items():
                if not isinstance(key, str):
                    raise _UnusualValueError
                out.append(sep + encode_basestring_ascii(key) + ": ")
                _emit(item, out, inner)
                sep = "," + inner
            out.append(newline + "}")
        else:
            sep = "[" + inner
            for item in value:
                out.append(sep)
                _emit(item, out, inner)
                sep = "," + inner
            out.append(newline + "]")
    else:
        raise _UnusualValueError


def dump_indented(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=True, indent=2)``, the same text at about twice the
    speed: with an indent the ``json`` module uses its pure-Python encoder, and a large
    document's evidence made it most of the rendering time. Values it does not know (non-str
    keys, other types) go to the ``json`` module."""
    out: list[str] = []
    try:
        _emit(data, out, "\n")
    except _UnusualValueError:
        return _dump(data, indent=2)
    return "".join(out)


def render_json(doc: ResultDocument, out: TextIO, options: RenderOptions) -> None:
    del options
    out.write(dump_indented(doc.to_dict()))
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
