"""Pull the server code out of an ASP.NET page (ASPX, ASCX, ASHX, ASMX, master pages).

A page mixes markup with server code in several places: ``<script runat="server">`` blocks
(class members), ``<% ... %>`` blocks (statements of the render method), ``<%= ... %>``,
``<%: ... %>`` and ``<%# ... %>`` (expressions written to the response) and, for handlers and
web services, the whole file after the ``<%@ WebHandler %>`` directive (a class). This module
turns those regions into one source text a C# parser accepts::

    class __Page {              <- script blocks, one after the other
        ...members...
    void __Render() {           <- code blocks and expressions, in page order
        ...statements...
    }}

and keeps a line map so that every line of that text maps back to its line in the file.
It also lists the server controls the markup declares (``<asp:TextBox ID="x" runat=server>``),
because ``x.Text`` in the code is request input. Pure, bounded, never raises.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MAX_EXTRACT_BYTES = 1 << 20  # larger pages are extracted on their first MiB only
MAX_REGIONS = 2000

CSHARP = "csharp"
VB = "vb"
JSCRIPT = "jscript"

#: Extensions that are ASP.NET pages whatever their content says.
DOTNET_EXTS = {".aspx", ".ascx", ".ashx", ".asmx", ".master", ".asax", ".svc", ".cshtml"}

#: Pages of other servers whose directives look alike (JSP's <%@ page %>).
_OTHER_SERVER_EXTS = {".jsp", ".jspx", ".jspf", ".php", ".cfm"}
_DOTNET_LANGS = {b"c#", b"csharp", b"cs", b"vb", b"visualbasic", b"vb.net", b"jscript", b"js"}
_DIRECTIVE = re.compile(
    rb"<\s*%\s*@\s*(Page|Control|WebHandler|WebService|Master|Application|ServiceHost)\b"
    rb"([^%]{0,2000})%\s*>",
    re.I,
)
_LANG_ATTR = re.compile(rb"\blanguage\s*=\s*[\"']?\s*([a-z#.]+)", re.I)
_SCRIPT_OPEN = re.compile(rb"<script\b([^>]{0,600})>", re.I)
_RUNAT = re.compile(rb"\brunat\s*=\s*[\"']?server", re.I)
_SCRIPT_CLOSE = re.compile(rb"</script\s*>", re.I)
_CONTROL = re.compile(
    rb"<\s*(asp:\w+|input|textarea|select|htmlinputfile)\b([^>]{0,1200})>",
    re.I,
)
_ID_ATTR = re.compile(rb"\bid\s*=\s*[\"']?([A-Za-z_][\w]*)", re.I)
_WS_DIRECTIVE_END = re.compile(rb"%\s*>")


@dataclass(frozen=True, slots=True)
class ServerCode:
    """The server code of one page, ready for a parser, with its way back to file lines."""

    language: str  # CSHARP, VB or JSCRIPT
    source: bytes  # C#: one compilation unit; VB/JScript: the regions one after the other
    starts: tuple[int, ...]  # synthetic line (1-based) where each region starts, ascending
    origins: tuple[int, ...]  # the file line of each region's first line
    controls: dict[str, str]  # server control ID (lower case) -> tag (lower case)
    directive: bool  # an ASP.NET directive (<%@ Page ...%>, WebHandler, ...) is present
    markup: bool  # the file has markup besides server code (HTML, a form, text)
    script_blocks: int  # number of <script runat=server> regions
    code_blocks: int  # number of <% %> regions (expressions included)

    def line(self, synthetic: int) -> int:
        """The file line of a line of ``source`` (1-based both)."""
        i = bisect.bisect_right(self.starts, synthetic) - 1
        if i < 0:
            return 1
        return self.origins[i] + (synthetic - self.starts[i])


_SMART_QUOTES = (
    (b"\xe2\x80\x9c", b'"'), (b"\xe2\x80\x9d", b'"'), (b"\xe2\x80\x98", b"'"),
    (b"\xe2\x80\x99", b"'"),
)  # fmt: skip
_GBK_QUOTES = ((b"\xa1\xb0", b'"'), (b"\xa1\xb1", b'"'), (b"\xa1\xae", b"'"), (b"\xa1\xaf", b"'"))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_page(data: bytes) -> bytes:
    """UTF-16 pages (with a BOM, or plainly ASCII-in-UTF-16) as UTF-8; typographic quotes
    (UTF-8 or GBK, left by editors that "smarten" pasted code) as ASCII quotes; otherwise the
    bytes unchanged. Line breaks are kept, so line numbers stay those of the file."""
    head = data[:2]
    if head in (b"\xff\xfe", b"\xfe\xff"):
        data = data.decode("utf-16", "replace").encode("utf-8")
    elif len(data) >= 16 and data[1:512:2].count(0) > len(data[:512]) * 3 // 8:
        data = data.decode("utf-16-le", "replace").encode("utf-8")
    elif data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    if b"\xe2\x80" in data:
        for smart, plain in _SMART_QUOTES:
            data = data.replace(smart, plain)
    if (b"\xa1\xb0" in data or b"\xa1\xb1" in data) and not _is_utf8(data):
        for smart, plain in _GBK_QUOTES:
            data = data.replace(smart, plain)
    return data


def page_language(data: bytes) -> str | None:
    """The page's server language from its directive, else None."""
    match = _DIRECTIVE.search(data[:65536])
    if match is None:
        return None
    lang = _LANG_ATTR.search(match.group(2))
    return _language_name(lang.group(1)) if lang else CSHARP


