"""Java (JSP scriptlets, declarations, plain Java pasted into a page): request input to sinks.

The page is turned into Java at its original offsets (``jspsource.java_view``) and parsed
with tree-sitter-java. One walk indexes the file: assignments per variable name (with the
method scope they happen in), method declarations with their parameters and ``return``
expressions, calls by method name, and "mutations" (``sb.append(t)`` taints ``sb``,
``in.read(buf)`` taints ``buf`` when ``in`` is tainted, ``list.add(t)`` taints ``list``).

Taint is then computed on demand from the sinks backwards, flow-insensitively inside a scope
(as in ``php.py``): request sources (``getParameter``, ``getHeader``, ``getInputStream`` of
the request, ``getPart``, cookies, the query string, WebSocket message handler parameters)
flow through locals, fields, concatenation, arrays, decoders (Base64, URLDecoder,
``new String(bytes)``), calls of library methods, method parameters (to their call sites)
and the return values of the page's own methods. A second mode, "head" taint, asks whether
the request chooses the *start* of a value (a whole path or SQL statement), not just a part
appended to a constant: that is what separates a file manager from an upload form.

Besides source-to-sink paths (code: ``defineClass``, script engines, reflection with a
request-chosen or folded dangerous method name, ``java.beans.Expression``; command:
``Runtime.exec``, ``ProcessBuilder``), the analysis reports capabilities: files written
with a request-chosen path and content, request-chosen directories listed and read or
deleted, request-supplied SQL or connection strings and whole-database dumps, servlets,
filters, listeners or endpoints registered at run time, sockets to request-chosen hosts and
process streams wired to sockets, and Java class files embedded as Base64 or byte arrays.
Nothing is executed; all work is bounded by a ``Budget``.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from typing import Any

from sscguard.detect.webshell.flow import (
    MAX_PARSE_BYTES,
    MAX_PARSE_SECONDS,
    MAX_STEPS,
    MAX_VALUE_BYTES,
    Analysis,
    Budget,
    FlowPath,
    SinkKind,
    Step,
    parse_bounded,
)
from sscguard.detect.webshell.jspsource import decode_page, jsp_view

Node = Any  # tree_sitter.Node

#: Request accessors whose name alone says "request input" (any receiver).
SOURCE_METHODS = {"getParameter", "getParameterValues", "getParameterMap", "getParameterNames"}
#: Accessors that are request input only on a request object (process, socket and HTTP
#: client objects have methods of the same names).
REQUEST_STREAMS = {
    "getInputStream", "getReader", "getHeader", "getHeaders", "getQueryString", "getCookies",
    "getPart", "getParts",
}  # fmt: skip
#: EL implicit objects that hold request input (only inside ``${...}``/``#{...}``)
EL_REQUEST = {"param", "paramValues", "header", "headerValues", "cookie"}
#: Parameters of these methods carry attacker data (WebSocket message handlers).
MESSAGE_HANDLERS = {"onMessage", "onText", "onBinary", "onWebSocketText", "onWebSocketBinary"}
#: Calls whose result says something about the value but does not carry it.
STOPPERS = {
    "equals", "equalsIgnoreCase", "length", "size", "isEmpty", "isBlank", "hashCode",
    "contains", "containsKey", "startsWith", "endsWith", "indexOf", "lastIndexOf",
    "compareTo", "compareToIgnoreCase", "matches", "exists", "isDirectory", "isFile",
    "canRead", "canWrite", "parseInt", "parseLong", "parseDouble", "parseBoolean", "getClass",
    "escapeHtml", "escapeHtml4", "escapeXml", "encodeForHTML", "htmlEncode", "getLength",
    "getSize", "available", "lastModified", "setAttribute", "getAttribute", "println",
    "print", "write", "close", "flush", "sendRedirect", "setContentType", "setHeader",
    "isNumeric", "test", "find", "getId",
}  # fmt: skip
#: ``x.m(t)`` with a tainted argument taints ``x``.
MUTATORS = {
    "append", "add", "addAll", "put", "putAll", "push", "offer", "insert", "set",
    "setProperty", "write", "writeBytes", "print", "println", "update", "addElement",
}  # fmt: skip
#: ``r.m(buf)`` with a tainted receiver taints ``buf``.
READ_INTO = {"read", "readFully", "readNBytes", "get", "getBytes", "getChars"}
COMMAND_METHODS = {"exec", "command"}
CODE_METHODS = {
    "defineClass", "defineClass0", "defineClass1", "defineAnonymousClass", "defineHiddenClass",
    "eval", "evaluate", "parseClass", "parseExpression", "createValueExpression",
    "createMethodExpression", "compileScript",
}  # fmt: skip
#: Reading an object from a stream: code runs when the stream holds request bytes.
DESERIALIZERS = {"readObject", "readUnshared"}
#: Names a reflective call or ``java.beans.Expression`` may resolve to that execute.
REFLECT_COMMAND = {"exec", "start", "command"}
REFLECT_CODE = {"defineClass", "eval", "evaluate", "invoke", "loadClass", "parseClass"}
#: Calls through a reflected method or a method handle.
_INVOKERS = {"invoke", "invokeExact", "invokeWithArguments"}
_INITIAL_CONTEXTS = {"InitialContext", "InitialDirContext", "InitialLdapContext"}
SQL_METHODS = {
    "executeQuery", "executeUpdate", "execute", "executeLargeUpdate", "addBatch",
    "prepareStatement", "prepareCall",
}  # fmt: skip
REGISTRARS = {
    "addFilter", "addServlet", "addListener", "addEndpoint", "addValve", "addFilterMap",
    "addFilterMapBefore", "addFilterDef", "addServletMapping", "addServletMappingDecoded",
    "addApplicationEventListener", "addChild", "registerMapping", "addInterceptor",
}  # fmt: skip
#: Constructors that open a file for writing, with the index of the path argument.
WRITER_CLASSES = {
    "FileOutputStream": 0, "FileWriter": 0, "PrintWriter": 0, "PrintStream": 0,
    "RandomAccessFile": 0, "FileHandler": 0, "FileImageOutputStream": 0,
}  # fmt: skip
READER_CLASSES = {"FileInputStream": 0, "FileReader": 0, "RandomAccessFile": 0}
#: Static helpers that write a file: name -> (path index, content index)
WRITE_HELPERS = {
    "writeStringToFile": (0, 1), "writeByteArrayToFile": (0, 1), "copyInputStreamToFile": (1, 0),
    "writeString": (0, 1), "writeLines": (0, 1), "write": (0, 1), "copy": (1, 0),
}  # fmt: skip
CONTENT_WRITES = {
    "write", "print", "println", "append", "writeBytes", "writeChars", "writeUTF", "format",
    "printf", "info", "warning", "severe", "fine", "log", "publish", "writeObject",
}  # fmt: skip
SOCKET_CLASSES = {"Socket", "InetSocketAddress", "DatagramSocket", "SSLSocket"}
_CATALOG = re.compile(
    rb"(?i)information_schema\s*\.\s*(tables|columns)|\buser_tab(les|_comments|_columns)\b"
    rb"|\ball_tables\b|\bshow\s+tables\b|\bsysobjects\b|\bsys\s*\.\s*tables\b|\bpg_tables\b"
    rb"|\bsqlite_master\b|\bshow\s+databases\b"
)
_SELECT_ALL = re.compile(r"(?is)^\s*select\s+\*\s+from\s*$")
_SCOPES = {
    "method_declaration", "constructor_declaration", "lambda_expression", "static_initializer",
    "compact_constructor_declaration",
}  # fmt: skip
#: every node kind ``index`` records something for (the rest only has its children walked)
_INDEXED = _SCOPES | {
    "variable_declarator", "assignment_expression", "enhanced_for_statement", "return_statement",
    "method_invocation", "object_creation_expression", "string_literal", "binary_expression",
    "array_initializer",
}  # fmt: skip
_PASS = {"parenthesized_expression", "cast_expression"}
_MAX_DEPTH = 80
_MAX_HOPS = 60  # variables followed inside one another (keeps the Python stack bounded)
_MAX_SITES = 400
_CLASS_MAGIC = b"\xca\xfe\xba\xbe"
_CLASS_DANGER = re.compile(
    rb"java/lang/Runtime|java/lang/ProcessBuilder|defineClass|javax/script|getParameter"
    rb"|javax/servlet/(Filter|Servlet|http/HttpServletRequest)|jakarta/servlet|ClassLoader"
    rb"|java/net/Socket|sun/misc/Unsafe|java/lang/reflect/Method"
)


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter
    import tree_sitter_java

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_java.language()))


def _short(node: Node, limit: int = 60) -> str:
    text = " ".join(node.text.decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _line(node: Node) -> int:
    return int(node.start_point[0]) + 1


def _name(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _args(node: Node) -> list[Node]:
    arguments = node.child_by_field_name("arguments")
    if arguments is None:
        return []
    return [
        a
        for a in arguments.named_children
        if a.type not in ("comment", "line_comment", "block_comment")
    ]


def _type_name(node: Node) -> str:
    """Simple class name of an ``object_creation_expression``."""
    typ = node.child_by_field_name("type")
    if typ is None:
        return ""
    text = _name(typ)
    text = text.split("<", 1)[0]
    return text.rsplit(".", 1)[-1].strip()


_ESC = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0", "s": " "}


def _literal(node: Node) -> str:
    """The value of a Java string literal (escapes decoded)."""
    out = []
    for child in node.named_children:
        text = _name(child)
        if child.type == "escape_sequence":
            body = text[1:]
            if body.startswith("u"):
                try:
                    out.append(chr(int(body.lstrip("u")[:4], 16)))
                except ValueError:
                    out.append(text)
            elif body[:1] in "01234567" and body.isdigit():
                try:
                    out.append(chr(int(body, 8) & 0xFF))
                except ValueError:
                    out.append(text)
            else:
                out.append(_ESC.get(body, body))
        else:
            out.append(text)
    return "".join(out)


@dataclass(slots=True)
class _Assign:
    scope: int
    value: Node | None
    line: int
    kind: str  # "set" | "mutate" | "readinto" | "iterate" | "param"


@dataclass(slots=True)
class _Method:
    scope: int
    name: str
    params: list[str]
    returns: list[Node] = field(default_factory=list)
    constructor: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class WritePath:
    """A file written with request-chosen content; ``control`` says how much of the path
    the request chooses: "dir" (its start), "webroot" (a name under the web root), "name"."""

    path: FlowPath
    control: str
    target: Step


@dataclass(slots=True)
class JavaResult:
    analysis: Analysis
    writes: list[WritePath] = field(default_factory=list)
    #: operations on request-chosen paths: "list", "read", "delete", "rename", "write"
    file_ops: dict[str, Step] = field(default_factory=dict)
    sql: list[Step] = field(default_factory=list)  # request-supplied SQL / connection string
    dump: list[Step] = field(default_factory=list)  # catalog enumeration + select * from
    registrars: list[Step] = field(default_factory=list)
    sockets: list[FlowPath] = field(default_factory=list)  # request-chosen socket target
    shell_wiring: list[Step] = field(default_factory=list)  # process streams <-> socket
    classes: list[tuple[Step, str]] = field(default_factory=list)  # embedded class files


class JavaAnalyser:
    def __init__(self, source: bytes, budget: Budget, el: tuple[tuple[int, int], ...] = ()) -> None:
        self.src = source
        self.budget = budget
        #: where the page's EL expressions are (``jspsource.jsp_view``)
        self.el = el
        self.root: Node = None
        self.assigns: dict[str, list[_Assign]] = {}
        self.declared: set[tuple[int, str]] = set()
        self.types: dict[tuple[int, str], str] = {}
        self.parents: dict[int, int] = {0: 0}
        self.methods: dict[str, list[_Method]] = {}
        self.scope_method: dict[int, _Method] = {}
        self.calls: dict[str, list[tuple[Node, int]]] = {}
        self.creations: dict[str, list[tuple[Node, int]]] = {}
        self.literals: list[tuple[Node, int]] = []
        self.binaries: list[tuple[Node, int]] = []
        self.arrays: list[Node] = []
        self._memo: dict[tuple[int, bool], tuple[Step, ...] | None] = {}
        self._var_memo: dict[tuple[int, str, bool], tuple[Step, ...] | None] = {}
        self._in_progress: set[tuple[int, str, bool]] = set()
        self._value_memo: dict[int, str | None] = {}
        self.result = JavaResult(Analysis("jsp"))
        self.paths: list[FlowPath] = []
        self.sinks: set[str] = set()
        self.sources = 0

    # -- indexing --------------------------------------------------------------------------

    def index(self) -> None:
        stack: list[tuple[Node, int]] = [(self.root, 0)]
        while stack:
            node, scope = stack.pop()
            if not self.budget.spend_nodes():
                return
            kind = node.type
            if kind not in _INDEXED:
                pass
            elif kind in _SCOPES:
                new = int(node.id)
                self.parents[new] = scope
                self._method(node, new)
                scope = new
            elif kind == "variable_declarator":
                name = _name(node.child_by_field_name("name"))
                self.declared.add((scope, name))
                typ = node.parent.child_by_field_name("type") if node.parent else None
                if typ is not None:
                    self.types[(scope, name)] = _name(typ).rsplit(".", 1)[-1]
                value = node.child_by_field_name("value")
                if value is not None:
                    self._add(name, _Assign(scope, value, _line(node), "set"))
            elif kind == "assignment_expression":
                self._assignment(node, scope)
            elif kind == "enhanced_for_statement":
                name = _name(node.child_by_field_name("name"))
                self.declared.add((scope, name))
                self._add(name, _Assign(scope, node.child_by_field_name("value"), _line(node),
                                        "iterate"))  # fmt: skip
            elif kind == "return_statement" and node.named_child_count:
                method = self.scope_method.get(scope)
                if method is not None:
                    method.returns.append(node.named_children[0])
            elif kind == "method_invocation":
                self._invocation(node, scope)
            elif kind == "object_creation_expression":
                self.creations.setdefault(_type_name(node), []).append((node, scope))
            elif kind == "string_literal":
                self.literals.append((node, scope))
                continue
            elif kind == "binary_expression":
                self.binaries.append((node, scope))
            elif kind == "array_initializer":
                self.arrays.append(node)
            if node.named_child_count:
                stack.extend(zip(reversed(node.named_children), repeat(scope)))

    def _add(self, name: str, assign: _Assign) -> None:
        items = self.assigns.setdefault(name, [])
        if len(items) < _MAX_SITES:
            items.append(assign)

    def _method(self, node: Node, scope: int) -> None:
        params_node = node.child_by_field_name("parameters")
        params: list[str] = []
        if params_node is not None:
            if params_node.type == "identifier":
                params.append(_name(params_node))
            for p in params_node.named_children:
                if p.type == "identifier":
                    params.append(_name(p))
                    continue
                name = p.child_by_field_name("name")
                if name is None:
                    name = next((c for c in p.named_children if c.type == "identifier"), None)
                if name is None:
                    name = next(
                        (c.child_by_field_name("name") for c in p.named_children
                         if c.type == "variable_declarator"), None,
                    )  # fmt: skip
                params.append(_name(name))
                typ = p.child_by_field_name("type")
                if typ is not None:
                    self.types[(scope, params[-1])] = _name(typ).rsplit(".", 1)[-1]
        for p in params:
            self.declared.add((scope, p))
        if node.type == "lambda_expression":
            return
        if node.type == "constructor_declaration":
            name = _name(node.child_by_field_name("name"))
        else:
            name = _name(node.child_by_field_name("name"))
        method = _Method(
            scope,
            name,
            params,
            constructor=node.type == "constructor_declaration",
            line=_line(node),
        )
        self.scope_method[scope] = method
        self.methods.setdefault(name, []).append(method)

    def _assignment(self, node: Node, scope: int) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None:
            return
        line = _line(node)
        while left.type == "array_access":
            left = left.child_by_field_name("array")
            if left is None:
                return
        if left.type == "identifier":
            self._add(_name(left), _Assign(scope, right, line, "set"))
        elif left.type == "field_access":
            fld = left.child_by_field_name("field")
            self._add(_name(fld), _Assign(-1, right, line, "set"))

    def _invocation(self, node: Node, scope: int) -> None:
        name = _name(node.child_by_field_name("name"))
        sites = self.calls.setdefault(name, [])
        if len(sites) < _MAX_SITES:
            sites.append((node, scope))
        obj = node.child_by_field_name("object")
        args = _args(node)
        if obj is not None and obj.type == "identifier" and name in MUTATORS and args:
            self._add(_name(obj), _Assign(scope, node.child_by_field_name("arguments"),
                                          _line(node), "mutate"))  # fmt: skip
        if name in READ_INTO and obj is not None:
            for arg in args:
                if arg.type == "identifier":
                    self._add(_name(arg), _Assign(scope, obj, _line(node), "readinto"))
        if name == "arraycopy" and len(args) >= 3 and args[2].type == "identifier":
            self._add(_name(args[2]), _Assign(scope, args[0], _line(node), "readinto"))
        # a logger writing through a handler: the logger is an alias of the handler
        handler = name in ("addHandler", "setOutputStream") and bool(args)
        if handler and obj is not None and obj.type == "identifier":
            self._add(_name(obj), _Assign(scope, args[0], _line(node), "alias"))

    # -- scopes ----------------------------------------------------------------------------

    def _decl_scope(self, scope: int, name: str) -> int:
        hops = 0
        while hops < 64:
            if (scope, name) in self.declared:
                return scope
            if scope == 0:
                return 0
            scope = self.parents.get(scope, 0)
            hops += 1
        return 0

    def _same_var(self, assign: _Assign, scope: int, name: str) -> bool:
        if assign.scope == -1:  # this.x = ...: a field, seen from any scope without a local x
            return scope == 0
        return self._decl_scope(assign.scope, name) == scope

    # -- taint -----------------------------------------------------------------------------

    def var_taint(self, scope: int, name: str, head: bool) -> tuple[Step, ...] | None:
        if not name:
            return None
        decl = self._decl_scope(scope, name)
        key = (decl, name, head)
        if key in self._var_memo:
            return self._var_memo[key]
        if key in self._in_progress or len(self._in_progress) >= _MAX_HOPS:
            if len(self._in_progress) >= _MAX_HOPS and not self.budget.exhausted:
                self.budget.exhausted = f"more than {_MAX_HOPS} nested variable hops"
            return None
        self._in_progress.add(key)
        chain: tuple[Step, ...] | None = None
        for assign in self.assigns.get(name, ()):
            if not self._same_var(assign, decl, name):
                continue
            if head and assign.kind in ("mutate", "readinto", "alias"):
                continue
            found = self._assign_taint(assign, head)
            if found:
                chain = (*found, Step(name, assign.line))[-MAX_STEPS:]
                break
        if chain is None:
            chain = self._param_taint(decl, name, head)
        self._in_progress.discard(key)
        self._var_memo[key] = chain
        return chain

    def _assign_taint(self, assign: _Assign, head: bool) -> tuple[Step, ...] | None:
        value = assign.value
        if value is None:
            return None
        scope = max(assign.scope, 0)
        if value.type == "argument_list":
            for arg in value.named_children:
                if found := self.taint(arg, scope, head=head):
                    return found
            return None
        return self.taint(value, scope, head=head)

    def _param_taint(self, scope: int, name: str, head: bool) -> tuple[Step, ...] | None:
        method = self.scope_method.get(scope)
        if method is None or name not in method.params:
            return None
        index = method.params.index(name)
        if method.name in MESSAGE_HANDLERS:
            return (Step(f"{method.name}() message parameter {name}", method.line),)
        sites = (
            self.creations.get(method.name, []) if method.constructor
            else self.calls.get(method.name, [])
        )  # fmt: skip
        for call, call_scope in sites[:_MAX_SITES]:
            args = _args(call)
            if index < len(args) and (found := self.taint(args[index], call_scope, head=head)):
                return (*found, Step(f"{method.name}() parameter {name}", _line(call)))[-MAX_STEPS:]
        return None

    def taint(
        self, node: Node | None, scope: int, depth: int = 0, head: bool = False
    ) -> tuple[Step, ...] | None:
        """How request input reaches ``node`` (with ``head``: its start), or None."""
        if node is None or depth > _MAX_DEPTH or not self.budget.spend_nodes():
            return None
        key = (int(node.id), head)
        if key in self._memo:
            return self._memo[key]
        result = self._taint(node, scope, depth, head)
        self._memo[key] = result
        return result

    def _taint(self, node: Node, scope: int, depth: int, head: bool) -> tuple[Step, ...] | None:
        kind = node.type
        if kind == "identifier":
            name = _name(node)
            if name in EL_REQUEST and self._in_el(node):
                self.sources += 1
                return (Step(f"EL request object {name}", _line(node)),)
            return self.var_taint(scope, name, head)
        if kind == "field_access":
            obj = node.child_by_field_name("object")
            fld = _name(node.child_by_field_name("field"))
            if obj is not None and obj.type != "this":
                found = self.taint(obj, scope, depth + 1, head)
                if found:
                    return found
            return self.var_taint(0, fld, head) if fld else None
        if kind == "array_access":
            return self.taint(node.child_by_field_name("array"), scope, depth + 1, head)
        if kind in _PASS:
            value = node.child_by_field_name("value") if kind == "cast_expression" else None
            inner = value or (node.named_children[-1] if node.named_child_count else None)
            return self.taint(inner, scope, depth + 1, head)
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is None or op.type != "+":
                return None
            left = node.child_by_field_name("left")
            found = self.taint(left, scope, depth + 1, head)
            if found or head:
                return found
            return self.taint(node.child_by_field_name("right"), scope, depth + 1, head)
        if kind == "ternary_expression":
            for part in ("consequence", "alternative"):
                if found := self.taint(node.child_by_field_name(part), scope, depth + 1, head):
                    return found
            return None
        if kind == "assignment_expression":
            return self.taint(node.child_by_field_name("right"), scope, depth + 1, head)
        if kind in ("array_creation_expression", "array_initializer"):
            parts = (
                [node.child_by_field_name("value")]
                if kind == "array_creation_expression"
                else node.named_children
            )
            for part in parts:
                if found := self.taint(part, scope, depth + 1, head):
                    return found
            return None
        if kind == "method_invocation":
            return self._call_taint(node, scope, depth, head)
        if kind == "object_creation_expression":
            args = _args(node)
            for arg in args[:1] if head else args:
                if found := self.taint(arg, scope, depth + 1, head):
                    return (*found, Step(_short(node), _line(node)))[-MAX_STEPS:]
            return None
        return None

    def _in_el(self, node: Node) -> bool:
        start = int(node.start_byte)
        return any(a <= start < b for a, b in self.el)

    def _is_request(self, obj: Node | None, scope: int) -> bool:
        """A servlet request: ``request``, ``getRequest()``, or a variable typed ``*Request``."""
        if obj is None:
            return False
        if obj.type in _PASS and obj.named_child_count:
            return self._is_request(obj.named_children[-1], scope)
        if obj.type == "method_invocation":
            return _name(obj.child_by_field_name("name")) == "getRequest"
        if obj.type == "field_access":
            obj = obj.child_by_field_name("field")
        if obj is None or obj.type != "identifier":
            return False
        name = _name(obj)
        if name == "request":
            return True
        typ = self.types.get((self._decl_scope(scope, name), name), "")
        return (typ.endswith("Request") and "Http" in typ) or typ.endswith("ServletRequest")

    def _call_taint(
        self, node: Node, scope: int, depth: int, head: bool
    ) -> tuple[Step, ...] | None:
        name = _name(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        if name in SOURCE_METHODS or (name in REQUEST_STREAMS and self._is_request(obj, scope)):
            self.sources += 1
            return (Step(_short(node), _line(node)),)
        if name in STOPPERS:
            return None
        step = Step(_short(node), _line(node))
        if (obj is None or obj.type == "this") and name in self.methods:
            for method in self.methods[name]:
                for ret in method.returns[:16]:
                    if found := self.taint(ret, method.scope, depth + 1, head):
                        return (*found, step)[-MAX_STEPS:]
            return None
        if obj is not None and (found := self.taint(obj, scope, depth + 1, head)):
            return (*found, step)[-MAX_STEPS:]
        if head and name not in ("get", "decode", "valueOf", "toString"):
            return None
        for arg in _args(node)[:1] if head else _args(node):
            if found := self.taint(arg, scope, depth + 1, head):
                return (*found, step)[-MAX_STEPS:]
        return None

    # -- constant strings ------------------------------------------------------------------

    def value(self, node: Node | None, scope: int, depth: int = 0) -> str | None:
        """The constant string an expression always evaluates to, or None."""
        if node is None or depth > 40 or not self.budget.spend_nodes():
            return None
        key = int(node.id)
        if key in self._value_memo:
            return self._value_memo[key]
        self._value_memo[key] = None
        result = self._value(node, scope, depth)
        if result is not None and len(result) > MAX_VALUE_BYTES:
            result = None
        self._value_memo[key] = result
        return result

    def _value(self, node: Node, scope: int, depth: int) -> str | None:
        kind = node.type
        if kind == "string_literal":
            return _literal(node)
        if kind in _PASS and node.named_child_count:
            return self.value(node.named_children[-1], scope, depth + 1)
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is None or op.type != "+":
                return None
            a = self.value(node.child_by_field_name("left"), scope, depth + 1)
            b = self.value(node.child_by_field_name("right"), scope, depth + 1) if a else None
            return a + b if a is not None and b is not None else None
        if kind == "identifier":
            name = _name(node)
            decl = self._decl_scope(scope, name)
            sets = [a for a in self.assigns.get(name, ()) if self._same_var(a, decl, name)]
            if len(sets) == 1 and sets[0].kind == "set":
                return self.value(sets[0].value, max(sets[0].scope, 0), depth + 1)
            return None
        if kind == "object_creation_expression" and _type_name(node) in (
            "String", "StringBuilder", "StringBuffer"
        ):  # fmt: skip
            args = _args(node)
            if not args:
                return ""
            raw = self.bytes_value(args[0], scope, depth + 1)
            return raw.decode("latin-1") if raw is not None else None
        if kind == "method_invocation":
            name = _name(node.child_by_field_name("name"))
            obj = node.child_by_field_name("object")
            args = _args(node)
            if name in ("toString", "trim", "intern") and obj is not None:
                base = self.value(obj, scope, depth + 1)
                return base.strip() if base is not None and name == "trim" else base
            if name == "reverse" and obj is not None:
                base = self.value(obj, scope, depth + 1)
                return base[::-1] if base is not None else None
            if name in ("concat", "append") and obj is not None and len(args) == 1:
                a = self.value(obj, scope, depth + 1)
                b = self.value(args[0], scope, depth + 1) if a is not None else None
                return a + b if a is not None and b is not None else None
            if name == "replace" and obj is not None and len(args) == 2:
                base = self.value(obj, scope, depth + 1)
                old = self.value(args[0], scope, depth + 1)
                new = self.value(args[1], scope, depth + 1)
                if base is not None and old and new is not None:
                    return base.replace(old, new)
            if name == "valueOf" and len(args) == 1:
                return self.value(args[0], scope, depth + 1)
        return None

    def bytes_value(self, node: Node | None, scope: int, depth: int = 0) -> bytes | None:
        """Constant bytes: a byte/char array literal, a decoded Base64 literal, a string."""
        if node is None or depth > 40 or not self.budget.spend_nodes():
            return None
        kind = node.type
        if kind == "array_creation_expression":
            return self.bytes_value(node.child_by_field_name("value"), scope, depth + 1)
        if kind == "array_initializer":
            return _array_bytes(node)
        if kind == "method_invocation":
            name = _name(node.child_by_field_name("name"))
            args = _args(node)
            if name in ("decode", "decodeBuffer", "decodeBase64", "parseBase64Binary") and args:
                text = self.value(args[0], scope, depth + 1)
                return _b64(text.encode("latin-1")) if text is not None else None
            if name in ("getBytes", "toCharArray"):
                obj = node.child_by_field_name("object")
                text = self.value(obj, scope, depth + 1) if obj is not None else None
                return text.encode("latin-1", "replace") if text is not None else None
        if kind == "identifier":
            name = _name(node)
            decl = self._decl_scope(scope, name)
            sets = [a for a in self.assigns.get(name, ()) if self._same_var(a, decl, name)]
            if len(sets) == 1 and sets[0].kind == "set":
                return self.bytes_value(sets[0].value, max(sets[0].scope, 0), depth + 1)
        text = self.value(node, scope, depth + 1)
        return text.encode("latin-1", "replace") if text is not None else None

    # -- sinks -----------------------------------------------------------------------------

    def _report(self, kind: SinkKind, sink: str, chain: tuple[Step, ...], node: Node) -> None:
        steps = (*chain, Step(_short(node), _line(node)))[-MAX_STEPS:]
        self.paths.append(FlowPath(kind, sink, steps))
        self.sinks.add(sink)

    def _sites(self, names: set[str] | dict[str, Any]) -> Iterator[tuple[str, Node, int]]:
        for name in names:
            for node, scope in self.calls.get(name, [])[:_MAX_SITES]:
                if self.budget.exhausted:
                    return
                yield name, node, scope

    def _new_sites(self, names: set[str] | dict[str, Any]) -> Iterator[tuple[str, Node, int]]:
        for name in names:
            for node, scope in self.creations.get(name, [])[:_MAX_SITES]:
                if self.budget.exhausted:
                    return
                yield name, node, scope

    def _any_arg(self, node: Node, scope: int) -> tuple[Step, ...] | None:
        for arg in _args(node):
            if found := self.taint(arg, scope):
                return found
        return None

    def check_exec(self) -> None:
        for name, node, scope in self._sites(COMMAND_METHODS | CODE_METHODS):
            obj = node.child_by_field_name("object")
            if name in ("evaluate", "eval") and obj is not None and "xpath" in _name(obj).lower():
                continue
            kind = SinkKind.COMMAND if name in COMMAND_METHODS else SinkKind.CODE
            self.sinks.add(name)
            if chain := self._any_arg(node, scope):
                self._report(kind, name, chain, node)
        for _, node, scope in self._new_sites({"ProcessBuilder"}):
            self.sinks.add("ProcessBuilder")
            if chain := self._any_arg(node, scope):
                self._report(SinkKind.COMMAND, "ProcessBuilder", chain, node)
        for _, node, scope in self._new_sites({"URLClassLoader"}):
            if chain := self._any_arg(node, scope):
                self._report(SinkKind.CODE, "URLClassLoader", chain, node)
        for name, node, scope in self._sites(DESERIALIZERS):
            # ``new ObjectInputStream(request.getInputStream()).readObject()``: a stream
            # built from request bytes is deserialised (gadget chains run code)
            obj = node.child_by_field_name("object")
            if obj is not None and (chain := self.taint(obj, scope)):
                self._report(SinkKind.CODE, f"{name} of request bytes (deserialisation)",
                             chain, node)  # fmt: skip
        for _, node, scope in self._sites({"loadClass"}):
            # a class the request names or carries (BCEL's ``$$BCEL$$`` class names hold
            # the class file itself)
            if chain := self._any_arg(node, scope):
                self._report(SinkKind.CODE, "loadClass of a request-chosen class", chain, node)
        for cls, node, scope in self._new_sites({"Expression", "Statement"}):
            args = _args(node)
            if len(args) < 2:
                continue
            self._reflective(f"java.beans.{cls}", node, scope, args[1], args[2:])
        for name, node, scope in self._sites(_INVOKERS):
            obj = node.child_by_field_name("object")
            if obj is None:
                continue
            if chain := self.taint(obj, scope):
                self._report(SinkKind.CODE, "Method.invoke of a request-chosen method", chain,
                             node)  # fmt: skip
                continue
            lookup = self._method_lookup(obj, scope)
            if lookup is not None:
                label = "Method.invoke" if name == "invoke" else f"MethodHandle.{name}"
                self._reflective(label, node, scope, lookup, _args(node))
        self._check_interpreters()

    def _check_interpreters(self) -> None:
        """Expression languages, naming and stylesheet engines and the Java compiler, each
        given text from the request: OGNL ``getValue``, JNDI ``lookup`` (a remote class
        loaded), XSLT ``newTransformer`` (extension functions call Java), and source code the
        page writes for ``ToolProvider.getSystemJavaCompiler()``."""
        for name, node, scope in self._sites({"getValue", "setValue", "parseExpression"}):
            obj = node.child_by_field_name("object")
            if obj is not None and _name(obj).rsplit(".", 1)[-1] in ("Ognl", "OgnlUtil"):
                self.sinks.add(f"Ognl.{name}")
                if chain := self._any_arg(node, scope):
                    self._report(SinkKind.CODE, f"Ognl.{name}", chain, node)
        for _, node, scope in self._sites({"lookup"}):
            obj = node.child_by_field_name("object")
            if obj is not None and self._initial_context(obj, scope):
                args = _args(node)
                if args and (chain := self.taint(args[0], scope)):
                    self._report(SinkKind.CODE, "JNDI lookup of a request-chosen name", chain,
                                 node)  # fmt: skip
        for name, node, scope in self._sites({"newTransformer", "newTemplates"}):
            if chain := self._any_arg(node, scope):
                self._report(SinkKind.CODE, f"XSLT {name} of a request stylesheet", chain, node)
        for _, node, _scope in self._sites({"getSystemJavaCompiler"}):
            self.sinks.add("JavaCompiler")
            chain = self._request_source_file()
            if chain:
                self._report(SinkKind.CODE, "Java compiler run on request-written source",
                             chain, node)  # fmt: skip
            break

    def _initial_context(self, obj: Node, scope: int) -> bool:
        """``new InitialContext()`` (or a variable set to one): its ``lookup`` resolves URL
        names (``ldap://``, ``rmi://``) and loads the classes they point to. A context got
        from a lookup (``java:comp/env``) resolves names under itself only."""
        while obj.type in _PASS and obj.named_child_count:
            obj = obj.named_children[-1]
        if obj.type == "object_creation_expression":
            return _type_name(obj) in _INITIAL_CONTEXTS
        if obj.type != "identifier":
            return False
        name = _name(obj)
        decl = self._decl_scope(scope, name)
        for assign in self.assigns.get(name, [])[:8]:
            value = assign.value
            while value is not None and value.type in _PASS and value.named_child_count:
                value = value.named_children[-1]
            if (
                assign.kind == "set"
                and value is not None
                and value.type == "object_creation_expression"
                and self._same_var(assign, decl, name)
                and _type_name(value) in _INITIAL_CONTEXTS
            ):
                return True
        return False

    def _request_source_file(self) -> tuple[Step, ...] | None:
        """Request content written to any file (the source a compiler is then given)."""
        for cls, node, scope in self._new_sites(WRITER_CLASSES):
            if content := self._content_written(node, scope):
                return (*content, Step(f"written by {cls}", _line(node)))[-MAX_STEPS:]
        return None

    def _method_lookup(self, obj: Node, scope: int, hops: int = 0) -> Node | None:
        """The name argument of the ``getMethod``/``getDeclaredMethod`` behind ``obj``."""
        if hops > 4 or obj is None:
            return None
        if obj.type == "method_invocation":
            name = _name(obj.child_by_field_name("name"))
            args = _args(obj)
            if name in ("getMethod", "getDeclaredMethod") and args:
                return args[0]
            if name in ("findVirtual", "findStatic", "findSpecial") and len(args) >= 2:
                return args[1]
            return None
        if obj.type == "identifier":
            name = _name(obj)
            decl = self._decl_scope(scope, name)
            for assign in self.assigns.get(name, [])[:8]:
                if assign.kind == "set" and self._same_var(assign, decl, name):
                    found = self._method_lookup(assign.value, max(assign.scope, 0), hops + 1)
                    if found is not None:
                        return found
        if obj.type in _PASS and obj.named_child_count:
            return self._method_lookup(obj.named_children[-1], scope, hops + 1)
        return None

    def _reflective(
        self, label: str, node: Node, scope: int, method: Node, args: list[Node]
    ) -> None:
        if chain := self.taint(method, scope):
            self._report(SinkKind.CODE, f"{label} of a request-chosen method", chain, node)
            return
        target = self.value(method, scope)
        if target is None:
            return
        kind = (
            SinkKind.COMMAND if target in REFLECT_COMMAND
            else SinkKind.CODE if target in REFLECT_CODE else None
        )  # fmt: skip
        if kind is None:
            return
        self.sinks.add(f"{label}:{target}")
        for arg in args:
            if chain := self.taint(arg, scope):
                self._report(kind, f"{label} -> {target}", chain, node)
                return

    # -- files -----------------------------------------------------------------------------

    def _holder(self, node: Node) -> tuple[str, int] | None:
        """The variable a stream construction ends up in (through wrapping constructors)."""
        current = node
        for _ in range(8):
            parent = current.parent
            if parent is None:
                return None
            if parent.type in ("argument_list", "parenthesized_expression", "cast_expression"):
                current = parent
                continue
            if parent.type == "object_creation_expression":
                current = parent
                continue
            if parent.type == "variable_declarator":
                return _name(parent.child_by_field_name("name")), int(current.id)
            if parent.type == "assignment_expression":
                left = parent.child_by_field_name("left")
                if left is not None and left.type == "identifier":
                    return _name(left), int(current.id)
                if left is not None and left.type == "field_access":
                    return _name(left.child_by_field_name("field")), int(current.id)
            return None
        return None

    def _aliases(self, name: str, scope: int) -> set[str]:
        """``name`` and the variables wrapping it (``bw = new BufferedWriter(fw)``)."""
        out = {name}
        frontier = [name]
        # each variable's candidate values, read once: (identifier name, None) or (None, text)
        values: list[tuple[str, list[tuple[str | None, bytes | None]]]] = []
        for other, assigns in self.assigns.items():
            row: list[tuple[str | None, bytes | None]] = []
            for assign in assigns[:32]:
                value = assign.value
                if value is None or assign.kind not in ("set", "alias"):
                    continue
                kind = value.type
                if kind == "identifier":
                    row.append((_name(value), None))
                elif kind == "object_creation_expression":
                    row.append((None, value.text or b""))
            values.append((other, row))
        while frontier and len(out) < 16:
            current = frontier.pop()
            word: re.Pattern[bytes] | None = None
            for other, row in values:
                if other in out:
                    continue
                for ident, text in row:
                    if ident is not None:
                        if ident == current:
                            out.add(other)
                            frontier.append(other)
                            break
                        continue
                    if word is None:
                        word = re.compile(rb"\b" + re.escape(current.encode()) + rb"\b")
                    if word.search(text or b""):
                        out.add(other)
                        frontier.append(other)
                        break
        return out

    def _content_written(self, node: Node, scope: int) -> tuple[Step, ...] | None:
        parent = node.parent
        if (
            parent is not None
            and parent.type == "method_invocation"
            and _name(parent.child_by_field_name("name")) in CONTENT_WRITES
        ):
            return self._any_arg(parent, scope)
        holder = self._holder(node)
        if holder is None:
            return None
        for alias in self._aliases(holder[0], scope):
            for call_name in CONTENT_WRITES:
                for call, call_scope in self.calls.get(call_name, [])[:_MAX_SITES]:
                    obj = call.child_by_field_name("object")
                    if obj is None or obj.type != "identifier" or _name(obj) != alias:
                        continue
                    if chain := self._any_arg(call, call_scope):
                        return chain
        return None

    def _control(self, path: Node, scope: int) -> str | None:
        if self.taint(path, scope, head=True):
            return "dir"
        if not self.taint(path, scope):
            return None
        return "webroot" if self._mentions(path, scope, b"getRealPath") else "name"

    def _mentions(self, node: Node, scope: int, word: bytes, hops: int = 0) -> bool:
        if word in (node.text or b""):
            return True
        if hops > 3:
            return False
        for ident in _identifiers(node):
            name = _name(ident)
            decl = self._decl_scope(scope, name)
            for assign in self.assigns.get(name, [])[:16]:
                if (
                    assign.kind == "set"
                    and assign.value is not None
                    and self._same_var(assign, decl, name)
                    and self._mentions(assign.value, max(assign.scope, 0), word, hops + 1)
                ):
                    return True
        return False

    def _file_path_arg(self, node: Node) -> Node | None:
        args = _args(node)
        index = WRITER_CLASSES.get(_type_name(node), 0)
        if index >= len(args):
            return None
        arg = args[index]
        if arg.type == "object_creation_expression" and _type_name(arg) not in ("File",):
            return None  # a stream wrapping another stream: the inner one is the sink
        return arg

    def check_files(self) -> None:
        res = self.result
        for cls, node, scope in self._new_sites(WRITER_CLASSES):
            path = self._file_path_arg(node)
            if path is None:
                continue
            control = self._control(path, scope)
            if control is None:
                continue
            if control == "dir":
                res.file_ops.setdefault("write", Step(_short(node), _line(node)))
            content = self._content_written(node, scope)
            if content:
                flow = FlowPath(
                    SinkKind.FILE_WRITE, cls, (*content, Step(_short(node), _line(node)))
                )
                res.writes.append(WritePath(flow, control, Step(_short(path), _line(path))))
        for name, node, scope in self._sites(WRITE_HELPERS):
            args = _args(node)
            path_i, data_i = WRITE_HELPERS[name]
            obj = node.child_by_field_name("object")
            if name in ("write", "copy") and (obj is None or _name(obj) not in (
                "Files", "FileUtils", "IOUtils", "FileCopyUtils"
            )):  # fmt: skip
                continue
            if max(path_i, data_i) >= len(args):
                continue
            control = self._control(args[path_i], scope)
            content = self.taint(args[data_i], scope)
            if control and content:
                flow = FlowPath(
                    SinkKind.FILE_WRITE, name, (*content, Step(_short(node), _line(node)))
                )
                res.writes.append(WritePath(flow, control, Step(_short(args[path_i]),
                                                                _line(node))))  # fmt: skip
        for name, node, scope in self._sites({"write", "transferTo"}):
            obj = node.child_by_field_name("object")
            args = _args(node)
            if obj is None or len(args) != 1 or _name(obj) in ("Files", "out"):
                continue
            # part.write(path) / item.write(file) / upload.transferTo(file)
            receiver = self.taint(obj, scope)
            if receiver and any(
                s.label.startswith(("request.getPart", "getPart")) or "getPart" in s.label
                for s in receiver[:1]
            ):
                control = self._control(args[0], scope)
                if control:
                    flow = FlowPath(
                        SinkKind.FILE_WRITE, name, (*receiver, Step(_short(node), _line(node)))
                    )
                    res.writes.append(WritePath(flow, control, Step(_short(args[0]),
                                                                    _line(node))))  # fmt: skip
        self._browse()

    def _browse(self) -> None:
        ops = self.result.file_ops
        for _, node, scope in self._new_sites({"File"}):
            args = _args(node)
            if not args or not self.taint(args[0], scope, head=True):
                continue
            holder = self._holder(node)
            names = self._aliases(holder[0], scope) if holder else set()
            parent = node.parent
            direct = (
                _name(parent.child_by_field_name("name"))
                if parent is not None and parent.type == "method_invocation"
                else ""
            )
            for op, methods in (
                ("list", ("listFiles", "list")),
                ("delete", ("delete", "deleteOnExit")),
                ("rename", ("renameTo",)),
            ):
                if direct in methods:
                    ops.setdefault(op, Step(_short(parent), _line(parent)))
                    continue
                for method in methods:
                    for call, _ in self.calls.get(method, [])[:_MAX_SITES]:
                        obj = call.child_by_field_name("object")
                        if obj is not None and obj.type == "identifier" and _name(obj) in names:
                            ops.setdefault(op, Step(_short(call), _line(call)))
                            break
        for _, node, scope in self._new_sites(READER_CLASSES):
            args = _args(node)
            if args and self.taint(args[0], scope, head=True):
                ops.setdefault("read", Step(_short(node), _line(node)))
        readers = {"copy", "readAllBytes", "readAllLines", "newInputStream", "lines"}
        for _, node, scope in self._sites(readers):
            obj = node.child_by_field_name("object")
            args = _args(node)
            if (
                obj is not None
                and _name(obj) == "Files"
                and args
                and self.taint(args[0], scope, head=True)
            ):
                ops.setdefault("read", Step(_short(node), _line(node)))

    # -- databases, registration, sockets, embedded classes ------------------------------------

    def check_capabilities(self) -> None:
        res = self.result
        for name, node, scope in self._sites(SQL_METHODS | {"getConnection"}):
            args = _args(node)
            if not args:
                continue
            obj = node.child_by_field_name("object")
            if name == "getConnection" and (obj is None or _name(obj) != "DriverManager"):
                continue
            if name != "getConnection" and not self._is_statement(obj, scope):
                continue
            if chain := self.taint(args[0], scope, head=True):
                res.sql.append(Step(f"{_short(node)} <- {chain[0].label}", _line(node)))
        if _CATALOG.search(self.src) or "getTables" in self.calls:
            for node, _ in self.binaries:
                left = node.child_by_field_name("left")
                op = node.child_by_field_name("operator")
                if (
                    op is not None and op.type == "+" and left is not None
                    and left.type == "string_literal" and _SELECT_ALL.match(_literal(left))
                ):  # fmt: skip
                    res.dump.append(Step(_short(node), _line(node)))
                    break
        for _, node, _ in self._sites(REGISTRARS):
            if _args(node):
                res.registrars.append(Step(_short(node), _line(node)))
        for cls, node, scope in self._new_sites(SOCKET_CLASSES):
            args = _args(node)
            if args and (chain := self.taint(args[0], scope)):
                res.sockets.append(FlowPath(SinkKind.SOCKET, cls,
                                            (*chain, Step(_short(node), _line(node)))))  # fmt: skip
        for name, node, scope in self._sites({"connect", "open"}):
            obj = node.child_by_field_name("object")
            args = _args(node)
            chain = (
                self.taint(args[0], scope)
                if obj is not None and "Channel" in _name(obj) and args
                else None
            )
            if chain:
                res.sockets.append(
                    FlowPath(SinkKind.SOCKET, name, (*chain, Step(_short(node), _line(node))))
                )
        process = bool(self.calls.get("exec") or self.creations.get("ProcessBuilder"))
        sockets = self.creations.get("Socket") or self.creations.get("ServerSocket")
        if process and sockets:
            streams = self.calls.get("getInputStream", []) + self.calls.get("getOutputStream", [])
            if len(streams) >= 2:
                node = sockets[0][0]
                res.shell_wiring.append(Step(_short(node), _line(node)))
        self._embedded_classes()

    def _is_statement(self, obj: Node | None, scope: int) -> bool:
        """A JDBC connection or statement (by declared type, or made by one)."""
        if obj is None or obj.type != "identifier":
            return False
        name = _name(obj)
        decl = self._decl_scope(scope, name)
        typ = self.types.get((decl, name), "")
        if typ.endswith(("Statement", "Connection")):
            return True
        for assign in self.assigns.get(name, [])[:16]:
            value = assign.value
            if (
                assign.kind == "set"
                and value is not None
                and re.search(
                    rb"\b(createStatement|prepareStatement|prepareCall|getConnection)\s*\(",
                    value.text or b"",
                )
            ):
                return True
        return False

    def _embedded_classes(self) -> None:
        seen = 0
        for node, scope in self.literals:
            text = node.text or b""
            if len(text) < 24 or not (b"yv66vg" in text[:16] or b"H4sI" in text[:16]):
                continue
            parent = node.parent
            top = node
            while parent is not None and parent.type == "binary_expression":
                top, parent = parent, parent.parent
            value = self.value(top, scope)
            if value is None:
                continue
            self._class_candidate(_b64(value.encode("latin-1", "replace")), top)
            seen += 1
            if seen > 8:
                break
        for node in self.arrays[:64]:
            if node.named_child_count >= 64:
                raw = _array_bytes(node)
                if raw is not None:
                    self._class_candidate(raw, node)

    def _class_candidate(self, raw: bytes | None, node: Node) -> None:
        if not raw:
            return
        if raw[:2] == b"\x1f\x8b":
            try:
                raw = zlib.decompressobj(31).decompress(raw, MAX_VALUE_BYTES)
            except zlib.error:
                return
        if not raw.startswith(_CLASS_MAGIC):
            return
        danger = sorted({m.group(0).decode("latin-1") for m in _CLASS_DANGER.finditer(raw)})
        self.result.classes.append((Step(_short(node, 40), _line(node)), ", ".join(danger[:6])))


def _identifiers(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack and len(out) < 32:
        current = stack.pop()
        if current.type == "identifier":
            out.append(current)
        elif current.type not in ("string_literal", "lambda_expression", "class_body"):
            stack.extend(current.named_children)
    return out


def _array_bytes(node: Node) -> bytes | None:
    out = bytearray()
    for child in node.named_children[:MAX_VALUE_BYTES]:
        text = _name(child).replace(" ", "")
        if child.type == "character_literal":
            inner = text[1:-1]
            out.append(ord(inner[-1]) & 0xFF if inner else 0)
            continue
        try:
            out.append(int(text, 0) & 0xFF)
        except ValueError:
            cast = child.child_by_field_name("value") if child.type == "cast_expression" else None
            if cast is None:
                return None
            try:
                out.append(int(_name(cast).replace(" ", ""), 0) & 0xFF)
            except ValueError:
                return None
    return bytes(out)


def _b64(data: bytes) -> bytes | None:
    clean = re.sub(rb"[^A-Za-z0-9+/=_-]", b"", data[: MAX_VALUE_BYTES * 2])
    clean = clean.replace(b"-", b"+").replace(b"_", b"/").split(b"=", 1)[0]
    clean = clean[: len(clean) - len(clean) % 4]
    try:
        return base64.b64decode(clean)[:MAX_VALUE_BYTES]
    except (binascii.Error, ValueError):
        return None


def analyse_java(data: bytes, budget: Budget | None = None) -> JavaResult:
    """Analyse a JSP page or Java source; see the module docstring."""
    budget = budget or Budget()
    source, el = jsp_view(decode_page(data[:MAX_PARSE_BYTES]))
    analyser = JavaAnalyser(source, budget, el)
    tree = parse_bounded(_parser(), source)
    if tree is None:
        budget.exhausted = f"parse took longer than {MAX_PARSE_SECONDS:g} CPU-s"
        res = analyser.result
        res.analysis = Analysis(language="jsp", bounded=budget.exhausted)
        return res
    analyser.root = tree.root_node
    analyser.index()
    analyser.check_exec()
    if not budget.exhausted:
        analyser.check_files()
    if not budget.exhausted:
        analyser.check_capabilities()
    res = analyser.result
    res.analysis = Analysis(
        language="jsp",
        paths=tuple(analyser.paths),
        sinks=tuple(sorted(analyser.sinks)),
        sources=analyser.sources,
        bounded=budget.exhausted,
    )
    return res
