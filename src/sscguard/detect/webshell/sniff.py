"""Content-sniffed dispatch: run the analyser the content needs when the name says otherwise.

Two cases, both cheap to recognise:

* UTF-16 text (a byte-order mark FF FE or FE FF). PHP itself does not run such a file unless
  zend.multibyte is on, but collections and droppers store pages that way and every byte
  pattern of the analysers misses them. The text is transcoded to UTF-8 (newlines stay
  newlines, so evidence line numbers are the original ones) and the PHP detectors run on it
  (the ASP.NET, ASP and JSP analysers read UTF-16 pages themselves).
* An ASP.NET page (``<%@ Page Language="C#" %>``) or a classic ASP page stored under the
  name of another server language (``shell.php``, ``x.jsp``). The extension-owned analyser
  finds nothing there; when the file has no PHP open tag at all it is not PHP whatever its
  name, so the ASP.NET or ASP analyser reads it as what it is.

The findings are the other detectors' own (their IDs); this module adds no check of its own.
"""

from __future__ import annotations

import codecs
import re

from sscguard.detect.webshell.detectors import (
    MAX_ANALYSED,
    PHP_EXTS,
    FileContext,
    is_php,
)
from sscguard.model import Finding

NAME = "content-sniff"
#: extensions whose own analyser would ignore a page of another server language
_FOREIGN_NAMED = PHP_EXTS | {".jsp", ".jspx", ".jspf", ".cfm"}
_DOTNET_DIRECTIVE = re.compile(
    rb"<\s*%\s*@\s*(?:Page|Control|WebHandler|WebService)\b[^%]{0,400}?\blanguage\s*=\s*"
    rb"[\"']?\s*(?:c#|csharp|cs|vb|visualbasic|vb\.net|jscript)(?![\w#])",
    re.I,
)
_ASP_DIRECTIVE = re.compile(
    rb"<%\s*@\s*(?:language|codepage)\s*=|<%[^@=][^%]{0,400}?\b(?:request|response|server)\s*[.(]",
    re.I,
)
_HEAD = 4096


def utf16_text(data: bytes) -> bytes | None:
    """UTF-8 bytes of a UTF-16 file with a byte-order mark (no BOM in the output), or None."""
    if data[:2] == codecs.BOM_UTF16_LE:
        codec = "utf-16-le"
    elif data[:2] == codecs.BOM_UTF16_BE:
        codec = "utf-16-be"
    else:
        return None
    body = data[2 : 2 + 2 * MAX_ANALYSED]
    body = body[: len(body) & ~1]
    text = body.decode(codec, "replace")
    sample = text[:4096]
    printable = sum(1 for c in sample if " " <= c < "\x7f" or c in "\t\n\r")
    if printable < len(sample) // 2:  # not code: a binary (or a non-Latin text) after FF FE
        return None
    return text.encode("utf-8", "surrogatepass")


def foreign_page(ctx: FileContext) -> str | None:
    """``.aspx`` or ``.asp`` when a file named for another server language holds that page."""
    if ctx.gates is not None and "asp_code" not in ctx.gates:  # its atom: "<%"
        return None
    if ctx.data.find(b"<%", 0, _HEAD) < 0 or ctx.ext not in _FOREIGN_NAMED:
        return None
    head = ctx.data[:_HEAD]
    if b"<?" in ctx.data and is_php(FileContext(".x", ctx.data)):
        return None  # it has PHP code too: the PHP analyser owns it
    if _DOTNET_DIRECTIVE.search(head):
        return ".aspx"
    if ctx.ext in PHP_EXTS and _ASP_DIRECTIVE.search(head):
        return ".asp"
    return None


def detect(ctx: FileContext) -> list[Finding]:
    text = utf16_text(ctx.data)
    if text is not None:
        from sscguard.detect.webshell.detectors import DETECTORS

        # the ASP.NET, ASP and JSP analysers read UTF-16 pages themselves; PHP's do not
        inner = FileContext(ctx.path, text, ctx.hits, ctx.truncated, None)
        if not is_php(inner):
            return []
        out: list[Finding] = []
        for det in DETECTORS:
            if det.name.startswith("php-"):
                out.extend(det.run(inner))
        ctx.bounded.extend(inner.bounded)
        return out
    ext = foreign_page(ctx)
    if ext is None:
        return []
    inner = FileContext(ctx.path, ctx.data, ctx.hits, ctx.truncated, None, ext_override=ext)
    if ext == ".aspx":
        from sscguard.detect.webshell.dotnet import detect_dotnet

        found = detect_dotnet(inner)
    else:
        from sscguard.detect.webshell.asp_detect import detect_asp

        found = detect_asp(inner)
    ctx.bounded.extend(inner.bounded)
    return found


__all__ = ["NAME", "detect", "foreign_page", "utf16_text"]
