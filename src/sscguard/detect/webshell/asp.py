"""Classic ASP (VBScript and server-side JScript) analysis: constant folding and taint.

The page is tokenised (``asp_lex``), parsed into statements (``asp_parse``) and interpreted
abstractly, in file order: every value is a ``Val`` that may carry a folded constant
(``Chr``/``ChrW``/``ChrB``, ``&``/``+``, ``Replace``, ``StrReverse``, ``Mid``/``Left``/
``Right``, ``LCase``/``UCase``, ``Unescape``, ``String.fromCharCode``, user functions over
constants), a taint path from the request, the COM object it refers to, and marks for values
decoded by a user function from an opaque constant. Taint is sticky (flow-insensitive: a
variable once tainted stays tainted), constants follow the last assignment. Values stored
into ``Session``/``Application`` are read back in a second pass. Code passed to
``Execute``/``ExecuteGlobal``/``Eval``/``ScriptControl`` that folds to a constant is
tokenised and analysed again as the next layer; scripts inside XSLT stylesheets handed to
``loadXML`` too. Pages declaring the UTF-7 code page (65000) are decoded first.

What comes out is an ``Analysis`` (request input reaching code or command execution, decoded
layers) and a list of ``Capability`` facts the detector turns into findings (droppers,
downloaders, SQL consoles, request-driven file managers, hidden payloads, script engines).
Bounds: ``Budget`` (nodes and time), ``MAX_CONST`` per folded string, ``MAX_CALL_DEPTH``,
``flow.MAX_LAYERS``; nothing is ever executed.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from sscguard.detect.webshell.asp_lex import tokenize_code, tokenize_page
from sscguard.detect.webshell.asp_parse import (
    Arr,
    Assign,
    Call,
    Dict,
    Expr,
    ExprStmt,
    FuncDef,
    FuncRef,
    Index,
    Local,
    Member,
    Name,
    NAry,
    New,
    Num,
    ParseError,
    Parser,
    Stmt,
    Str,
    Unary,
    With,
    parse,
)
from sscguard.detect.webshell.flow import (
    MAX_LAYERS,
    MAX_PARSE_BYTES,
    MAX_STEPS,
    Analysis,
    Budget,
    DecodedLayer,
    FlowPath,
    SinkKind,
    Step,
)

MAX_CONST = 256 << 10  # one folded string
MAX_CALL_DEPTH = 8
MAX_LAYER_RUNS = 24
MAX_EVENTS = 200  # per kind
MAX_COPIED = 64 << 20  # characters all folding of one file may copy
OPAQUE_MIN = 24  # a constant at least this long handed to a decoder function is "opaque"


class _StopError(Exception):
    """The budget ran out: stop interpreting, keep what was found."""


class Val(NamedTuple):
    """An abstract value (a NamedTuple: immutable and cheap to copy with ``_replace``)."""

    const: str | None = None  # folded string (None: unknown)
    num: bool = False  # const is a number
    taint: tuple[Step, ...] = ()  # request input -> ... -> here (empty: clean)
    lead: bool = False  # the request data starts the value (no constant prefix before it)
    glued: bool = False  # request data glued to identifier characters of a constant
    obj: int = -1  # index into the object table
    ops: tuple[str, ...] = ()  # folding operations applied (an obfuscation signal)
    hidden: str = ""  # decoded by a user function from an opaque constant
    hidden_size: int = 0
    func: str = ""  # a function reference: "eval" or a user function
    body_of: int = -1  # read from this HTTP client object's response


CLEAN = Val()
EMPTY = Val(const="")


@dataclass(slots=True)
class Obj:
    kind: str
    progid: str
    line: int
    path: Val | None = None
    content: Val = CLEAN
    url: Val | None = None
    writable: bool = False
    lang: str = "vbscript"


@dataclass(frozen=True, slots=True)
class Capability:
    """A behaviour the detector reports: which, where, and why."""

    kind: str  # dropper, downloader, dropper-run, sql, filemanager, hidden, xslt
    line: int
    excerpt: str
    detail: str


@dataclass(frozen=True, slots=True)
class AspResult:
    analysis: Analysis
    capabilities: tuple[Capability, ...] = ()
    fileops: tuple[tuple[str, int, str], ...] = ()  # (kind, line, excerpt), request-chosen paths


_PROGIDS = (
    ("wscript.shell", "shell"), ("shell.application", "shellapp"),
    ("scripting.filesystemobject", "fso"), ("adodb.stream", "stream"),
    ("msxml2.serverxmlhttp", "http"), ("msxml2.xmlhttp", "http"), ("microsoft.xmlhttp", "http"),
    ("winhttp.winhttprequest", "http"), ("adodb.connection", "conn"),
    ("adodb.recordset", "rs"), ("adodb.command", "cmd"), ("msscriptcontrol.scriptcontrol", "sc"),
    ("msxml2.domdocument", "xml"), ("microsoft.xmldom", "xml"),
    ("msxml2.freethreadeddomdocument", "xml"),
    ("scripting.dictionary", "dict"),
)  # fmt: skip
_INTRINSICS = ("request", "response", "server", "session", "application", "err")
_REQ_COLLECTIONS = {"form", "querystring", "cookies", "item", "binaryread", "body"}
_SV_TAINTED = re.compile(r"(?i)^(http_|header_|query_string$|all_http$|all_raw$|request_body)")
_CONSTS = {
    "vbcrlf": "\r\n", "vbcr": "\r", "vblf": "\n", "vbtab": "\t", "vbnewline": "\r\n",
    "vbnullstring": "", "vbnullchar": "\0", "true": "True", "false": "False", "nothing": "",
    "empty": "", "null": "", "undefined": "", "this": "",
}  # fmt: skip
#: builtins that return something derived from their first argument's text
_PASS = {
    "trim", "ltrim", "rtrim", "lcase", "ucase", "cstr", "string", "unescape", "escape",
    "mid", "midb", "left", "leftb", "right", "rightb", "replace", "strreverse", "chr", "chrw",
    "chrb", "asc", "ascw", "ascb", "join", "split", "decodeuricomponent", "encodeuricomponent",
    "decodeuri", "encodeuri", "__each", "cbool", "hex", "oct", "strconv", "filter",
}  # fmt: skip
#: builtins whose result carries no attacker text
_CLEAN_FUNCS = {
    "len", "lenb", "cint", "clng", "cdbl", "csng", "cbyte", "ccur", "int", "fix", "abs", "sgn",
    "isnumeric", "isempty", "isnull", "isarray", "isobject", "isdate", "instr", "instrb",
    "instrrev", "ubound", "lbound", "typename", "vartype", "strcomp", "round", "now", "date",
    "time", "timer", "datediff", "dateadd", "rnd", "parseint", "parsefloat", "isnan", "year",
    "month", "day", "hour", "minute", "second", "weekday", "formatnumber", "datepart",
}  # fmt: skip
_SCRIPTY_EXT = re.compile(
    r"(?i)\.(asp|aspx|asa|asax|ascx|ashx|asmx|cer|cdx|php\d?|phtml|jsp|jspx|exe|dll|vbs|vbe|js|"
    r"jse|wsf|wsh|bat|cmd|ps1|hta|scr|com|pif|msi)\s*$"
)
_XSLT_SCRIPT = re.compile(
    r"(?is)<msxsl:script\b([^>]*)>(?:\s*<!\[CDATA\[)?(.*?)(?:\]\]>\s*)?</msxsl:script>"
)
_FILE_KINDS = {
    "getfolder": "list", "getfile": "stat", "deletefile": "delete", "deletefolder": "delete",
    "copyfile": "copy", "copyfolder": "copy", "movefile": "move", "movefolder": "move",
    "createfolder": "mkdir", "createtextfile": "write", "loadfromfile": "read",
    "savetofile": "write", "getdrive": "list",
}  # fmt: skip
_IDENT_CHAR = re.compile(r"[\w.]")


def _kind_of(progid: str) -> str:
    p = progid.strip().lower()
    if p.startswith("winmgmts:"):  # a WMI moniker: the Win32_Process class creates processes
        return "wmiprocess" if "win32_process" in p else "wmi"
    for prefix, kind in _PROGIDS:
        if p.startswith(prefix):
            return kind
    return "com"


def _num(v: Val) -> int | None:
    if v.const is None:
        return None
    text = v.const.strip().lower()
    try:
        if text.startswith("&h"):
            return int(text[2:].rstrip("&"), 16)
        if text.startswith("&o"):
            return int(text[2:].rstrip("&"), 8)
        if text.startswith("&"):
            return int(text[1:].rstrip("&"), 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        if "." in text or "e" in text:
            return int(float(text))
        return int(text)
    except (ValueError, OverflowError):
        return None


def _bounded(text: str | None) -> str | None:
    if text is None or len(text) > MAX_CONST:
        return None
    return text


def _chain(*parts: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for part in parts:
        for op in part:
            if op not in out:
                out.append(op)
    return tuple(out[:8])


def _first_taint(vals: list[Val]) -> Val | None:
    for v in vals:
        if v.taint:
            return v
    return None


def render(node: Expr | None, budget: int = 100) -> str:
    """Short source-like text of an expression (bounded, for evidence)."""
    out: list[str] = []
    _render(node, out, [budget])
    text = "".join(out)
    return text if len(text) <= budget else text[: budget - 3] + "..."


def _render(node: Expr | None, out: list[str], left: list[int]) -> None:
    if left[0] <= 0:
        return
    before = sum(map(len, out))
    if node is None:
        pass
    elif isinstance(node, Str):
        out.append(
            '"' + node.value[:60].replace('"', '""') + ('..."' if len(node.value) > 60 else '"')
        )
    elif isinstance(node, Num):
        out.append(node.text)
    elif isinstance(node, Name):
        out.append(node.raw or node.name)
    elif isinstance(node, Member):
        _render(node.obj, out, left)
        out.append("." + node.name)
    elif isinstance(node, Call):
        _render(node.fn, out, left)
        out.append("(")
        for k, arg in enumerate(node.args[:4]):
            if k:
                out.append(", ")
            _render(arg, out, left)
        out.append(", ...)" if len(node.args) > 4 else ")")
    elif isinstance(node, Index):
        _render(node.obj, out, left)
        out.append("[")
        _render(node.key, out, left)
        out.append("]")
    elif isinstance(node, NAry):
        for k, item in enumerate(node.items[:6]):
            if k:
                out.append(f" {node.ops[k - 1]} ")
            _render(item, out, left)
        if len(node.items) > 6:
            out.append(" ...")
    elif isinstance(node, Unary):
        out.append(node.op)
        _render(node.expr, out, left)
    elif isinstance(node, New):
        out.append("new ")
        _render(node.expr, out, left)
    elif isinstance(node, Dict):
        out.append("{...}")
    elif isinstance(node, Arr):
        out.append("[...]")
    elif isinstance(node, FuncRef):
        out.append("function")
    left[0] -= sum(map(len, out)) - before


def _unescape(text: str) -> str:
    text = re.sub(r"%u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return urllib.parse.unquote(text, encoding="latin-1")


@dataclass(slots=True)
class _Frame:
    fdef: FuncDef | None
    vars: dict[str, Val] = field(default_factory=dict)
    locals: set[str] = field(default_factory=set)


class Interpreter:
    def __init__(self, budget: Budget, lang: str) -> None:
        self.budget = budget
        self.lang = lang
        self.objs: list[Obj] = [Obj(name, name, 0) for name in _INTRINSICS]
        self.globals: dict[str, Val] = {n: Val(obj=k) for k, n in enumerate(_INTRINSICS)}
        self.frames: list[_Frame] = [_Frame(None)]
        self.funcs: dict[str, FuncDef] = {}
        self.called: set[str] = set()
        self.active: list[str] = []
        self.memo: dict[tuple[object, ...], Val] = {}
        self.store: dict[str, Val] = {}
        self.withs: list[Val] = []
        self.layer = 0
        self.layer_chain: tuple[str, ...] = ()
        self.anchor = 0  # file line of the Execute that started the current layer
        self.layer_runs = 0
        self.paths: dict[tuple[str, str, int], FlowPath] = {}
        self.layers: list[DecodedLayer] = []
        self.events = 0  # interesting things seen (sources, sinks, dangerous objects)
        self.sinks: list[str] = []
        self.sources = 0
        self.caps: list[Capability] = []
        self.fileops: dict[str, tuple[int, str]] = {}
        self.writes: list[tuple[Val, Val, int, str]] = []
        self.runs: list[tuple[Val, int, str]] = []
        self.hidden: list[tuple[int, str, int]] = []
        self.xslt = False  # inside a script taken from an XSLT stylesheet
        self.copied = 0  # characters copied by folding (bounded by MAX_COPIED)

    # -- helpers ------------------------------------------------------------------------

    def tick(self) -> None:
        if not self.budget.spend_nodes():
            raise _StopError

    def line(self, line: int) -> int:
        return self.anchor if (self.layer or self.anchor) else line

    def step(self, label: str, line: int) -> Step:
        if self.layer or self.anchor:
            where = f"decoded layer {self.layer} line {line}" if self.layer else f"line {line}"
            return Step(f"[{where}] {label}"[:200], self.anchor)
        return Step(label[:200], line)

    def extend(self, taint: tuple[Step, ...], step: Step) -> tuple[Step, ...]:
        if not taint:
            return ()
        if taint[-1] == step:
            return taint
        steps = (*taint, step)
        if len(steps) > MAX_STEPS:
            steps = (*steps[:2], *steps[-(MAX_STEPS - 2) :])
        return steps

    def source(self, node: Expr, line: int) -> Val:
        self.sources += 1
        self.events += 1
        return Val(taint=(self.step(render(node), line),), lead=True)

    def new_obj(self, progid: str, line: int) -> Val:
        kind = _kind_of(progid)
        if kind in ("shell", "shellapp", "sc", "stream", "http", "fso"):
            self.events += 1
        if kind == "shell" and self.xslt:
            self.cap(
                "xslt", line, progid, "an XSLT stylesheet script creates a WScript.Shell object"
            )
        self.objs.append(Obj(kind, progid.strip().lower()[:80], self.line(line)))
        return Val(obj=len(self.objs) - 1)

    def obj(self, v: Val) -> Obj | None:
        return self.objs[v.obj] if 0 <= v.obj < len(self.objs) else None

    def cap(self, kind: str, line: int, excerpt: str, detail: str) -> None:
        self.add_cap(Capability(kind, self.line(line), excerpt[:160], detail[:300]))

    def add_cap(self, cap: Capability) -> None:
        if len(self.caps) < MAX_EVENTS and all(
            (c.kind, c.line) != (cap.kind, cap.line) for c in self.caps
        ):
            self.caps.append(cap)

    def add_path(self, kind: SinkKind, sink: str, taint: tuple[Step, ...], node: Expr) -> None:
        line = node.line
        steps = self.extend(taint, self.step(render(node), line))
        key = (kind.value, sink, self.line(line))
        if key not in self.paths and len(self.paths) < MAX_EVENTS:
            self.paths[key] = FlowPath(kind, sink, steps, layer=self.layer)
        self.events += 1
        if sink not in self.sinks:
            self.sinks.append(sink)

    def fileop(self, kind: str, path: Val, node: Expr) -> None:
        if path.taint and path.lead and kind not in self.fileops:
            self.fileops[kind] = (self.line(node.line), render(node, 120))

    # -- variables ----------------------------------------------------------------------

    def lookup(self, name: str) -> Val | None:
        frame = self.frames[-1]
        if frame.fdef is not None and name == frame.fdef.name:
            return frame.vars.get("__return")
        if name in frame.vars:
            return frame.vars[name]
        return self.globals.get(name)

    def assign_name(self, name: str, value: Val) -> None:
        frame = self.frames[-1]
        if frame.fdef is not None and name == frame.fdef.name:
            name = "__return"
        if frame.fdef is not None and (
            name in frame.locals or name == "__return" or name not in self.globals
        ):
            scope = frame.vars
        else:
            scope = self.globals
        scope[name] = self.join_sticky(scope.get(name), value)

    @staticmethod
    def join_sticky(old: Val | None, new: Val) -> Val:
        if old is None:
            return new
        if not (old.taint or old.hidden or old.body_of >= 0):
            return new
        return new._replace(
            taint=new.taint or old.taint,
            lead=new.lead if new.taint else old.lead,
            glued=new.glued if new.taint else old.glued,
            hidden=new.hidden or old.hidden,
            hidden_size=max(new.hidden_size, old.hidden_size),
            body_of=new.body_of if new.body_of >= 0 else old.body_of,
        )

    # -- statements ---------------------------------------------------------------------

    def run(self, stmts: Sequence[Stmt]) -> None:
        for stmt in stmts:
            self.tick()
            if isinstance(stmt, Assign):
                value = self.eval(stmt.value)
                if value.taint and isinstance(stmt.target, Name):
                    label = stmt.target.raw or stmt.target.name
                    value = value._replace(
                        taint=self.extend(value.taint, self.step(label, stmt.line))
                    )
                self.assign(stmt.target, value, stmt.line)
                if isinstance(stmt.value, Dict) and isinstance(stmt.target, Name):
                    for key, item in stmt.value.items[:64]:
                        self.assign_name(f"{stmt.target.name}.{key[:64]}", self.eval(item))
            elif isinstance(stmt, ExprStmt):
                self.eval(stmt.expr, statement=True)
            elif isinstance(stmt, With):
                if stmt.obj is None:
                    if self.withs:
                        self.withs.pop()
                elif len(self.withs) < 32:
                    self.withs.append(self.eval(stmt.obj))
            elif isinstance(stmt, Local):
                frame = self.frames[-1]
                if frame.fdef is not None:
                    frame.locals.update(stmt.names)
            elif isinstance(stmt, FuncDef):
                self.funcs.setdefault(stmt.name, stmt)

    def register(self, stmts: Sequence[Stmt], depth: int = 0) -> None:
        for stmt in stmts:
            if isinstance(stmt, FuncDef):
                self.funcs.setdefault(stmt.name, stmt)
                if depth < 4:
                    self.register(stmt.body, depth + 1)

    def assign(self, target: Expr, value: Val, line: int) -> None:
        if isinstance(target, Name):
            self.assign_name(target.name, value)
            return
        if isinstance(target, Call) and isinstance(target.fn, Name):
            name = target.fn.name
            if name in ("session", "application") and self.lookup(name) == Val(
                obj=_INTRINSICS.index(name)
            ):
                slot = self.key_of(target.args)
                if value.taint or value.hidden or value.const is not None:
                    self.store[slot] = self.join_sticky(self.store.get(slot), value)
                return
            if self.lookup(name) is not None or name not in self.funcs:
                old = self.lookup(name)
                self.assign_name(name, value._replace(const=None) if old is not None else value)
            return
        if isinstance(target, (Member, Index)):
            base = target.obj
            key: str | None = (
                target.name if isinstance(target, Member) else self.eval(target.key).const
            )
            recv = self.withs[-1] if base is None and self.withs else None
            if base is not None:
                recv = self.eval(base)
            obj = self.obj(recv) if recv is not None else None
            if obj is not None and isinstance(target, Member):
                self.set_property(obj, target.name, value, target)
            if isinstance(base, Name) and key is not None:
                self.assign_name(f"{base.name}.{key.lower()[:64]}", value)

    def set_property(self, obj: Obj, name: str, value: Val, node: Expr) -> None:
        if obj.kind == "stream" and name in ("write", "writetext"):
            obj.content = self.append(obj.content, value)
        elif obj.kind == "cmd" and name == "commandtext":
            self.sql(value, node, "ADODB.Command.CommandText")
        elif obj.kind == "sc" and name == "language" and value.const is not None:
            obj.lang = "jscript" if value.const.strip().lower().startswith("j") else "vbscript"
        elif obj.kind in ("session", "application") and name == "contents":
            pass

    def key_of(self, args: tuple[Expr | None, ...]) -> str:
        if args and args[0] is not None:
            v = self.eval(args[0])
            if v.const is not None:
                return v.const.lower()[:64]
        return "*"

    # -- expressions --------------------------------------------------------------------

    def eval(self, node: Expr | None, statement: bool = False) -> Val:
        self.tick()
        if node is None:
            return CLEAN
        if isinstance(node, Str):
            return Val(const=node.value[:MAX_CONST])
        if isinstance(node, Num):
            v = Val(const=node.text, num=True)
            n = _num(v)
            return Val(const=str(n), num=True) if n is not None else Val(num=True)
        if isinstance(node, Name):
            return self.name_value(node, statement)
        if isinstance(node, Member):
            return self.member(node, statement)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Index):
            return self.index(node)
        if isinstance(node, NAry):
            return self.nary(node)
        if isinstance(node, Unary):
            inner = self.eval(node.expr)
            if node.op == "-" and (n := _num(inner)) is not None:
                return Val(const=str(-n), num=True)
            if node.op in ("+", "typeof", "void"):
                return inner
            return Val(taint=inner.taint)
        if isinstance(node, New):
            return self.new(node)
        if isinstance(node, Dict):
            vals = [self.eval(v) for _, v in node.items]
            return self.merge_all(vals, const=None)
        if isinstance(node, Arr):
            return self.merge_all([self.eval(v) for v in node.items], const=None)
        if isinstance(node, FuncRef):
            return Val(func=node.name)
        return CLEAN

    def name_value(self, node: Name, statement: bool) -> Val:
        name = node.name
        value = self.lookup(name)
        if value is not None:
            return value
        if name in _CONSTS:
            return Val(const=_CONSTS[name])
        if name == "eval":
            return Val(func="eval")
        if name in self.funcs:
            if self.js_lang():
                return Val(func=name)
            return self.call_user(self.funcs[name], [], node)
        if statement and name in ("execute", "executeglobal"):
            return CLEAN
        return EMPTY

    def js_lang(self) -> bool:
        return self.lang == "jscript"

    def member(self, node: Member, statement: bool) -> Val:
        recv = self.receiver(node.obj)
        obj = self.obj(recv)
        name = node.name
        if obj is not None:
            if obj.kind == "request":
                if name in _REQ_COLLECTIONS:
                    return self.source(node, node.line)
                return CLEAN
            if statement:
                return self.method(obj, recv, name, [], node)
            return self.property(obj, recv, name, node)
        if isinstance(node.obj, (Name, Index)):
            field_name = self.field_name(node.obj)
            if field_name is not None:
                value = self.lookup(f"{field_name}.{name}")
                if value is not None:
                    return value
        if name in ("length",):
            return Val(num=True)
        if self.js_lang() and recv.const is not None and name in ("touppercase", "tolowercase"):
            text = recv.const.upper() if name == "touppercase" else recv.const.lower()
            return recv._replace(const=text, ops=_chain(recv.ops, ("case",)))
        return recv._replace(const=None, obj=-1, num=False, func="")

    def field_name(self, node: Expr) -> str | None:
        if isinstance(node, Name):
            return node.name
        return None

    def property(self, obj: Obj, recv: Val, name: str, node: Expr) -> Val:
        if obj.kind == "http" and name.startswith("response"):
            return Val(body_of=recv.obj)
        if obj.kind == "stream" and name in ("read", "readtext"):
            return obj.content
        if obj.kind == "textstream" and name in ("readall", "readline", "read"):
            if obj.path is not None:
                self.fileop("read", obj.path, node)
            return CLEAN
        if obj.kind == "item" and name in ("files", "subfolders") and obj.path is not None:
            self.fileop("list", obj.path, node)
            return Val(obj=recv.obj)
        if obj.kind == "dict":
            return obj.content
        if obj.kind in ("session", "application") and name == "contents":
            return recv
        return CLEAN

    def index(self, node: Index) -> Val:
        key = self.eval(node.key)
        if isinstance(node.obj, Name) and key.const is not None:
            value = self.lookup(f"{node.obj.name}.{key.const.lower()[:64]}")
            if value is not None:
                return value
        base = self.eval(node.obj)
        obj = self.obj(base)
        if obj is not None and obj.kind == "request":
            return self.source(node, node.line)
        return base._replace(const=None, obj=-1, func="")

    def nary(self, node: NAry) -> Val:
        ops = node.ops
        if ops == ("?",):
            _, yes, no = (self.eval(x) for x in node.items)
            return self.merge(yes, no)
        vals = [self.eval(x) for x in node.items]
        if all(op in ("||", "&&") for op in ops):  # JScript: either operand is the value
            return self.merge_all(vals, const=next((v.const for v in vals if v.const), None))
        if all(op in ("&", "+") for op in ops):
            if "+" in ops and all(v.num for v in vals) and "&" not in ops:
                nums = [_num(v) for v in vals]
                if all(n is not None for n in nums):
                    total = sum(n for n in nums if n is not None)
                    return Val(const=str(total), num=True, ops=_chain(*(v.ops for v in vals)))
                return Val(num=True, taint=self.union(vals))
            return self.concat(vals)
        if all(op in ("-", "*", "/", "\\", "mod", "%") for op in ops):
            nums = [_num(v) for v in vals]
            if all(n is not None for n in nums):
                acc = nums[0] or 0
                for op, n in zip(ops, nums[1:], strict=False):
                    n = n or 0
                    if op == "-":
                        acc -= n
                    elif op == "*":
                        acc = acc * n if abs(acc * n) < 1 << 40 else 0
                    elif n:
                        acc = acc // n if op in ("/", "\\") else acc % n
                return Val(const=str(acc), num=True, ops=_chain(*(v.ops for v in vals)))
        return Val(taint=self.union(vals), num=True)

    def union(self, vals: list[Val]) -> tuple[Step, ...]:
        first = _first_taint(vals)
        return first.taint if first else ()

    def concat(self, vals: list[Val]) -> Val:
        consts = [v.const for v in vals]
        const: str | None = None
        if all(c is not None for c in consts):
            total = sum(len(c) for c in consts if c is not None)
            if total <= MAX_CONST and self.copied + total <= MAX_COPIED:
                self.copied += total
                const = "".join(c for c in consts if c is not None)
        first = _first_taint(vals)
        lead = False
        for v in vals:
            if v.const == "" and not v.taint:
                continue
            lead = bool(v.taint) and v.lead
            break
        glued = any(v.glued for v in vals if v.taint)
        for k, v in enumerate(vals):
            if not v.taint:
                continue
            before = vals[k - 1].const if k else None
            after = vals[k + 1].const if k + 1 < len(vals) else None
            if before and _IDENT_CHAR.match(before[-1]) and not vals[k - 1].taint:
                glued = True
            if after and _IDENT_CHAR.match(after[0]) and not vals[k + 1].taint:
                glued = True
        literal = sum(1 for v in vals if v.const is not None) >= 2
        ops = _chain(*(v.ops for v in vals), ("concat",) if literal and const else ())
        hidden = next((v for v in vals if v.hidden), None)
        body = next((v.body_of for v in vals if v.body_of >= 0), -1)
        return Val(
            const=const, taint=first.taint if first else (), lead=lead, glued=glued, ops=ops,
            hidden=hidden.hidden if hidden else "", hidden_size=hidden.hidden_size if hidden else 0,
            body_of=body,
        )  # fmt: skip

    def append(self, a: Val, b: Val) -> Val:
        """Content written in two pieces to one stream."""
        if a == CLEAN:
            return b
        return self.concat([a, b])

    def merge(self, a: Val, b: Val) -> Val:
        return self.merge_all([a, b], const=b.const if a.const is None else a.const)

    def merge_all(self, vals: list[Val], const: str | None) -> Val:
        first = _first_taint(vals)
        hidden = next((v for v in vals if v.hidden), None)
        return Val(
            const=const,
            taint=first.taint if first else (),
            lead=first.lead if first else False,
            glued=first.glued if first else False,
            ops=_chain(*(v.ops for v in vals)),
            hidden=hidden.hidden if hidden else "",
            hidden_size=hidden.hidden_size if hidden else 0,
            body_of=next((v.body_of for v in vals if v.body_of >= 0), -1),
            func=next((v.func for v in vals if v.func), ""),
        )

    def new(self, node: New) -> Val:
        inner = node.expr
        if isinstance(inner, Call) and isinstance(inner.fn, Name):
            if inner.fn.name == "activexobject" and inner.args:
                progid = self.eval(inner.args[0])
                return self.new_obj(progid.const or "", node.line) if progid.const else CLEAN
            if inner.fn.name == "function" and inner.args:
                code = self.eval(inner.args[-1])
                return self.code_sink("new Function", code, node, as_expr=False)
        return CLEAN

    # -- calls --------------------------------------------------------------------------

    def args(self, node: Call) -> list[Val]:
        return [self.eval(a) for a in node.args[:64]]

    def call(self, node: Call) -> Val:
        fn = node.fn
        if isinstance(fn, Member):
            return self.method_call(node, fn)
        if isinstance(fn, Name):
            name = fn.name
            value = self.lookup(name)
            if value is not None:
                return self.call_value(value, node)
            if name in ("request",):
                return self.source(node, node.line)
            if name in ("eval", "execute", "executeglobal"):
                args = self.args(node)
                code = args[0] if args else CLEAN
                return self.code_sink(fn.raw or name, code, node, as_expr=name == "eval")
            if name in self.funcs:
                return self.call_user(self.funcs[name], self.args(node), node)
            if name in ("createobject", "activexobject", "getobject"):
                args = self.args(node)
                if (
                    args
                    and args[0].const
                    and (
                        name != "getobject" or args[0].const.strip().lower().startswith("winmgmts:")
                    )
                ):
                    return self.new_obj(args[0].const, node.line)
                if name == "getobject":
                    return self.builtin(name, args, node)
                return CLEAN
            if name == "function":
                args = self.args(node)
                return self.code_sink("Function", args[-1] if args else CLEAN, node, False)
            return self.builtin(name, self.args(node), node)
        callee = self.eval(fn)
        return self.call_value(callee, node)

    def call_value(self, value: Val, node: Call) -> Val:
        obj = self.obj(value)
        if value.func == "eval":
            args = self.args(node)
            code = args[0] if args else CLEAN
            return self.code_sink("eval (aliased)", code, node, as_expr=True)
        if value.func and value.func in self.funcs:
            return self.call_user(self.funcs[value.func], self.args(node), node)
        if obj is not None:
            if obj.kind == "request":
                return self.source(node, node.line)
            if obj.kind in ("session", "application"):
                key = self.key_of(node.args)
                stored = self.store.get(key) or self.store.get("*")
                if stored is None:
                    return CLEAN
                return stored._replace(
                    taint=self.extend(stored.taint, self.step(render(node), node.line))
                )
            if obj.kind == "dict":
                self.args(node)
                return obj.content
        args = self.args(node)
        return self.merge_all([value, *args], const=None)._replace(func="", obj=-1)

    def builtin(self, name: str, args: list[Val], node: Call) -> Val:
        if name == "__loop":
            return Val(num=True)
        if name in _CLEAN_FUNCS:
            if name in ("len", "lenb") and args and args[0].const is not None:
                return Val(const=str(len(args[0].const)), num=True)
            return Val(num=True)
        first = args[0] if args else CLEAN
        const = self.fold(name, args)
        if name in _PASS or name == "fromcharcode":
            base = self.merge_all(args, const=None) if name in ("fromcharcode", "join") else first
            ops = _chain(*(a.ops for a in args), (name,) if const is not None else ())
            return base._replace(const=const, ops=ops, obj=-1, func="", num=name.startswith("asc"))
        if name == "getobject" and first.const and first.const.lower().startswith("script:"):
            self.cap(
                "hidden", node.line, render(node), "GetObject loads and runs a remote scriptlet"
            )
        return self.merge_all(args, const=None)._replace(obj=-1, func="")

    def fold(self, name: str, args: list[Val]) -> str | None:
        consts = [a.const for a in args]
        s = consts[0] if consts else None
        try:
            if name in ("chr", "chrw", "chrb", "fromcharcode"):
                chars = []
                for a in args:
                    n = _num(a)
                    if n is None or not 0 <= n < 0x110000:
                        return None
                    chars.append(chr(n))
                return "".join(chars)
            if name in ("asc", "ascw", "ascb"):
                return str(ord(s[0])) if s else None
            if s is None:
                return None
            if name in ("lcase",):
                return s.lower()
            if name in ("ucase",):
                return s.upper()
            if name in ("trim", "ltrim", "rtrim"):
                return {"trim": s.strip(" "), "ltrim": s.lstrip(" "), "rtrim": s.rstrip(" ")}[name]
            if name in ("cstr",):
                return s
            if name == "strreverse":
                return s[::-1]
            if name in ("unescape", "decodeuricomponent", "decodeuri"):
                return _unescape(s)
            if name in ("mid", "midb"):
                start = _num(args[1]) if len(args) > 1 else None
                if start is None or start < 1:
                    return None
                if len(args) > 2:
                    count = _num(args[2])
                    if count is None or count < 0:
                        return None
                    return s[start - 1 : start - 1 + count]
                return s[start - 1 :]
            if name in ("left", "leftb", "right", "rightb"):
                count = _num(args[1]) if len(args) > 1 else None
                if count is None or count < 0:
                    return None
                return s[:count] if name.startswith("left") else (s[-count:] if count else "")
            if name == "replace" and len(args) >= 3:
                find, repl = consts[1], consts[2]
                if find is None or repl is None or not find:
                    return None
                if len(args) > 3 and (start := _num(args[3])) is not None and start > 1:
                    s = s[start - 1 :]
                compare = _num(args[5]) if len(args) > 5 else 0
                out: str | None
                if compare == 1:
                    out = re.sub(re.escape(find), lambda _m: repl, s, flags=re.I)
                else:
                    out = (
                        s.replace(find, repl)
                        if len(repl) <= len(find) or s.count(find) * len(repl) <= MAX_CONST
                        else None
                    )
                if out is not None:
                    self.copied += len(out)
                return _bounded(out) if self.copied <= MAX_COPIED else None
            if name == "string" and len(args) >= 2:
                count = _num(args[0])
                ch = consts[1]
                if count is None or ch is None or not 0 <= count <= 4096:
                    return None
                return (ch[:1] or " ") * count
        except (IndexError, ValueError, OverflowError):
            return None
        return None

    def call_user(self, fdef: FuncDef, args: list[Val], node: Expr | FuncDef) -> Val:
        self.called.add(fdef.name)
        sig = tuple(
            (bool(a.taint), a.lead, a.glued, a.obj, a.hidden != "", a.body_of,
             a.const if a.const is None or len(a.const) <= 64 else hash(a.const))
            for a in args[:16]
        )  # fmt: skip
        key = (fdef.name, sig, self.layer)
        if key in self.memo:
            return self.memo[key]
        tainted = _first_taint(args)
        if len(self.active) >= MAX_CALL_DEPTH or fdef.name in self.active:
            return self.merge_all(args, const=None)._replace(func="", obj=-1)
        self.memo[key] = self.merge_all(args, const=None)._replace(func="", obj=-1)
        frame = _Frame(fdef)
        for k, param in enumerate(fdef.params):
            arg = args[k] if k < len(args) else EMPTY
            if arg.taint:
                arg = arg._replace(taint=self.extend(arg.taint, self.step(param, fdef.line)))
            frame.vars[param] = arg
            frame.locals.add(param)
        self.frames.append(frame)
        self.active.append(fdef.name)
        try:
            self.run(fdef.body)
        finally:
            self.frames.pop()
            self.active.pop()
        result = frame.vars.get("__return", EMPTY)
        if result.taint:
            label = f"{fdef.name}(...)"
            result = result._replace(taint=self.extend(result.taint, self.step(label, node.line)))
        elif result.const is None and not tainted:
            opaque = [a.const for a in args if a.const is not None and len(a.const) >= OPAQUE_MIN]
            if opaque:
                size = sum(len(c) for c in opaque)
                result = result._replace(
                    hidden=f"{fdef.name}() over a {size}-character constant",
                    hidden_size=size,
                )
        if result.const is not None and any(a.const for a in args):
            result = result._replace(ops=_chain(result.ops, (f"{fdef.name}()",)))
        self.memo[key] = result
        return result

    # -- methods of objects ---------------------------------------------------------------

    def receiver(self, node: Expr | None) -> Val:
        """The object a member is taken from (``None``: the enclosing ``With`` object)."""
        if node is None:
            return self.withs[-1] if self.withs else CLEAN
        return self.eval(node)

    def method_call(self, node: Call, fn: Member) -> Val:
        recv = self.receiver(fn.obj)
        obj = self.obj(recv)
        name = fn.name
        if obj is not None:
            if obj.kind == "request":
                if name == "servervariables":
                    key = self.eval(node.args[0]) if node.args else CLEAN
                    if key.const is not None and _SV_TAINTED.match(key.const.strip()):
                        return self.source(node, node.line)
                    return CLEAN
                if name in _REQ_COLLECTIONS:
                    return self.source(node, node.line)
                return CLEAN
            return self.method(obj, recv, name, self.args(node), node)
        args = self.args(node)
        if name == "execute" and args:
            self.sql(args[0], node, "Execute")
        if self.js_lang() and recv.const is not None:
            folded = self.js_string_method(recv, name, args)
            if folded is not None:
                return folded
        if name == "fromcharcode":
            return self.builtin("fromcharcode", args, node)
        if isinstance(fn.obj, Name):
            value = self.lookup(f"{fn.obj.name}.{name}")
            if value is not None:
                return self.call_value(value, node)
        return self.merge_all([recv, *args], const=None)._replace(func="", obj=-1)

    def js_string_method(self, recv: Val, name: str, args: list[Val]) -> Val | None:
        s = recv.const or ""
        out: str | None = None
        if name == "replace" and len(args) >= 2 and args[0].const and args[1].const is not None:
            out = s.replace(args[0].const, args[1].const, 1)
        elif name in ("tostring", "valueof"):
            out = s
        elif name == "substr" and args and (a := _num(args[0])) is not None:
            n = _num(args[1]) if len(args) > 1 else None
            out = s[a : a + n] if n is not None else s[a:]
        elif name in ("substring", "slice") and args and (a := _num(args[0])) is not None:
            b = _num(args[1]) if len(args) > 1 else None
            out = s[a:b] if b is not None else s[a:]
        if out is None:
            return None
        return recv._replace(const=_bounded(out), ops=_chain(recv.ops, (name,)))

    def method(self, obj: Obj, recv: Val, name: str, args: list[Val], node: Expr) -> Val:
        a0 = args[0] if args else CLEAN
        kind = obj.kind
        if kind == "server":
            if name == "createobject":
                return self.new_obj(a0.const, node.line) if a0.const else CLEAN
            if name in ("mappath", "urlpathencode"):
                return a0._replace(obj=-1, func="")
            if name in ("htmlencode", "urlencode"):
                return a0._replace(obj=-1, func="", glued=True)
            return CLEAN
        if kind in ("session", "application"):
            if name in ("contents", "item"):
                key = (a0.const or "*").lower()[:64]
                return self.store.get(key) or self.store.get("*") or CLEAN
            return CLEAN
        if kind in ("shell", "shellapp") and name in ("run", "exec", "shellexecute"):
            tainted = _first_taint(args if name == "shellexecute" else args[:1])
            sink = (
                f"WScript.Shell.{name.capitalize()}"
                if kind == "shell"
                else "Shell.Application.ShellExecute"
            )
            if tainted is not None:
                self.add_path(SinkKind.COMMAND, sink, tainted.taint, node)
            self.runs.append((a0, node.line, render(node, 120)))
            self.events += 1
            if self.xslt:
                self.cap(
                    "xslt", node.line, render(node), "an XSLT stylesheet script runs a command"
                )
            return Val(obj=self.new_obj("wscript.exec", node.line).obj) if name == "exec" else CLEAN
        if kind == "wmi" and name == "get" and a0.const:
            return self.new_obj("winmgmts:" + a0.const, node.line)
        if kind == "wmiprocess" and name == "create":
            tainted = _first_taint(args[:1])
            if tainted is not None:
                self.add_path(SinkKind.COMMAND, "WMI Win32_Process.Create", tainted.taint, node)
            self.runs.append((a0, node.line, render(node, 120)))
            self.events += 1
            return CLEAN
        if kind == "sc" and name in ("executestatement", "eval", "addcode", "run"):
            return self.code_sink(f"ScriptControl.{name}", a0, node, name == "eval", obj.lang)
        if kind == "fso":
            return self.fso(obj, name, args, node)
        if kind == "item":
            if name in ("delete", "copy", "move") and obj.path is not None:
                self.fileop(
                    {"delete": "delete", "copy": "copy", "move": "move"}[name], obj.path, node
                )
            if name == "openastextstream":
                return self.textstream(obj.path or CLEAN, _num(a0) in (2, 8), node)
            return CLEAN
        if kind == "textstream":
            if name in ("write", "writeline"):
                self.writes.append((obj.path or CLEAN, a0, self.line(node.line), render(node, 120)))
            elif name in ("readall", "readline", "read") and obj.path is not None:
                self.fileop("read", obj.path, node)
            return CLEAN
        if kind == "stream":
            if name in ("write", "writetext"):
                obj.content = self.append(obj.content, a0)
            elif name == "savetofile":
                self.fileop("write", a0, node)
                self.writes.append((a0, obj.content, self.line(node.line), render(node, 120)))
            elif name == "loadfromfile":
                self.fileop("read", a0, node)
            elif name in ("read", "readtext"):
                return obj.content
            elif name == "copyto" and len(args) >= 1:
                target = self.obj(a0)
                if target is not None:
                    target.content = self.merge(target.content, obj.content)
            return CLEAN
        if kind == "http":
            if name == "open" and len(args) >= 2:
                obj.url = args[1]
            return CLEAN
        if kind in ("conn", "rs", "cmd", "com"):
            if name in ("execute", "open") and args:
                label = "ADODB.Connection.Open" if (kind == "conn" and name == "open") else name
                self.sql(a0, node, label)
                if kind == "rs" and len(args) > 1:
                    self.sql(args[1], node, "ADODB.Recordset.Open connection")
            return CLEAN
        if kind == "xml":
            if name == "loadxml" and a0.const and "msxsl:script" in a0.const.lower():
                self.xslt_scripts(a0.const, node)
            return CLEAN
        if kind == "dict":
            if name in ("add", "item", "exists", "key"):
                for a in args:
                    other = self.obj(a)
                    if other is not None and other.kind == "dict":
                        a = self.merge(a, other.content)
                    if a.taint and name in ("add", "item"):
                        obj.content = self.merge(obj.content, a)
                return obj.content if name == "item" else CLEAN
            if name in ("items", "keys"):
                return obj.content
            return CLEAN
        if kind == "wscript.exec":
            return CLEAN
        return CLEAN

    def fso(self, obj: Obj, name: str, args: list[Val], node: Expr) -> Val:
        a0 = args[0] if args else CLEAN
        op = _FILE_KINDS.get(name)
        if op is not None:
            self.fileop(op, a0, node)
            if op in ("copy", "move") and len(args) > 1:
                self.fileop(op, args[1], node)
        if name == "createtextfile":
            return self.textstream(a0, True, node)
        if name == "opentextfile":
            mode = _num(args[1]) if len(args) > 1 else 1
            writable = mode in (2, 8)
            self.fileop("write" if writable else "read", a0, node)
            return self.textstream(a0, writable, node)
        if name in ("getfolder", "getfile"):
            item = self.new_obj("fs.item", node.line)
            self.objs[item.obj].kind = "item"
            self.objs[item.obj].path = a0
            return item
        if name in ("buildpath", "getparentfoldername", "getfilename", "getbasename",
                    "getabsolutepathname", "getextensionname"):  # fmt: skip
            return self.merge_all(args, const=None)._replace(func="", obj=-1)
        return CLEAN

    def textstream(self, path: Val, writable: bool, node: Expr) -> Val:
        value = self.new_obj("fs.textstream", node.line)
        stream = self.objs[value.obj]
        stream.kind = "textstream"
        stream.path = path
        stream.writable = writable
        return value

    def sql(self, value: Val, node: Expr, label: str) -> None:
        if value.taint and value.lead and not value.glued:
            detail = f"request data is the whole SQL text or connection string ({label})"
            self.cap("sql", node.line, render(node, 120), detail)

    # -- code sinks and layers -------------------------------------------------------------

    def code_sink(
        self, sink: str, code: Val, node: Expr, as_expr: bool, lang: str | None = None
    ) -> Val:
        self.events += 1
        if sink not in self.sinks:
            self.sinks.append(sink)
        if code.taint and not code.glued:
            self.add_path(SinkKind.CODE, sink, code.taint, node)
        if code.hidden and not code.taint:
            self.hidden.append((self.line(node.line), code.hidden, code.hidden_size))
        if code.const is not None and code.const.strip():
            return self.run_layer(code, node, as_expr, lang or self.lang)
        return code._replace(const=None, obj=-1)

    def run_layer(self, code: Val, node: Expr, as_expr: bool, lang: str) -> Val:
        text = code.const or ""
        if (
            self.layer >= MAX_LAYERS
            or self.layer_runs >= MAX_LAYER_RUNS
            or not self.budget.spend_bytes(len(text))
        ):
            return CLEAN
        self.layer_runs += 1
        obfuscated = bool(code.ops)
        saved = (self.layer, self.anchor, self.lang, self.layer_chain)
        anchor = self.line(node.line)
        if obfuscated:
            self.layer += 1
            self.layer_chain = code.ops
        self.anchor = anchor
        self.lang = lang
        before = self.events
        result = CLEAN
        try:
            toks = tokenize_code(text[:MAX_PARSE_BYTES], lang)
            if as_expr:
                parser = Parser(toks, lang)
                try:
                    expr = parser.expr()
                    if parser.peek() is None or parser.at_end():
                        self.register(parser.pending)
                        result = self.eval(expr)
                    else:
                        raise ParseError("not one expression")
                except (ParseError, RecursionError):
                    as_expr = False
            if not as_expr:
                stmts = parse(toks, lang)
                self.register(stmts)
                self.run(stmts)
                for stmt in stmts:
                    if isinstance(stmt, FuncDef) and stmt.name not in self.called:
                        self.call_user(stmt, [Val() for _ in stmt.params], stmt)
        finally:
            interesting = self.events > before
            if obfuscated and interesting and not self.xslt and len(self.layers) < 16:
                self.layers.append(
                    DecodedLayer(
                        line=self.anchor,
                        chain=code.ops,
                        size=len(text),
                        preview=text[:160],
                        executed=True,
                    )
                )
            self.layer, self.anchor, self.lang, self.layer_chain = saved
        return result

    def xslt_scripts(self, text: str, node: Expr) -> None:
        for m in _XSLT_SCRIPT.finditer(text[:MAX_PARSE_BYTES]):
            attrs = m.group(1).lower()
            lang = "vbscript" if "vbscript" in attrs else "jscript"
            saved = self.xslt
            self.xslt = True
            try:
                code = Val(const=m.group(2), ops=("xslt-script",))
                self.run_layer(code, node, False, lang)
            finally:
                self.xslt = saved

    # -- whole program --------------------------------------------------------------------

    def program(self, stmts: list[Stmt]) -> None:
        self.register(stmts)
        self.run(stmts)
        if self.store:  # values stored in Session/Application: read them back in a second pass
            self.memo.clear()
            self.run(stmts)
        for name, fdef in list(self.funcs.items()):
            if name not in self.called:
                self.call_user(fdef, [Val() for _ in fdef.params], fdef)

    def finish(self) -> None:
        """Turn the recorded writes, runs and hidden executions into capabilities."""
        written: list[str] = []
        for path, content, line, excerpt in self.writes[:MAX_EVENTS]:
            if path.taint and path.lead and content.taint:
                why = "both the file name and the content come from the request"
                self.add_cap(Capability("dropper", line, excerpt, why))
            if content.body_of >= 0:
                url = self.objs[content.body_of].url or CLEAN
                scripty = path.const is not None and _SCRIPTY_EXT.search(path.const) is not None
                if url.taint:
                    why = "the URL comes from the request"
                elif path.taint and path.lead:
                    why = "the file name comes from the request"
                else:
                    why = f"saved as an executable or script file ({path.const})"
                if url.taint or (path.taint and path.lead) or scripty:
                    why = f"downloads a remote file and writes it to disk: {why}"
                    self.add_cap(Capability("downloader", line, excerpt, why))
            exe = content.const or ""
            if exe.startswith("MZ") and len(exe) >= 256:
                why = "writes an embedded Windows executable to disk"
                self.add_cap(Capability("dropper-run", line, excerpt, why))
            if path.const:
                written.append(path.const.strip().lower())
        for cmd, line, excerpt in self.runs[:MAX_EVENTS]:
            text = (cmd.const or "").lower()
            if text and any(w and w in text for w in written):
                why = "runs a file the page itself wrote"
                self.add_cap(Capability("dropper-run", line, excerpt, why))
        if self.hidden:
            size = sum(s for _, _, s in self.hidden)
            if size >= 200:
                line, what, _ = self.hidden[0]
                self.add_cap(Capability(
                    "hidden", line, what,
                    f"{len(self.hidden)} Execute/Eval call(s) run {size} characters decoded by a "
                    "function of the page itself"))  # fmt: skip


_UTF7_PAGE = re.compile(rb"(?i)codepage\s*=\s*[\"']?\s*65000\b")


def analyse_asp(data: bytes, budget: Budget | None = None) -> AspResult:
    """Analyse one classic ASP page (bytes as read from disk)."""
    raw = data[:MAX_PARSE_BYTES]
    text = raw.decode("latin-1")
    base_layer = 0
    if _UTF7_PAGE.search(raw[:4096]) and b"+A" in raw:
        try:
            text = raw.decode("utf-7", errors="replace")
            base_layer = 1
        except (UnicodeError, ValueError):
            pass
    lang, toks = tokenize_page(text)
    stmts = parse(toks, lang)  # linear in the tokens; the budget is for the interpretation
    budget = budget or Budget()
    interp = Interpreter(budget, lang)
    bounded = ""
    try:
        interp.program(stmts)
    except (_StopError, RecursionError):
        bounded = budget.exhausted or "recursion bound"
    interp.layer = 0
    interp.finish()
    layers = list(interp.layers)
    paths = list(interp.paths.values())
    if base_layer and paths:
        layers.append(DecodedLayer(1, ("utf-7",), len(text), text[:160], True))
        paths = [replace(p, layer=max(p.layer, 1)) for p in paths]
    analysis = Analysis(
        language="asp",
        paths=tuple(paths),
        layers=tuple(layers),
        sinks=tuple(interp.sinks),
        sources=interp.sources,
        bounded=bounded,
    )
    fileops = tuple((k, line, ex) for k, (line, ex) in interp.fileops.items())
    return AspResult(analysis, tuple(interp.caps), fileops)
