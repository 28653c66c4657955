"""Access-log formats: Apache ``LogFormat`` / Tomcat valve patterns and nginx ``log_format``.

A format string compiles to a :class:`Layout`: the canonical fields it yields, a regular
expression that parses one line (always available), and, when every field is a single
space-separated column (optionally quoted), a column list for the fast columnar reader.
Nothing here reads files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Canonical field names every parser yields (missing ones stay empty).
FIELDS = (
    "client",
    "time",
    "method",
    "path",
    "query",
    "status",
    "size",
    "referer",
    "ua",
)

# Apache/Tomcat directive letter -> canonical field (None: parsed but not used).
_APACHE = {
    "h": "client",
    "a": "client",
    "l": None,
    "u": "user",
    "t": "time",
    "r": "request",
    "m": "method",
    "U": "path",
    "q": "query",
    "H": "protocol",
    "s": "status",
    "b": "size",
    "B": "size",
    "O": "size",
    "I": None,
    "S": None,
    "v": "host",
    "V": "host",
    "D": None,
    "T": None,
    "p": None,
    "P": None,
    "X": None,
    "k": None,
    "L": None,
    "A": None,
    "f": None,
    "R": None,
    "e": None,
    "n": None,
    "o": None,
    "C": None,
    "c": None,
    "i": None,
    "x": None,
}
_APACHE_HEADERS = {"referer": "referer", "user-agent": "ua"}

_NGINX = {
    "remote_addr": "client",
    "binary_remote_addr": None,
    "realip_remote_addr": "client",
    "remote_user": "user",
    "time_local": "time",
    "time_iso8601": "time",
    "msec": "time",
    "request": "request",
    "request_method": "method",
    "request_uri": "uri",
    "uri": "path",
    "document_uri": "path",
    "args": "query",
    "query_string": "query",
    "server_protocol": "protocol",
    "status": "status",
    "body_bytes_sent": "size",
    "bytes_sent": "size",
    "http_referer": "referer",
    "http_user_agent": "ua",
    "host": "host",
    "server_name": "host",
}

PRESETS = {
    # Apache's and Tomcat's names for the classic formats.
    "combined": '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    "common": '%h %l %u %t "%r" %>s %b',
    "vhost_combined": '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
    # Tomcat AccessLogValve's default pattern ("common"): no user agent, no referer.
    "tomcat": '%h %l %u %t "%r" %s %b',
}


class FormatError(ValueError):
    """A format string that cannot be compiled."""


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of a format: a field (``name`` set) or literal text."""

    name: str | None  # canonical field, "" for a field we parse but ignore, None for literal
    text: str  # the directive as written, or the literal text
    quoted: bool = False
    bracketed: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """A compiled access-log format."""

    name: str
    source: str
    tokens: tuple[Token, ...]
    regex: re.Pattern[bytes]
    groups: tuple[str, ...]  # canonical field per regex group ("" = ignored)
    columns: tuple[str, ...] | None  # column names for the columnar reader, or None

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(g for g in self.groups if g)


_APACHE_DIRECTIVE = re.compile(r"%(?:\{([^}]*)\})?[<>]?([a-zA-Z%])")
_NGINX_VAR = re.compile(r"\$(?:\{([a-zA-Z0-9_]+)\}|([a-zA-Z0-9_]+))")