def _language_name(raw: bytes) -> str:
    value = raw.lower().strip(b"\"' ")
    if value.startswith((b"vb", b"visualbasic")):
        return VB
    if value.startswith((b"js", b"jscript", b"javascript")):
        return JSCRIPT
    return CSHARP


def is_dotnet_page(ext: str, data: bytes) -> bool:
    """An ASP.NET page by extension, or by a .NET directive or a C#/VB server script block."""
    if ext in DOTNET_EXTS:
        return True
    if ext in _OTHER_SERVER_EXTS:
        return False
    head = data[:65536]
    directive = _DIRECTIVE.search(head)
    if directive is not None:
        if directive.group(1).lower() in (b"webhandler", b"webservice"):
            return True
        lang = _LANG_ATTR.search(directive.group(2))
        return lang is not None and lang.group(1).lower().strip(b"\"' ") in _DOTNET_LANGS
    for match in _SCRIPT_OPEN.finditer(head):
        attrs = match.group(1)
        if _RUNAT.search(attrs):
            lang = _LANG_ATTR.search(attrs)
            if lang and lang.group(1).lower().strip(b"\"'") in (b"c#", b"csharp", b"cs"):
                return True
    return False


def _line_at(data: bytes, offset: int, cache: list[int]) -> int:
    """1-based line of ``offset``; ``cache`` holds the newline offsets (filled on first use)."""
    if not cache:
        cache.append(-1)
        at = data.find(b"\n")
        while at >= 0:
            cache.append(at)
            at = data.find(b"\n", at + 1)
    return bisect.bisect_left(cache, offset)


