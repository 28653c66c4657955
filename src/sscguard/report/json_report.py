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


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


#: parts held before they are written out: a large document is streamed, never built whole
_FLUSH_PARTS = 4096


class _Parts:
    """The text pieces of one document, written to ``out`` in batches when it is given."""

    __slots__ = ("items", "out")

    def __init__(self, out: TextIO | None) -> None:
        self.items: list[str] = []
        self.out = out

    def spill(self) -> None:
        if self.out is not None and len(self.items) >= _FLUSH_PARTS:
            self.out.write("".join(self.items))
            self.items.clear()


def _emit(value: Any, parts: _Parts, newline: str) -> None:
    out = parts.items
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
            if not all(isinstance(key, str) for key in value):
                # non-str keys: the json module's conversion, at this depth's indent
                out.append(_dump(value, indent=2).replace("\n", newline))
                return
            sep = "{" + inner
            for key, item in value.items():
                out.append(sep + encode_basestring_ascii(key) + ": ")
                _emit(item, parts, inner)
                sep = "," + inner
                parts.spill()
            out.append(newline + "}")
        else:
            sep = "[" + inner
            for item in value:
                out.append(sep)
                _emit(item, parts, inner)
                sep = "," + inner
                parts.spill()
            out.append(newline + "]")
    else:  # another type: the json module decides (and raises as json.dumps would)
        out.append(_dump(value, indent=2).replace("\n", newline))


def dump_indented(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=True, indent=2)``, the same text at about twice the
    speed: with an indent the ``json`` module uses its pure-Python encoder, and a large
    document's evidence made it most of the rendering time. Values it does not know (non-str
    keys, other types) go to the ``json`` module at their depth's indent."""
    parts = _Parts(None)
    _emit(data, parts, "\n")
    return "".join(parts.items)


def write_indented(data: Any, out: TextIO) -> None:
    """``dump_indented(data)`` written to ``out`` in batches of parts: the main process of a
    corpus scan held ~100 MB more while it built the whole text as one string."""
    parts = _Parts(out)
    _emit(data, parts, "\n")
    out.write("".join(parts.items))


def render_json(doc: ResultDocument, out: TextIO, options: RenderOptions) -> None:
    del options
    write_indented(doc.to_dict(), out)
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
