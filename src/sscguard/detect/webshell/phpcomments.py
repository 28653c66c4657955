"""Where a PHP file's comments are, so a rule match that only quotes code in a comment
(``// never pass $_GET['cmd'] to passthru()``) is not mistaken for code.

A small lexer over the PHP regions of the file: outside ``<?php``/``<?=``/``<?`` ... ``?>`` is
template text; inside, strings (single, double, heredoc and nowdoc) are skipped so that a
``/*`` or ``#`` inside a string never opens a "comment" that would hide the code after it.
Anything the lexer does not understand counts as code: an error can only keep a finding at
its severity, never lower it. Linear time; patterns are unrolled (no ``(?:a|b)*`` loops).
"""

from __future__ import annotations

import re
from bisect import bisect_right

MAX_LEXED = 4 << 20

_OPEN = re.compile(rb"<\?(?:php\b|=)?", re.I)
_TOKEN = re.compile(
    rb"(?P<close>\?>)"
    rb"|(?P<line>(?://|\#(?!\[))[^\n?]*(?:\?(?!>)[^\n?]*)*)"
    rb"|(?P<block>/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)"
    rb"|(?P<sq>'[^'\\]*(?:\\.[^'\\]*)*')"
    rb'|(?P<dq>"[^"\\]*(?:\\.[^"\\]*)*")'
    rb"|(?P<bq>`[^`\\]*(?:\\.[^`\\]*)*`)"
    rb"|(?P<here><<<[ \t]*(?P<q>[\"']?)(?P<tag>[A-Za-z_]\w*)(?P=q)\r?\n)",
    re.S,
)


def comment_spans(data: bytes, blocks_only: bool = False) -> list[tuple[int, int]]:
    """Sorted ``(start, end)`` byte ranges of the comments in the PHP code of ``data``
    (only ``/* ... */`` ones with ``blocks_only``)."""
    spans: list[tuple[int, int]] = []
    n = min(len(data), MAX_LEXED)
    pos = 0
    while pos < n:
        opened = _OPEN.search(data, pos, n)
        if opened is None:
            break
        pos = opened.end()
        while pos < n:
            m = _TOKEN.search(data, pos, n)
            if m is None:
                return spans  # the rest is code (or an unterminated string/comment)
            kind = m.lastgroup
            if kind == "close":
                pos = m.end()
                break
            if kind == "block" or (kind == "line" and not blocks_only):
                spans.append((m.start(), m.end()))
                pos = m.end()
            elif kind == "line":
                pos = m.end()
            elif kind == "here":
                end = re.compile(rb"\n[ \t]*" + re.escape(m.group("tag")) + rb"\b").search(
                    data, m.end(), n
                )
                if end is None:
                    return spans
                pos = end.end()
            else:
                pos = m.end()
    return spans


def all_in_comments(offsets: list[int], spans: list[tuple[int, int]]) -> bool:
    """True when every offset falls inside one of ``spans`` (sorted, non-overlapping)."""
    if not offsets or not spans:
        return False
    starts = [s for s, _ in spans]
    for offset in offsets:
        i = bisect_right(starts, offset) - 1
        if i < 0 or offset >= spans[i][1]:
            return False
    return True
