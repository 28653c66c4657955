"""A small, bounded tokeniser for classic ASP pages (VBScript and server-side JScript).

There is no maintained tree-sitter grammar (or other maintained Python parser) for classic
VBScript, so this module does the little the ASP analyser needs by hand: it finds the server
code of a page (``<% %>``, ``<%= %>`` as ``Response.Write``, ``<script runat="server">`` and
``<object runat="server">`` declarations), and turns it into tokens with the file's line
numbers. VBScript: ``""`` escapes in strings, ``'`` and ``Rem`` comments, ``_`` line
continuations, ``:`` statement separators, ``&H``/``&O`` numbers. JScript: ``\\`` escapes,
``//`` and ``/* */`` comments, regular-expression literals, ``;``. Everything is linear in
the input and capped at ``MAX_TOKENS``; nothing here can raise on any input.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MAX_TOKENS = 300_000

#: CLSIDs of ``<object runat=server classid=...>`` declarations that matter to the analyser
CLSIDS = {
    "72c24dd5-d70a-438b-8a42-98424b88afb8": "wscript.shell",
    "13709620-c279-11ce-a49e-444553540000": "shell.application",
    "0d43fe01-f093-11cf-8940-00a0c9054228": "scripting.filesystemobject",
    "00000566-0000-0010-8000-00aa006d2ea4": "adodb.stream",
    "0e59f1d5-1fbe-11d0-8ff2-00a0d10038bc": "msscriptcontrol.scriptcontrol",
}


class Tok(NamedTuple):
    """One token: ``id``, ``str`` (text is the decoded value), ``num``, ``op`` or ``nl``."""

    kind: str
    text: str
    line: int


#: builds a Tok without the NamedTuple's Python-level ``__new__`` (one frame per token)
_new_tok = tuple.__new__

_DIRECTIVE_LANG = re.compile(r"(?i)<%\s*@[^%]*?language\s*=\s*[\"']?\s*(\w+)")
_SCRIPT_OPEN = re.compile(r"(?i)<script\b([^>]{0,400})>")
_SCRIPT_CLOSE = re.compile(r"(?i)</script\s*>")
_OBJECT_TAG = re.compile(r"(?i)<object\b([^>]{0,600})>")
_ATTR = re.compile(r"""(?i)\b(runat|language|id|classid|progid)\s*=\s*["']?([^"'\s>]+)""")
_SERVER_OPEN = re.compile(r"(?i)<%|<script\b[^>]{0,400}runat\s*=\s*[\"']?server|<object\b")
_IDENT = re.compile(r"[A-Za-z_\x80-\uffff][\w\x80-\uffff]*")
_JS_NUM = re.compile(r"(?i)0x[0-9a-f]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?")
_JS_OPS = (
    "===", "!==", ">>>", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=",
    "/=", "=>", "<<", ">>",
)  # fmt: skip
_VB_TOKEN = re.compile(
    r"(?P<ws>[ \t\r\x0b\x0c\xa0]+)"
    r"|(?P<nl>\n)"
    r"|(?P<close>%>)"
    r"|(?P<sclose>(?i:</script\s*>))"
    r"|(?P<comment>'[^\n%]*(?:%(?!>)[^\n%]*)*)"
    r'|(?P<str>"(?P<sbody>[^"\n]*(?:""[^"\n]*)*)"?)'
    r"|(?P<colon>:)"
    r"|(?P<cont>_[ \t\r]*\n)"
    r"|(?P<num>(?:&[hH][0-9a-fA-F]+|&[oO]?[0-7]+)&?(?![\w\x80-\uffff])"
    r"|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)"
    r"|(?P<id>[A-Za-z_\x80-\uffff][\w\x80-\uffff]*)"
    r"|(?P<br>\[[^\]\n]{1,254}\])"
    r"|(?P<op><>|<=|>=|.)",
    re.S,
)
#: unrolled loops (``a*(?:b a*)*``), not ``(?:a|b)*``: the regex engine keeps a backtracking
#: frame per repetition of an alternation, 30 MB for one 90 KB string literal
_VB_COMMENT = re.compile(r"[^\n%]*(?:%(?!>)[^\n%]*)*")
_REGEX_PREV = {"(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%",
               "&&", "||", "==", "===", "!=", "!==", "return", "typeof", "nl"}  # fmt: skip
_JS_ESC = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def default_language(text: str) -> str:
    """``jscript`` when the page's ``<%@ %>`` directive says JScript/JavaScript."""
    m = _DIRECTIVE_LANG.search(text[:4096])
    if m and m.group(1).lower() in ("jscript", "javascript"):
        return "jscript"
    return "vbscript"


class _Lexer:
    def __init__(self, text: str, lang: str) -> None:
        self.s = text
        self.n = len(text)
        self.lang = lang
        self.out: list[Tok] = []
        self.line = 1
        self.pos = 0  # line counting is done lazily up to this offset
        self.full = False

    def line_at(self, i: int) -> int:
        if i > self.pos:
            self.line += self.s.count("\n", self.pos, i)
            self.pos = i
        return self.line

    def emit(self, kind: str, text: str, at: int) -> None:
        if len(self.out) >= MAX_TOKENS:
            self.full = True
            return
        if kind == "nl" and (not self.out or self.out[-1].kind == "nl"):
            return
        self.out.append(Tok(kind, text, self.line_at(at)))

    # -- page level ------------------------------------------------------------------

    def page(self) -> None:
        s, i = self.s, 0
        page_lang = self.lang
        while i < self.n and not self.full:
            m = _SERVER_OPEN.search(s, i)
            if m is None:
                return
            start = m.start()
            if s.startswith("<%", start):
                j = start + 2
                if s.startswith("@", j) or (s.startswith("--", j)):
                    end = s.find("%>", j)
                    i = self.n if end < 0 else end + 2
                    continue
                if s.startswith("=", j):
                    self.emit("id", "__echo", start)
                    j += 1
                i = self.code(j, page_lang, "%>")
                self.emit("nl", "", i)
            elif s[start : start + 7].lower() == "<object":
                i = self.object_tag(start)
            else:
                tag = _SCRIPT_OPEN.match(s, start)
                if tag is None:
                    i = start + 1
                    continue
                lang = page_lang
                for key, value in _ATTR.findall(tag.group(1)):
                    if key.lower() == "language":
                        v = value.lower()
                        lang = "jscript" if v.startswith(("jscript", "javascript")) else "vbscript"
                i = self.code(tag.end(), lang, "</script")
                self.emit("nl", "", i)

    def object_tag(self, start: int) -> int:
        tag = _OBJECT_TAG.match(self.s, start)
        if tag is None:
            return start + 1
        attrs = {k.lower(): v for k, v in _ATTR.findall(tag.group(1))}
        if attrs.get("runat", "").lower() == "server" and attrs.get("id"):
            progid = attrs.get("progid", "").lower()
            clsid = attrs.get("classid", "").lower().removeprefix("clsid:")
            progid = progid or CLSIDS.get(clsid, "")
            if progid and _IDENT.fullmatch(attrs["id"]):
                for kind, text in (("id", "set"), ("id", attrs["id"]), ("op", "="),
                                   ("id", "createobject"), ("op", "("), ("str", progid),
                                   ("op", ")"), ("nl", "")):  # fmt: skip
                    self.emit(kind, text, start)
        return tag.end()

    # -- code ------------------------------------------------------------------------

    def code(self, i: int, lang: str, close: str) -> int:
        """Tokenise server code from ``i`` to ``close`` (``%>`` or ``</script``)."""
        if lang == "jscript":
            return self.jscript(i, close)
        return self.vbscript(i, close)

    def _closes(self, i: int, close: str) -> bool:
        if close == "%>":
            return self.s.startswith("%>", i)
        return self.s[i : i + 8].lower() == "</script"

    def _close_end(self, i: int, close: str) -> int:
        if close == "%>":
            return i + 2
        m = _SCRIPT_CLOSE.match(self.s, i)
        return m.end() if m else i + 8

    def vbscript(self, i: int, close: str) -> int:
        """One regular-expression match per token (not per character)."""
        s, out = self.s, self.out
        line = self.line_at(i)
        script = close != "%>"
        match = _VB_TOKEN.match
        while not self.full:
            m = match(s, i)
            if m is None:  # end of input
                i = self.n
                break
            kind = m.lastgroup
            end = m.end()
            if kind == "ws" or kind == "comment":
                pass
            elif kind == "nl" or kind == "colon":
                if out and out[-1].kind != "nl":
                    out.append(_new_tok(Tok, ("nl", "", line)))
                if kind == "nl":
                    line += 1
            elif kind == "close":
                i = end
                break
            elif kind == "sclose":
                if script:
                    i = end
                    break
                self._tok("op", "<", line)
                end = i + 1
            elif kind == "cont":
                if i and (s[i - 1].isalnum() or s[i - 1] == "_"):
                    self._tok("id", "_", line)
                    end = i + 1
                else:
                    line += 1
            elif kind == "str":
                self._tok("str", m.group("sbody").replace('""', '"'), line)
            elif kind == "id":
                word = m.group()
                if word.lower() == "rem" and (not out or out[-1].kind == "nl"):
                    c = _VB_COMMENT.match(s, i)
                    end = c.end() if c else end
                else:
                    self._tok("id", word, line)
            elif kind == "br":
                self._tok("id", m.group()[1:-1], line)
            else:
                self._tok("num" if kind == "num" else "op", m.group(), line)
            i = end
        self.line, self.pos = line, i
        return i

    def _tok(self, kind: str, text: str, line: int) -> None:
        if len(self.out) >= MAX_TOKENS:
            self.full = True
            return
        self.out.append(_new_tok(Tok, (kind, text, line)))

    def _line_comment(self, i: int, close: str) -> int:
        s = self.s
        end = s.find("\n", i)
        end = self.n if end < 0 else end
        stop = s.find("%>" if close == "%>" else "</", i, end)
        if stop >= 0 and self._closes(stop, close):
            return stop
        return end

    def jscript(self, i: int, close: str) -> int:
        s, n = self.s, self.n
        depth = 0  # ( and [ nesting: newlines inside them are not statement ends
        while i < n and not self.full:
            c = s[i]
            if (c == "%" or c == "<") and self._closes(i, close):
                return self._close_end(i, close)
            if c == "\n":
                if depth == 0:
                    self.emit("nl", "", i)
                i += 1
            elif c in " \t\r\x0b\x0c\xa0":
                i += 1
            elif s.startswith("//", i):
                i = self._line_comment(i, close)
            elif s.startswith("/*", i):
                end = s.find("*/", i + 2)
                i = n if end < 0 else end + 2
            elif c in "'\"":
                i = self._js_string(i, c)
            elif c == "/" and self._regex_allowed():
                i = self._js_regex(i)
            elif c.isdigit():
                m = _JS_NUM.match(s, i)
                end = m.end() if m else i + 1
                self.emit("num", s[i:end], i)
                i = end
            elif c == ";":
                self.emit("nl", "", i)
                i += 1
            else:
                m = _IDENT.match(s, i)
                if m:
                    self.emit("id", m.group(), i)
                    i = m.end()
                    continue
                for op in _JS_OPS:
                    if s.startswith(op, i):
                        self.emit("op", op, i)
                        i += len(op)
                        break
                else:
                    if c in "([":
                        depth += 1
                    elif c in ")]" and depth:
                        depth -= 1
                    elif c in "{}":
                        depth = 0
                    self.emit("op", c, i)
                    i += 1
        return i

    def _regex_allowed(self) -> bool:
        if not self.out:
            return True
        last = self.out[-1]
        return last.kind == "nl" or (last.kind in ("op", "id") and last.text in _REGEX_PREV)

    def _js_regex(self, i: int) -> int:
        s, n = self.s, self.n
        j, in_class = i + 1, False
        while j < n and s[j] != "\n":
            c = s[j]
            if c == "\\":
                j += 2
                continue
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                j += 1
                while j < n and s[j].isalpha():
                    j += 1
                self.emit("id", "__regex", i)
                return j
            j += 1
        self.emit("op", "/", i)  # not a regex after all: a division
        return i + 1

    def _js_string(self, i: int, quote: str) -> int:
        s, n = self.s, self.n
        j = i + 1
        parts: list[str] = []
        while j < n:
            c = s[j]
            if c == quote:
                j += 1
                break
            if c == "\n":
                break
            if c == "\\" and j + 1 < n:
                e = s[j + 1]
                if e == "x" and _is_hex(s[j + 2 : j + 4], 2):
                    parts.append(chr(int(s[j + 2 : j + 4], 16)))
                    j += 4
                elif e == "u" and _is_hex(s[j + 2 : j + 6], 4):
                    parts.append(chr(int(s[j + 2 : j + 6], 16)))
                    j += 6
                elif e == "\n":
                    j += 2
                else:
                    parts.append(_JS_ESC.get(e, e))
                    j += 2
                continue
            parts.append(c)
            j += 1
        self.emit("str", "".join(parts), i)
        return j


def _is_hex(text: str, size: int) -> bool:
    return len(text) == size and all(c in "0123456789abcdefABCDEF" for c in text)


def tokenize_page(text: str) -> tuple[str, list[Tok]]:
    """The page's default language and the tokens of all its server code."""
    lang = default_language(text)
    lexer = _Lexer(text, lang)
    lexer.page()
    return lang, lexer.out


def tokenize_code(text: str, lang: str, first_line: int = 1) -> list[Tok]:
    """Tokens of a bare code string (a decoded layer): no ``<% %>`` around it."""
    lexer = _Lexer(text, lang)
    lexer.line = first_line
    lexer.code(0, lang, "%>" if lang == "vbscript" else "</script")
    return lexer.out
