"""JSP pages -> Java source with every byte (and so every line) where it was in the page.

A JSP page mixes template text with Java in scriptlets ``<% %>``, declarations ``<%! %>``,
expressions ``<%= %>`` and their XML forms ``<jsp:scriptlet>``, ``<jsp:declaration>`` and
``<jsp:expression>``. ``java_view`` blanks everything that is not Java with spaces (newlines
kept), so a byte offset and a line in the result are the same offset and line in the page and
findings point at the page itself. An expression ``<%= e %>`` becomes `` p( e );`` (a call
statement of the same length), so the Java grammar sees a statement. tree-sitter-java accepts
statements and method declarations at the top level, so no wrapper class is needed.

Expression Language in the template text (``${e}`` and ``#{e}``) is evaluated by the server
too, and since EL 3.0 it can call static methods of ``java.lang`` classes
(``${Runtime.getRuntime().exec(param.c)}``). Each EL expression becomes `` p(e)`` in place
(``${`` -> ``p(``, ``}`` -> ``)``; the Java grammar recovers the missing ``;``), and
``jsp_view`` also returns where they are, so the analyser can treat EL's implicit request
objects (``param``, ``header``, ``cookie``, ...) as request input there and nowhere else.

Pages that are not JSP at all (plain Java pasted into a ``.jsp``) are returned unchanged.
UTF-16 pages (with or without a byte-order mark) are decoded first, since Java servers
accept them and byte-oriented matching does not see them. Nothing here can fail on any input:
unterminated blocks run to the end of the file, and the work is linear in the input size.
"""

from __future__ import annotations

import re

_XML_OPEN = re.compile(rb"<jsp:(scriptlet|declaration|expression)\b[^>]*>", re.I)
_ENTITY = re.compile(rb"&(lt|gt|amp|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,5});")
_ENTITIES = {b"lt": b"<", b"gt": b">", b"amp": b"&", b"quot": b'"', b"apos": b"'"}
_MARKERS = (b"<%", b"<jsp:")
#: an EL expression: no nested braces, strings on one line, bounded
_EL = re.compile(rb"""[$#]\{((?:[^{}"'\n]|"[^"\n]{0,400}"|'[^'\n]{0,400}'){1,2000})\}""")
#: Java source rather than a page (a ``${...}`` in it is inside a string or a comment)
_JAVA_DECLARATION = re.compile(rb"^[ \t]*(package|import|public|class)\b", re.M)
_MAX_EL = 512


def decode_page(data: bytes) -> bytes:
    """The page as UTF-8-compatible bytes: UTF-16 (BOM or NUL-interleaved) is decoded."""
    head = data[:512]
    encoding = ""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif len(head) >= 16:
        odd_nuls = head[1::2].count(0)
        even_nuls = head[0::2].count(0)
        if odd_nuls > len(head) // 2 * 0.8 and even_nuls < len(head) // 16:
            encoding = "utf-16-le"
        elif even_nuls > len(head) // 2 * 0.8 and odd_nuls < len(head) // 16:
            encoding = "utf-16-be"
    if not encoding:
        return data
    return data.decode(encoding, "replace").encode("utf-8", "replace")


def is_jsp_markup(data: bytes) -> bool:
    return any(marker in data for marker in _MARKERS)


_BLANK = bytes(c if c in (10, 13) else 32 for c in range(256))


def _blank(chunk: bytes) -> bytes:
    """Same length, only the newlines kept."""
    return chunk.translate(_BLANK)