def _apache_tokens(fmt: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    for m in _APACHE_DIRECTIVE.finditer(fmt):
        if m.start() > pos:
            tokens.append(Token(None, fmt[pos : m.start()]))
        arg, letter = m.group(1), m.group(2)
        if letter == "%":
            tokens.append(Token(None, "%"))
        elif letter == "i" and arg is not None:
            tokens.append(Token(_APACHE_HEADERS.get(arg.lower(), ""), m.group(0)))
        elif letter == "t":
            tokens.append(Token("time", m.group(0), bracketed=arg is None))
        elif letter in _APACHE:
            tokens.append(Token(_APACHE[letter] or "", m.group(0)))
        else:
            raise FormatError(f"unknown directive {m.group(0)!r}")
        pos = m.end()
    if pos < len(fmt):
        tokens.append(Token(None, fmt[pos:]))
    return tokens


def _nginx_tokens(fmt: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    for m in _NGINX_VAR.finditer(fmt):
        if m.start() > pos:
            tokens.append(Token(None, fmt[pos : m.start()]))
        var = (m.group(1) or m.group(2)).lower()
        name = _NGINX.get(var)
        if name is None and var.startswith("http_"):
            name = ""
        tokens.append(Token(name or "", m.group(0)))
        pos = m.end()
    if pos < len(fmt):
        tokens.append(Token(None, fmt[pos:]))
    return tokens


def _mark_quotes(tokens: list[Token]) -> list[Token]:
    """Mark a field as quoted/bracketed when the literals around it open and close it."""
    out = list(tokens)
    for i, tok in enumerate(out):
        if tok.name is None or i == 0 or i + 1 >= len(out):
            continue
        before, after = out[i - 1], out[i + 1]
        if before.name is not None or after.name is not None:
            continue
        if before.text.endswith('"') and after.text.startswith('"'):
            out[i] = Token(tok.name, tok.text, quoted=True)
        elif before.text.endswith("[") and after.text.startswith("]"):
            out[i] = Token(tok.name, tok.text, bracketed=True)
    return out


def _field_pattern(tok: Token, last: bool) -> str:
    if tok.quoted:
        return r'((?:[^"\\\n]|\\.)*)'
    if tok.bracketed and tok.text.startswith("%") and "{" not in tok.text:
        return r"\[([^\]\n]*)\]"  # Apache %t prints its own brackets
    if tok.bracketed:
        return r"([^\]\n]*)"
    if tok.name == "request":
        return r"([^\n]*?)" if not last else r"([^\n]*)"
    return r"(\S*)" if not last else r"([^\n]*?)"


def compile_layout(fmt: str, name: str = "custom", kind: str | None = None) -> Layout:
    """Compile an Apache/Tomcat (``%h``) or nginx (``$remote_addr``) format string."""
    fmt = fmt.strip()
    if fmt in PRESETS:
        name, fmt = fmt, PRESETS[fmt]
    if not fmt or len(fmt) > 4096:
        raise FormatError("empty or over-long format string")
    if kind is None:
        kind = "nginx" if "$" in fmt and not _APACHE_DIRECTIVE.search(fmt) else "apache"
    tokens = _mark_quotes(_apache_tokens(fmt) if kind == "apache" else _nginx_tokens(fmt))
    if not any(t.name for t in tokens):
        raise FormatError("the format names no fields")
    parts: list[str] = []
    groups: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.name is None:
            parts.append(re.sub(r"\\ ", " ", re.escape(tok.text)))
        else:
            last = all(t.name is None for t in tokens[i + 1 :])
            parts.append(_field_pattern(tok, last))
            groups.append(tok.name)
    regex = re.compile(("^" + "".join(parts) + r"\r?$").encode())
    return Layout(name, fmt, tuple(tokens), regex, tuple(groups), _columnar(tokens))


def _columnar(tokens: list[Token]) -> tuple[str, ...] | None:
    """Columns for the fast reader when every field is its own space-separated column.

    ``[%t]``-style local times hold one space, so they become two columns (``time``, ``_tz``).
    Returns None when a field shares a column with another or with literal text, or when an
    unquoted field may contain spaces.
    """
    text = ""
    names: list[str] = []
    for tok in tokens:
        if tok.name is None:
            if "\0" in tok.text:
                return None
            text += tok.text
        elif tok.name == "time" and tok.text in ("%t", "$time_local", "${time_local}"):
            text += "[\1]" if tok.text == "%t" else "\1"
            names.append(tok.name)
        else:
            text += "\0"
            names.append(tok.name)
    columns: list[str] = []
    it = iter(names)
    for piece in text.split(" "):
        if piece in ('"\0"', "\0"):
            name = next(it)
            if piece == "\0" and name in ("request", "ua", "referer", "time"):
                return None  # may contain spaces when unquoted
            columns.append(name or "_")
        elif piece == "[\1]":
            next(it)
            columns.extend(("time", "_tz"))
        elif piece and "\0" not in piece and "\1" not in piece and '"' not in piece:
            columns.append("_")  # a literal column such as "-"
        else:
            return None
    return tuple(columns)