def extract(data: bytes, ext: str = ".aspx") -> ServerCode:
    """The server code of ``data`` (an ASP.NET page) as one parsable unit; never raises."""
    data = decode_page(data[: MAX_EXTRACT_BYTES * 2])[:MAX_EXTRACT_BYTES]
    newlines: list[int] = []
    directive = _DIRECTIVE.search(data[:65536])
    language = CSHARP
    if directive is not None:
        lang = _LANG_ATTR.search(directive.group(2))
        if lang:
            language = _language_name(lang.group(1))
    members: list[tuple[int, bytes]] = []  # (file line, code)
    statements: list[tuple[int, bytes]] = []
    markup = bytearray()
    kind = directive.group(1).lower() if directive is not None else b""
    if kind in (b"webhandler", b"webservice", b"servicehost") and directive is not None:
        # a handler or service: the rest of the file is plain code
        start = directive.end()
        members.append((_line_at(data, start, newlines), data[start:]))
        script_blocks = 1
        code_blocks = 0
        raw = True
    else:
        script_blocks = code_blocks = 0
        raw = False
        scripts = [m for m in _SCRIPT_OPEN.finditer(data) if _RUNAT.search(m.group(1))]
        si = 0
        pos = 0
        while pos < len(data) and script_blocks + code_blocks < MAX_REGIONS:
            while si < len(scripts) and scripts[si].start() < pos:
                si += 1
            script = scripts[si] if si < len(scripts) else None
            code_at = data.find(b"<%", pos)
            if script is not None and (code_at < 0 or script.start() < code_at):
                markup += data[pos : script.start()]
                body_start = script.end()
                close = _SCRIPT_CLOSE.search(data, body_start)
                body_end = close.start() if close else len(data)
                lang = _LANG_ATTR.search(script.group(1))
                if lang and directive is None:
                    language = _language_name(lang.group(1))
                members.append((_line_at(data, body_start, newlines), data[body_start:body_end]))
                script_blocks += 1
                pos = close.end() if close else len(data)
                continue
            if code_at < 0:
                markup += data[pos:]
                break
            markup += data[pos:code_at]
            end = data.find(b"%>", code_at + 2)
            end = end if end >= 0 else len(data)
            inner = data[code_at + 2 : end]
            pos = end + 2
            if inner.startswith(b"--") or inner.lstrip().startswith(b"@"):
                continue
            line = _line_at(data, code_at + 2, newlines)
            code_blocks += 1
            if inner[:1] in (b"=", b":", b"#", b"$"):
                if inner[:1] != b"$":
                    statements.append((line, b" __Echo(" + inner[1:] + b");"))
            else:
                statements.append((line, inner))
    controls = _controls(bytes(markup)) if markup else {}
    if language == CSHARP and not raw:
        source, starts, origins = _csharp_unit(members, statements)
    else:
        source, starts, origins = _plain_unit([*members, *statements])
    return ServerCode(
        language=language,
        source=source,
        starts=starts,
        origins=origins,
        controls=controls,
        directive=directive is not None,
        markup=bool(markup.strip()),
        script_blocks=script_blocks,
        code_blocks=code_blocks,
    )


def _controls(markup: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for match in _CONTROL.finditer(markup):
        attrs = match.group(2)
        if not _RUNAT.search(attrs):
            continue
        ident = _ID_ATTR.search(attrs)
        if ident is None:
            continue
        tag = match.group(1).lower().decode("latin-1")
        if tag == "input" and re.search(rb"type\s*=\s*[\"']?file", attrs, re.I):
            tag = "htmlinputfile"
        out[ident.group(1).lower().decode("latin-1")] = tag
        if len(out) >= 500:
            break
    return out


def _csharp_unit(
    members: list[tuple[int, bytes]], statements: list[tuple[int, bytes]]
) -> tuple[bytes, tuple[int, ...], tuple[int, ...]]:
    parts: list[bytes] = [b"class __Page {\n"]
    starts: list[int] = []
    origins: list[int] = []
    line = 2
    for origin, code in members:
        starts.append(line)
        origins.append(origin)
        parts.append(code + b"\n")
        line += code.count(b"\n") + 1
    parts.append(b"void __Render() {\n")
    line += 1
    for origin, code in statements:
        starts.append(line)
        origins.append(origin)
        parts.append(code + b"\n")
        line += code.count(b"\n") + 1
    parts.append(b"}\n}\n")
    return b"".join(parts), tuple(starts), tuple(origins)


def _plain_unit(regions: list[tuple[int, bytes]]) -> tuple[bytes, tuple[int, ...], tuple[int, ...]]:
    regions = sorted(regions, key=lambda r: r[0])
    parts: list[bytes] = []
    starts: list[int] = []
    origins: list[int] = []
    line = 1
    for origin, code in regions:
        starts.append(line)
        origins.append(origin)
        parts.append(code + b"\n")
        line += code.count(b"\n") + 1
    return b"".join(parts), tuple(starts), tuple(origins)