def _unescape_xml(chunk: bytes) -> bytes:
    """XML entities decoded in place, padded with spaces so the length does not change."""

    def one(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name in _ENTITIES:
            char = _ENTITIES[name]
        else:
            try:
                code = int(name[2:], 16) if name[:2] in (b"#x", b"#X") else int(name[1:])
                char = chr(code).encode("utf-8") if 0 < code < 0x110000 else b" "
            except ValueError:
                char = b" "
            if len(char) > len(match.group(0)):
                char = b" "
        return char + b" " * (len(match.group(0)) - len(char))

    chunk = chunk.replace(b"<![CDATA[", b"         ").replace(b"]]>", b"   ")
    return _ENTITY.sub(one, chunk)


def java_view(data: bytes) -> bytes:
    """The Java of a JSP page at its original offsets (see the module docstring)."""
    return jsp_view(data)[0]


def jsp_view(data: bytes) -> tuple[bytes, tuple[tuple[int, int], ...]]:
    """``java_view(data)`` and the (start, end) offsets of the EL expressions in it."""
    el = _el_matches(data)
    if not is_jsp_markup(data) and (not el or _JAVA_DECLARATION.search(data)):
        return data, ()
    out = bytearray(_blank(data))
    for start, end in el:
        out[start : start + 2] = b"p("
        out[start + 2 : end - 1] = data[start + 2 : end - 1]
        out[end - 1 : end] = b")"
    _scriptlets(data, out)  # scriptlets overwrite anything EL-like inside them
    _xml_elements(data, out)
    spans = tuple((start, end) for start, end in el if out[start : start + 2] == b"p(")
    return bytes(out), spans


def _el_matches(data: bytes) -> list[tuple[int, int]]:
    if b"{" not in data:
        return []
    found = []
    for count, match in enumerate(_EL.finditer(data)):
        if count >= _MAX_EL:
            break
        found.append((match.start(), match.end()))
    return found


def _scriptlets(data: bytes, out: bytearray) -> None:
    pos = 0
    size = len(data)
    while True:
        start = data.find(b"<%", pos)
        if start < 0:
            return
        if data.startswith(b"<%--", start):
            end = data.find(b"--%>", start + 4)
            pos = size if end < 0 else end + 4
            continue
        kind = data[start + 2 : start + 3]
        end = data.find(b"%>", start + 2)
        stop = size if end < 0 else end
        pos = size if end < 0 else end + 2
        if kind == b"@":
            continue  # directive: imports and page settings, no code
        body_start = start + 3 if kind in (b"!", b"=") else start + 2
        out[body_start:stop] = data[body_start:stop]
        if end >= 0 and kind != b"=" and (comment := _open_line_comment(data, body_start, stop)):
            # the JSP compiler ends a scriptlet with a newline; we must keep the length, so
            # a trailing // comment becomes a block comment closed where %> was
            out[comment : comment + 2] = b"/*"
            out[end : end + 2] = b"*/"
        if kind == b"=" and stop - body_start >= 0:
            out[start : start + 3] = b" p("
            if end >= 0:
                out[end : end + 2] = b");"


def _open_line_comment(data: bytes, start: int, stop: int) -> int:
    """Offset of a ``//`` comment on the last line of ``data[start:stop]``, or 0."""
    line_start = max(data.rfind(b"\n", start, stop) + 1, start)
    quote = 0
    i = line_start
    while i < stop - 1:
        c = data[i]
        if quote:
            if c == 92:  # backslash escape inside a literal
                i += 2
                continue
            if c == quote:
                quote = 0
        elif c in (34, 39):
            quote = c
        elif c == 47 and data[i + 1] == 47:
            return i if b"*/" not in data[i:stop] else 0
        elif c == 47 and data[i + 1] == 42:  # a block comment: skip it
            close = data.find(b"*/", i + 2, stop)
            if close < 0:
                return 0
            i = close + 2
            continue
        i += 1
    return 0


def _xml_elements(data: bytes, out: bytearray) -> None:
    for count, match in enumerate(_XML_OPEN.finditer(data)):
        if count >= 512:
            return
        tag = match.group(1).lower()
        close = re.compile(rb"</jsp:" + tag + rb"\s*>", re.I)
        end_match = close.search(data, match.end())
        stop = end_match.start() if end_match else len(data)
        body = _unescape_xml(data[match.end() : stop])
        out[match.end() : stop] = body
        if tag == b"expression" and len(match.group(0)) >= 2:
            out[match.end() - 2 : match.end()] = b"p("
            if end_match is not None:
                out[end_match.start() : end_match.start() + 2] = b");"
