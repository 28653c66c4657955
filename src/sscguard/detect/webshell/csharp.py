"""C# server code of ASP.NET pages: parse with tree-sitter, follow request input to sinks.

Input is the ``ServerCode`` that ``aspx_extract`` pulled out of a page. One bounded walk over
the syntax tree collects assignments, declarations, ``foreach`` bindings, methods with their
parameters and return expressions, and every call and object creation. Taint is then
computed on demand from the sinks backwards, flow-insensitively per method (as the PHP
analyser does): a local is tainted when any assignment to it is; a field when any assignment
anywhere is; a parameter when a call site passes tainted data; a call of a method defined in
the page when one of its ``return`` expressions is tainted; a call of a library method when
its receiver or an argument is (``Encoding.UTF8.GetString(Convert.FromBase64String(x))``,
``x.Substring(1)``, ``Path.Combine(a, x)``), except for sanitisers (``int.Parse``,
``Path.GetExtension``, comparisons, lengths, encoders).

Sources: ``Request[...]``, ``Request.Form/QueryString/Params/Headers/Cookies/Files/
InputStream/RawUrl/Url/PathInfo/ServerVariables["HTTP_*"]`` and ``.Get(...)``/
``BinaryRead`` on them, through any object named ``Request`` (``HttpContext.Current.Request``,
``Page.Request``, ``context.Request``), and the posted value of every server control the
markup declares (``txtCmd.Text``, ``input.Value``, ``list.SelectedValue``, ``upload.PostedFile``).

A taint also says whether the request value is *rooted*: whether it starts the string (the
visitor chooses the whole path or SQL statement) or is appended to a fixed prefix
(``Server.MapPath("~/up/") + name``). Arbitrary-path file access and SQL consoles need a
rooted value; applications join request values to their own fixed prefixes.

Nothing is executed; the walk is bounded by the shared ``Budget``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from typing import Any

from sscguard.detect.webshell import deobfuscate as deob
from sscguard.detect.webshell.aspx_extract import ServerCode
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

Node = Any  # tree_sitter.Node

_MAX_DEPTH = 80
_MAX_FACTS = 20_000

REQUEST_COLLECTIONS = {
    "form", "querystring", "params", "headers", "cookies", "files", "inputstream", "rawurl",
    "url", "pathinfo", "useragent", "urlreferrer", "item", "unvalidated", "filepath",
    "path", "contenttype", "httpmethod", "servervariables", "binaryread",
    "getbufferlessinputstream", "getbufferedinputstream", "body",
}  # fmt: skip
_SERVER_VARS_TAINTED = re.compile(r"^(HTTP_\w+|QUERY_STRING|PATH_INFO|URL|ALL_HTTP|ALL_RAW)$")
#: Posted values of server controls.
CONTROL_VALUES = {
    "text", "value", "selectedvalue", "selecteditem", "postedfile", "filename", "filebytes",
    "filecontent", "innertext", "innerhtml", "checked", "items", "hasfile",
}  # fmt: skip
SANITIZERS = {
    "parse", "tryparse", "toint32", "toint64", "toint16", "toboolean", "todatetime",
    "todouble", "todecimal", "getextension", "equals", "compare", "compareto", "contains",
    "startswith", "endswith", "isnullorempty", "isnullorwhitespace", "indexof", "lastindexof",
    "htmlencode", "urlencode", "htmlattributeencode", "getlength", "count", "exists",
    "gethashcode", "matches", "ismatch", "length", "getfilenamewithoutextension",
    "gettype", "computehash", "hashpasswordforstoringinconfigfile", "escapedatastring",
}  # fmt: skip
#: Calls whose result is the (rooted-ness of the) receiver or first argument.
_ROOT_KEEPING = {
    "trim", "trimstart", "trimend", "tostring", "tolower", "toupper", "tolowerinvariant",
    "toupperinvariant", "replace", "substring", "getstring", "frombase64string", "urldecode",
    "htmldecode", "urlpathencode", "combine", "concat", "getfullpath", "normalize", "readtoend",
    "getbytes", "getvalue", "get", "format", "join", "todictionary", "first",
}  # fmt: skip
_SCOPE_TYPES = {
    "method_declaration", "constructor_declaration", "local_function_statement",
    "accessor_declaration", "operator_declaration", "destructor_declaration",
}  # fmt: skip
#: every node kind ``collect`` records something for (the rest only has its children walked)
_COLLECTED = _SCOPE_TYPES | {
    "variable_declarator", "assignment_expression", "foreach_statement", "invocation_expression",
    "object_creation_expression", "return_statement", "arrow_expression_clause", "string_literal",
    "verbatim_string_literal", "raw_string_literal",
}  # fmt: skip
_PASS_TYPES = {
    "parenthesized_expression", "cast_expression", "argument", "as_expression",
    "conditional_expression", "await_expression", "interpolated_string_expression",
    "interpolation", "checked_expression", "postfix_unary_expression", "prefix_unary_expression",
    "array_creation_expression", "implicit_array_creation_expression", "initializer_expression",
    "collection_expression", "spread_element", "expression_statement", "argument_list",
    "bracketed_argument_list", "non_null_expression", "ref_expression", "switch_expression",
    "switch_expression_arm", "tuple_expression", "anonymous_object_creation_expression",
    "parenthesized_lambda_expression", "lambda_expression", "block", "return_statement",
    "with_expression", "element_binding_expression", "conditional_access_expression",
    "member_binding_expression",
}  # fmt: skip
_WRITER_TYPES = {"streamwriter", "filestream", "binarywriter"}
_WRITER_OPENERS = {"create", "createtext", "appendtext", "openwrite", "open"}
_FILE_WRITE_CALLS = {
    "writealltext": (0, 1), "writeallbytes": (0, 1), "appendalltext": (0, 1),
    "writealllines": (0, 1), "appendalllines": (0, 1), "writealltextasync": (0, 1),
    "writeallbytesasync": (0, 1),
}  # fmt: skip
_FS_CALLS = {
    "delete", "readalltext", "readallbytes", "readalllines", "openread", "opentext",
    "writefile", "transmitfile", "getfiles", "getdirectories", "getfilesysteminfos",
    "enumeratefiles", "enumeratedirectories", "setattributes", "setcreationtime",
    "setlastwritetime", "setlastaccesstime", "move", "copy", "create", "createdirectory",
    "moveto", "copyto", "encrypt", "decrypt",
}  # fmt: skip
_FS_RECEIVERS = re.compile(
    r"(?i)(^|\.)(File|Directory|Response|FileInfo|DirectoryInfo)$|^(Response|Context\.Response)"
)
_SQL_COMMANDS = re.compile(
    r"(?i)^(Sql|OleDb|Odbc|MySql|Npgsql|Oracle|SQLite)(Command|DataAdapter)$"
)
_SQL_CONNECTIONS = re.compile(r"(?i)^(Sql|OleDb|Odbc|MySql|Npgsql|Oracle|SQLite)Connection$")
_WEB_ROOT = re.compile(
    r"(?i)Server\.MapPath|MapPath\(|PhysicalPath|PhysicalApplicationPath|APPL_PHYSICAL_PATH"
    r"|PATH_TRANSLATED|BaseDirectory|AppDomainAppPath"
)
_TYPE_CHECK = re.compile(
    r"(?i)GetExtension|\.Extension\b|EndsWith\s*\(\s*\"\.|ContentType|AllowedExtensions"
    r"|IsImage|\.(jpg|jpeg|png|gif)\""
)
_REQUEST_CODE = re.compile(
    rb"Request\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies|InputStream)\b|\[|\()"
)
#: Json.NET told to read type names from the data (``TypeNameHandling.None`` is safe)
_TYPE_NAME_HANDLING = re.compile(rb"TypeNameHandling\s*\.\s*(All|Auto|Objects|Arrays)\b")
_GET_START = re.compile(r'GetMethod\s*\(\s*"Start"')
_PROCESS_TYPE = re.compile(
    rb'typeof\s*\(\s*(System\.Diagnostics\.)?Process\s*\)|"System\.Diagnostics\.Process"'
)
_HIVES = re.compile(
    r"Registry\.(LocalMachine|ClassesRoot|CurrentUser|Users|CurrentConfig|PerformanceData"
    r"|DynData)\b"
)


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter
    import tree_sitter_c_sharp

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c_sharp.language()))


def _text(node: Node) -> str:
    return str(node.text.decode("utf-8", "replace"))


def _short(node: Node, limit: int = 70) -> str:
    text = " ".join(_text(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True, slots=True)
class Taint:
    steps: tuple[Step, ...]
    rooted: bool  # the request value starts the string


@dataclass(frozen=True, slots=True)
class Capability:
    """A capability finding (SSC-003-431 ...) the page showed: which, where, and how."""

    kind: str  # sql-console, file-drop, embedded-assembly, sniffer, network, registry, ...
    sink: str
    steps: tuple[Step, ...]
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DotnetAnalysis:
    analysis: Analysis
    capabilities: tuple[Capability, ...] = ()


@dataclass(slots=True)
class _Def:
    value: Node | None
    line: int
    kind: str  # "=", "+=", "foreach", "param"


@dataclass(slots=True)
class _Method:
    scope: int
    name: str
    params: list[str]
    returns: list[Node] = field(default_factory=list)
    #: the line of a ``[WebMethod]``/``[OperationContract]`` attribute: the runtime binds
    #: this method's parameters from the request (0: an ordinary method)
    entry: int = 0


#: attributes that make a method a web entry point whose parameters come from the request
#: (ASMX web services and page methods, WCF operations); compared without "Attribute"
_ENTRY_ATTRIBUTES = frozenset({"webmethod", "operationcontract"})


#: calls that run script text: PowerShell (``AddScript``, ``CreatePipeline``,
#: ``InvokeScript``) and Roslyn scripting (``CSharpScript.EvaluateAsync``/``RunAsync``; those
#: two names are common elsewhere, so only on a ``...Script`` receiver)
_SCRIPT_HOSTS = {
    "addscript": SinkKind.COMMAND, "createpipeline": SinkKind.COMMAND,
    "invokescript": SinkKind.COMMAND, "evaluateasync": SinkKind.CODE, "runasync": SinkKind.CODE,
}  # fmt: skip
#: formatters whose ``Deserialize`` trusts type names in the data (a code-execution primitive)
_FORMATTERS = (
    "binaryformatter", "losformatter", "objectstateformatter", "soapformatter",
    "netdatacontractserializer",
)  # fmt: skip


def _entry_line(method: Node) -> int:
    """The 1-based line of ``method``'s web-entry attribute, else 0."""
    for group in method.children:
        if group.type != "attribute_list":
            continue
        for attr in group.named_children:
            name = attr.child_by_field_name("name")
            if attr.type != "attribute" or name is None:
                continue
            short = _text(name).rsplit(".", 1)[-1].lower().removesuffix("attribute")
            if short in _ENTRY_ATTRIBUTES:
                return int(attr.start_point[0]) + 1
    return 0


def _literal(node: Node) -> bytes | None:
    """The value of a C# string literal node (regular, verbatim or raw), else None."""
    kind = node.type
    raw = node.text
    if kind == "verbatim_string_literal":
        return bytes(raw[2:-1].replace(b'""', b'"'))
    if kind == "raw_string_literal":
        return bytes(raw.strip(b'"'))
    if kind == "string_literal":
        out = bytearray()
        for child in node.children:
            if child.type == "string_literal_content":
                out += child.text
            elif child.type == "escape_sequence":
                out += _unescape(bytes(child.text))
        return bytes(out)
    if kind == "character_literal":
        inner = raw[1:-1]
        return _unescape(bytes(inner)) if inner.startswith(b"\\") else bytes(inner)
    return None


_ESC = {b"n": b"\n", b"t": b"\t", b"r": b"\r", b"0": b"\0", b"\\": b"\\", b'"': b'"', b"'": b"'"}


def _unescape(seq: bytes) -> bytes:
    if len(seq) < 2:
        return seq
    if seq[1:2] in _ESC:
        return _ESC[seq[1:2]]
    if seq[1:2] in (b"u", b"x", b"U"):
        try:
            return chr(int(seq[2:], 16)).encode("utf-8")
        except (ValueError, OverflowError):
            return seq
    return seq


class CSharpAnalyser:
    """One page's C# server code, analysed from the sinks backwards."""

    def __init__(self, code: ServerCode, budget: Budget) -> None:
        self.code = code
        self.budget = budget
        self.source = code.source[:MAX_PARSE_BYTES]
        self.defs: dict[tuple[int, str], list[_Def]] = {}
        self.types: dict[tuple[int, str], str] = {}
        self.methods: dict[str, list[_Method]] = {}
        self.by_scope: dict[int, _Method] = {}
        self.calls: list[tuple[Node, int]] = []
        self.prop_assigns: list[tuple[Node, str, Node, int]] = []  # receiver, prop, value, scope
        self.literals: list[Node] = []
        self.paths: list[FlowPath] = []
        self.caps: list[Capability] = []
        self.sinks: set[str] = set()
        self.sources = 0
        self._memo: dict[tuple[int, str], Taint | None] = {}
        self._busy: set[tuple[int, str]] = set()
        self._call_sites: dict[str, list[tuple[Node, int]]] = {}
        self._tainted_conn: list[Taint] = []
        self._sql_hits: list[tuple[Node, str, Taint, Node | None, int]] = []
        self.root: Node = None
        self.locals: set[tuple[int, str]] = set()

    # -- collection ----------------------------------------------------------------------

    def line(self, node: Node) -> int:
        return self.code.line(int(node.start_point[0]) + 1)

    def step(self, node: Node, label: str | None = None) -> Step:
        return Step(label or _short(node), self.line(node))

    def collect(self, root: Node) -> None:
        stack: list[tuple[Node, int]] = [(root, 0)]
        facts = 0
        while stack:
            node, scope = stack.pop()
            if not self.budget.spend_nodes():
                return
            kind = node.type
            if kind not in _COLLECTED:
                pass
            elif kind in _SCOPE_TYPES:
                scope = int(node.id)
                self._method(node, scope)
            elif kind == "variable_declarator":
                self._declarator(node, scope)
                facts += 1
            elif kind == "assignment_expression":
                self._assignment(node, scope)
                facts += 1
            elif kind == "foreach_statement":
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if left is not None and left.type == "identifier":
                    self.locals.add((scope, _text(left)))
                    self._add((scope, _text(left)), _Def(right, self.line(node), "foreach"))
            elif kind in ("invocation_expression", "object_creation_expression"):
                self.calls.append((node, scope))
                facts += 1
                if kind == "invocation_expression":
                    self._out_buffer(node, scope)
            elif kind in ("return_statement", "arrow_expression_clause"):
                method = self.by_scope.get(scope)
                if method is not None and node.named_child_count:
                    method.returns.append(node.named_children[0])
            elif kind in ("string_literal", "verbatim_string_literal", "raw_string_literal"):
                if node.end_byte - node.start_byte > 16:
                    self.literals.append(node)
                continue
            if facts > _MAX_FACTS:
                self.budget.exhausted = self.budget.exhausted or "too many C# facts"
                return
            if node.child_count:
                stack.extend(zip(reversed(node.children), repeat(scope)))

    def _add(self, key: tuple[int, str], d: _Def) -> None:
        self.defs.setdefault(key, []).append(d)

    def _out_buffer(self, node: Node, scope: int) -> None:
        """``stream.Read(buffer, ...)`` fills ``buffer`` from the stream."""
        fn = node.child_by_field_name("function")
        if self.callee(fn).lower() not in ("read", "readblock", "readasync"):
            return
        recv = self.receiver(fn)
        args = self.args(node)
        if recv is not None and args and args[0].type == "identifier":
            self._add((scope, _text(args[0])), _Def(recv, self.line(node), "+="))

    def _method(self, node: Node, scope: int) -> None:
        name_node = node.child_by_field_name("name")
        params_node = node.child_by_field_name("parameters")
        names: list[str] = []
        if params_node is not None:
            for p in params_node.named_children:
                pname = p.child_by_field_name("name")
                names.append(_text(pname) if pname is not None else "")
                ptype = p.child_by_field_name("type")
                if pname is not None and ptype is not None:
                    self.types[(scope, _text(pname))] = _text(ptype).split(".")[-1].lower()
        name = _text(name_node) if name_node is not None else ""
        entry = _entry_line(node) if node.type == "method_declaration" else 0
        method = _Method(scope, name, names, entry=entry)
        self.methods.setdefault(name, []).append(method)
        self.by_scope[scope] = method
        body = node.child_by_field_name("body")
        if body is not None and body.type == "arrow_expression_clause" and body.named_child_count:
            method.returns.append(body.named_children[0])

    def _declarator(self, node: Node, scope: int) -> None:
        name = node.child_by_field_name("name")
        if name is None:
            return
        value = next(
            (c for c in node.named_children if c != name and c.type != "bracketed_argument_list"),
            None,
        )
        key = (scope, _text(name))
        self.locals.add(key)
        decl = node.parent
        if decl is not None and decl.type == "variable_declaration":
            vtype = decl.child_by_field_name("type")
            if vtype is not None and vtype.type != "implicit_type":
                self.types[key] = _text(vtype).split(".")[-1].lower()
        if value is not None:
            if value.type == "object_creation_expression" and key not in self.types:
                vtype = value.child_by_field_name("type")
                if vtype is not None:
                    self.types[key] = _text(vtype).split(".")[-1].lower()
            self._add(key, _Def(value, self.line(node), "="))

    def _assignment(self, node: Node, scope: int) -> None:
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        if left is None or right is None:
            return
        kind = _text(op) if op is not None else "="
        if left.type == "identifier":
            parent = node.parent
            if parent is not None and parent.type == "initializer_expression":
                creation = parent.parent
                if creation is not None and creation.type == "object_creation_expression":
                    self.prop_assigns.append((creation, _text(left), right, scope))
                    return
                # a nested initializer: ``new Process { StartInfo = { Arguments = x } }``
                outer = creation.child_by_field_name("left") if creation is not None else None
                if creation is not None and creation.type == "assignment_expression" and outer:
                    self.prop_assigns.append((outer, _text(left), right, scope))
                    return
            name = _text(left)
            local = (scope, name) in self.locals or self._is_param((scope, name))
            self._add((scope if local else 0, name), _Def(right, self.line(node), kind))
        elif left.type == "member_access_expression":
            recv = left.child_by_field_name("expression")
            prop = left.child_by_field_name("name")
            if recv is None or prop is None:
                return
            if recv.type in ("this_expression", "this"):
                self._add((0, _text(prop)), _Def(right, self.line(node), kind))
                return
            self.prop_assigns.append((recv, _text(prop), right, scope))
        elif left.type == "element_access_expression":
            base = left.named_children[0] if left.named_child_count else None
            if base is not None and base.type == "identifier":
                self._add((scope, _text(base)), _Def(right, self.line(node), "+="))

    # -- taint ---------------------------------------------------------------------------

    def var_taint(self, scope: int, name: str) -> Taint | None:
        for key in ((scope, name), (0, name)) if scope else ((0, name),):
            if key in self.defs or self._is_param(key):
                result = self._key_taint(key)
                if result is not None:
                    return result
                if key in self.defs:
                    return None
        return None

    def _is_param(self, key: tuple[int, str]) -> bool:
        method = self.by_scope.get(key[0])
        return method is not None and key[1] in method.params

    def _key_taint(self, key: tuple[int, str]) -> Taint | None:
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        result: Taint | None = None
        try:
            for d in self.defs.get(key, [])[:64]:
                chain = self.taint(d.value, key[0]) if d.value is not None else None
                if chain is not None:
                    label = f"{key[1]} ({'foreach' if d.kind == 'foreach' else d.kind})"
                    rooted = chain.rooted and d.kind != "+="
                    found = Taint((*chain.steps, Step(label, d.line))[-MAX_STEPS:], rooted)
                    result = result or found
                    if rooted:
                        result = found
                        break
            if (result is None or not result.rooted) and self._is_param(key):
                result = self._param_taint(key) or result
        finally:
            self._busy.discard(key)
        self._memo[key] = result
        return result

    def _sites(self, name: str) -> list[tuple[Node, int]]:
        if not self._call_sites:
            for node, scope in self.calls:
                if node.type != "invocation_expression":
                    continue
                fn = node.child_by_field_name("function")
                callee = self.callee(fn)
                if callee:
                    self._call_sites.setdefault(callee, []).append((node, scope))
        return self._call_sites.get(name, [])

    def _param_taint(self, key: tuple[int, str]) -> Taint | None:
        method = self.by_scope[key[0]]
        if method.entry:
            self.sources += 1
            label = f"parameter {key[1]} of web method {method.name}() (bound from the request)"
            return Taint((Step(label, self.code.line(method.entry)),), True)
        index = method.params.index(key[1])
        best: Taint | None = None
        for node, scope in self._sites(method.name)[:64]:
            args = self.args(node)
            if index < len(args):
                chain = self.taint(args[index], scope)
                if chain is not None:
                    label = f"parameter {key[1]} of {method.name}()"
                    found = Taint((*chain.steps, self.step(node, label))[-MAX_STEPS:], chain.rooted)
                    if chain.rooted:
                        return found
                    best = best or found
        return best

    @staticmethod
    def callee(fn: Node | None) -> str:
        if fn is None:
            return ""
        if fn.type == "identifier":
            return _text(fn)
        if fn.type == "generic_name":
            return _text(fn.named_children[0]) if fn.named_child_count else ""
        if fn.type == "member_access_expression":
            name = fn.child_by_field_name("name")
            if name is None:
                return ""
            if name.type == "generic_name" and name.named_child_count:
                return _text(name.named_children[0])
            return _text(name)
        return ""

    @staticmethod
    def receiver(fn: Node | None) -> Node | None:
        if fn is not None and fn.type == "member_access_expression":
            return fn.child_by_field_name("expression")
        return None

    @staticmethod
    def args(node: Node) -> list[Node]:
        arguments = node.child_by_field_name("arguments")
        if arguments is None:
            return []
        return [
            a.named_children[-1] if a.type == "argument" and a.named_child_count else a
            for a in arguments.named_children
            if a.type != "comment"
        ]

    def is_request(self, node: Node | None) -> bool:
        """``Request``, ``x.Request`` (HttpContext.Current.Request, Page.Request, ...)."""
        if node is None:
            return False
        if node.type == "identifier":
            return _text(node) == "Request"
        if node.type == "member_access_expression":
            name = node.child_by_field_name("name")
            return name is not None and _text(name) == "Request"
        return False

    def _control(self, node: Node | None) -> str | None:
        if node is None:
            return None
        if node.type == "member_access_expression":
            recv = node.child_by_field_name("expression")
            if recv is None or recv.type not in ("this_expression", "this"):
                return None
            node = node.child_by_field_name("name")
        if node is not None and node.type == "identifier":
            name = _text(node).lower()
            if name in self.code.controls:
                return name
        return None

    def _src(self, node: Node, label: str | None = None) -> Taint:
        self.sources += 1
        return Taint((self.step(node, label),), True)

    def taint(self, node: Node | None, scope: int, depth: int = 0) -> Taint | None:
        """How request input reaches ``node``, or None."""
        if node is None or depth > _MAX_DEPTH or not self.budget.spend_nodes():
            return None
        kind = node.type
        if kind == "identifier":
            name = _text(node)
            if name.lower() in self.code.controls and (scope, name) not in self.defs:
                return None  # the control object itself; its .Text is the value
            return self.var_taint(scope, name)
        if kind == "member_access_expression":
            return self._member_taint(node, scope, depth)
        if kind == "element_access_expression":
            base = node.named_children[0] if node.named_child_count else None
            if self.is_request(base):
                return self._src(node)
            if base is not None and base.type == "member_access_expression":
                recv = base.child_by_field_name("expression")
                prop = base.child_by_field_name("name")
                if self.is_request(recv) and prop is not None:
                    pname = _text(prop).lower()
                    if pname == "servervariables":
                        key = self._const(node.named_children[-1], scope)
                        if key is None or not _SERVER_VARS_TAINTED.match(key.decode("latin-1")):
                            return None
                    if pname in REQUEST_COLLECTIONS:
                        return self._src(node)
            return self.taint(base, scope, depth + 1)
        if kind == "invocation_expression":
            return self._call_taint(node, scope, depth)
        if kind == "object_creation_expression":
            for arg in self.args(node):
                chain = self.taint(arg, scope, depth + 1)
                if chain is not None:
                    return Taint((*chain.steps, self.step(node))[-MAX_STEPS:], chain.rooted)
            return None
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is None or _text(op) not in ("+", "??"):
                return None
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            lt = self.taint(left, scope, depth + 1)
            if lt is not None:
                return Taint(lt.steps, lt.rooted)
            rt = self.taint(right, scope, depth + 1)
            if rt is not None:
                empty = left is not None and _literal(left) == b""
                return Taint(rt.steps, rt.rooted and (empty or _text(op) == "??"))
            return None
        if kind == "assignment_expression":
            return self.taint(node.child_by_field_name("right"), scope, depth + 1)
        if kind in _PASS_TYPES:
            first = True
            for child in node.named_children:
                if kind == "cast_expression" and child == node.child_by_field_name("type"):
                    continue
                chain = self.taint(child, scope, depth + 1)
                if chain is not None:
                    if kind == "interpolated_string_expression" and not first:
                        return Taint(chain.steps, False)
                    return chain
                if child.type not in ("interpolation_start", "interpolation_quote"):
                    first = False
            return None
        return None

    def _member_taint(self, node: Node, scope: int, depth: int) -> Taint | None:
        recv = node.child_by_field_name("expression")
        prop = node.child_by_field_name("name")
        if recv is None or prop is None:
            return None
        pname = _text(prop).lower()
        if self.is_request(recv):
            if pname in REQUEST_COLLECTIONS and pname != "servervariables":
                return self._src(node)
            return None
        if recv.type in ("this_expression", "this"):
            return self.var_taint(0, _text(prop))
        control = self._control(recv)
        if control is not None:
            if pname in CONTROL_VALUES:
                return self._src(node, f"{_short(node)} (posted value of server control)")
            return None
        if pname in ("length", "count", "canwrite", "exists", "haskeys"):
            return None
        chain = self.taint(recv, scope, depth + 1)
        if chain is not None:
            return Taint((*chain.steps, self.step(node))[-MAX_STEPS:], chain.rooted)
        return None

    def _call_taint(self, node: Node, scope: int, depth: int) -> Taint | None:
        fn = node.child_by_field_name("function")
        name = self.callee(fn)
        lname = name.lower()
        recv = self.receiver(fn)
        if (
            recv is not None
            and lname in ("get", "getvalues", "binaryread")
            and (
                self.is_request(recv)
                or (
                    recv.type == "member_access_expression"
                    and self.is_request(recv.child_by_field_name("expression"))
                )
            )
        ):
            return self._src(node)
        if lname in ("binaryread", "getbufferlessinputstream") and self.is_request(recv):
            return self._src(node)
        if lname in SANITIZERS:
            return None
        if recv is None and name in self.methods:
            for method in self.methods[name][:8]:
                for ret in method.returns[:16]:
                    chain = self.taint(ret, method.scope, depth + 1)
                    if chain is not None:
                        return Taint(
                            (*chain.steps, self.step(node, f"{_short(node)} returns it"))[
                                -MAX_STEPS:
                            ],
                            chain.rooted,
                        )
            return None
        args = self.args(node)
        if recv is not None:
            chain = self.taint(recv, scope, depth + 1)
            if chain is not None:
                keep = lname in _ROOT_KEEPING
                return Taint((*chain.steps, self.step(node))[-MAX_STEPS:], chain.rooted and keep)
        for i, arg in enumerate(args):
            chain = self.taint(arg, scope, depth + 1)
            if chain is not None:
                keep = lname in _ROOT_KEEPING and i == 0 and lname != "format"
                return Taint((*chain.steps, self.step(node))[-MAX_STEPS:], chain.rooted and keep)
        return None

    # -- constants -----------------------------------------------------------------------

    def _const(self, node: Node | None, scope: int, depth: int = 0) -> bytes | None:
        if node is None or depth > 24 or not self.budget.spend_nodes():
            return None
        lit = _literal(node)
        if lit is not None:
            return lit
        kind = node.type
        if kind == "argument" and node.named_child_count:
            return self._const(node.named_children[-1], scope, depth + 1)
        if kind == "parenthesized_expression" and node.named_child_count:
            return self._const(node.named_children[0], scope, depth + 1)
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is None or _text(op) != "+":
                return None
            left = self._const(node.child_by_field_name("left"), scope, depth + 1)
            right = self._const(node.child_by_field_name("right"), scope, depth + 1)
            if left is None or right is None or len(left) + len(right) > MAX_VALUE_BYTES:
                return None
            return left + right
        if kind == "identifier":
            defs = self.defs.get((scope, _text(node))) or self.defs.get((0, _text(node)))
            if defs and len(defs) == 1 and defs[0].kind == "=":
                return self._const(defs[0].value, scope, depth + 1)
            return None
        if kind == "invocation_expression":
            fn = node.child_by_field_name("function")
            lname = self.callee(fn).lower()
            args = self.args(node)
            if lname in ("frombase64string", "getstring", "urldecode", "htmldecode") and args:
                inner = self._const(args[0], scope, depth + 1)
                if inner is None:
                    return None
                out = deob.b64decode(inner) if lname == "frombase64string" else inner
                if lname == "urldecode" and out is not None:
                    out = deob.urldecode(out)
                if out is not None and self.budget.spend_bytes(len(out)):
                    return out
        return None

    # -- sinks ---------------------------------------------------------------------------

    def path(self, kind: SinkKind, sink: str, chain: Taint, node: Node) -> None:
        self.sinks.add(sink)
        steps = (*chain.steps, self.step(node))[-MAX_STEPS:]
        self.paths.append(FlowPath(kind, sink, steps))

    def cap(self, kind: str, sink: str, chain: Taint | None, node: Node, detail: str = "") -> None:
        steps = (*(chain.steps if chain else ()), self.step(node))[-MAX_STEPS:]
        self.caps.append(Capability(kind, sink, steps, detail))

    def first_taint(self, nodes: list[Node], scope: int) -> Taint | None:
        for n in nodes:
            chain = self.taint(n, scope)
            if chain is not None:
                return chain
        return None

    def check(self) -> None:
        writers: list[tuple[Node, int, Taint]] = []
        for node, scope in self.calls:
            if self.budget.exhausted:
                return
            if node.type == "object_creation_expression":
                self._creation(node, scope, writers)
            else:
                self._invocation(node, scope, writers)
        for recv, prop, value, scope in self.prop_assigns:
            if self.budget.exhausted:
                return
            self._property(recv, prop, value, scope)
        self._writer_contents(writers)
        self._whole_file()

    def _type_name(self, node: Node) -> str:
        t = node.child_by_field_name("type")
        if t is None:
            return ""
        if t.type == "generic_name" and t.named_child_count:
            return _text(t.named_children[0])
        return _text(t).split(".")[-1]

    def _creation(self, node: Node, scope: int, writers: list[tuple[Node, int, Taint]]) -> None:
        tname = self._type_name(node)
        lname = tname.lower()
        args = self.args(node)
        if lname == "processstartinfo":
            self.sinks.add("ProcessStartInfo")
            chain = self.first_taint(args, scope)
            if chain is not None:
                self.path(SinkKind.COMMAND, "ProcessStartInfo", chain, node)
        elif lname in _WRITER_TYPES and args:
            chain = self.taint(args[0], scope)
            if chain is not None:
                writers.append((node, scope, chain))
        elif _SQL_COMMANDS.match(tname) and args:
            self.sinks.add(tname)
            self._sql(node, args[0], args[1] if len(args) > 1 else None, scope, tname)
        elif lname == "socket" and any("Raw" in _text(a) for a in args):
            self.cap("sniffer", "raw socket", None, node, "a raw socket (SocketType.Raw)")
        elif lname in ("tcpclient", "udpclient") and args:
            chain = self.taint(args[0], scope)
            if chain is not None:
                self.cap("network", f"new {tname}", chain, node, "request-chosen host")
        elif lname in ("directoryinfo", "fileinfo") and args:
            pass  # handled when a method of the object is called
        elif lname in ("jscriptcodeprovider", "csharpcodeprovider", "vbcodeprovider"):
            self.sinks.add(tname)

    def _invocation(self, node: Node, scope: int, writers: list[tuple[Node, int, Taint]]) -> None:
        fn = node.child_by_field_name("function")
        name = self.callee(fn)
        lname = name.lower()
        recv = self.receiver(fn)
        rtext = _text(recv) if recv is not None else ""
        args = self.args(node)
        if lname == "start" and (rtext.endswith("Process") or self._typed(recv, scope, "process")):
            self.sinks.add("Process.Start")
            chain = self.first_taint(args, scope)
            if chain is not None:
                self.path(SinkKind.COMMAND, "Process.Start", chain, node)
            return
        if lname in ("writeline", "write") and rtext.endswith("StandardInput") and args:
            chain = self.taint(args[0], scope)
            if chain is not None:
                self.path(SinkKind.COMMAND, "a shell's StandardInput", chain, node)
            return
        if lname == "invokemethod" and args and b"Win32_Process" in self.source:
            chain = self.first_taint(args, scope)
            if chain is not None:
                self.path(SinkKind.COMMAND, "WMI Win32_Process.Create", chain, node)
            return
        if lname in ("load", "loadfrom", "loadfile", "unsafeloadfrom") and (
            rtext.endswith("Assembly") or rtext.endswith("Domain")
        ):
            self.sinks.add("Assembly.Load")
            chain = self.first_taint(args[:1], scope)
            if chain is not None:
                self.path(SinkKind.CODE, f"Assembly.{name}", chain, node)
            elif args and self._embedded_pe(args[0], scope):
                self.cap("embedded-assembly", f"Assembly.{name}", None, node,
                         "an assembly embedded in the page as an encoded blob")  # fmt: skip
            return
        if lname == "shell" and rtext.endswith("Interaction") and args:
            self._arg_sink(node, scope, args[0], SinkKind.COMMAND, "Interaction.Shell")
            return
        if lname == "load" and args and self._xslt_scripts(recv, args, scope):
            # a stylesheet from the request whose msxsl:script blocks are compiled and run
            self._arg_sink(node, scope, args[0], SinkKind.CODE, "XslCompiledTransform.Load",
                           "XSLT stylesheet with scripts from the request")  # fmt: skip
            return
        if lname == "copy" and rtext.endswith("Marshal") and args and self._native_code():
            chain = self.taint(args[0], scope)
            if chain is not None:
                self.path(SinkKind.CODE, "request bytes copied into executable memory",
                          chain, node)  # fmt: skip
            return
        if lname.startswith("compileassemblyfrom") and args:
            self.sinks.add(name)
            chain = self.first_taint(args[1:], scope)
            if chain is not None:
                self.path(SinkKind.CODE, name, chain, node)
            return
        roslyn = lname in ("evaluateasync", "runasync")
        if lname in _SCRIPT_HOSTS and args and (not roslyn or rtext.endswith("Script")):
            # PowerShell runspaces and the Roslyn scripting API run the text they are given
            self._arg_sink(node, scope, args[0], _SCRIPT_HOSTS[lname], name)
            return
        if lname == "deserialize" and args and self._formatter(recv, scope):
            self._arg_sink(node, scope, args[0], SinkKind.CODE,
                           f"{rtext.rsplit('.', 1)[-1] or 'formatter'}.Deserialize",
                           "Deserialize of request data (gadget chains run code)")  # fmt: skip
            return
        if lname in ("parse", "load") and rtext.endswith("XamlReader") and args:
            # XAML instantiates the types it names (ObjectDataProvider calls any method)
            self._arg_sink(node, scope, args[0], SinkKind.CODE, "XamlReader",
                           "XamlReader of request data (XAML creates objects)")  # fmt: skip
            return
        if lname.startswith("deserializeobject") and args and self._typed_json():
            self._arg_sink(node, scope, args[0], SinkKind.CODE, "JsonConvert.DeserializeObject",
                           "Json.NET TypeNameHandling deserialisation of request data "
                           "(gadget chains run code)")  # fmt: skip
            return
        if lname == "invoke" and args and self._reflected_start(recv, scope):
            # typeof(Process).GetMethod("Start").Invoke(null, new object[] { ..request.. })
            self.sinks.add("Process.Start")
            chain = self.first_taint(args[1:2], scope)
            if chain is not None:
                self.path(SinkKind.COMMAND, "Process.Start through reflection", chain, node)
            return
        if lname in ("downloadfile", "downloadfileasync", "downloadfiletaskasync") and (
            len(args) >= 2
        ):
            src = self.taint(args[0], scope)
            dst = self.taint(args[1], scope)
            if src is not None and dst is not None:
                # a remote file the request chooses, saved under a name the request chooses
                self._write(node, scope, f"WebClient.{name}", dst, src, args[1])
            return
        if lname in ("jscriptevaluate", "eval") and args:
            self._arg_sink(node, scope, args[0], SinkKind.CODE, name)
            return
        if lname in (
            "gettype",
            "createinstance",
            "getmethod",
            "invokemember",
            "createinstancefrom",
        ):
            if (lname != "gettype" or rtext == "Type") and args:
                chain = self.taint(args[0], scope)
                if chain is not None:
                    self.path(SinkKind.CODE, f"reflection {name} with a request-chosen name",
                              chain, node)  # fmt: skip
            return
        if lname in _FILE_WRITE_CALLS and rtext.endswith("File") and len(args) >= 2:
            p = self.taint(args[0], scope)
            c = self.taint(args[1], scope)
            if p is not None and c is not None:
                self._write(node, scope, f"File.{name}", p, c, args[0])
            return
        if lname == "saveas" and args:
            p = self.taint(args[0], scope)
            if p is not None:
                c = self.taint(recv, scope) if recv is not None else None
                content = c or Taint((self.step(node, "uploaded file"),), True)
                self._write(node, scope, "SaveAs", p, content, args[0])
            return
        if (lname in _WRITER_OPENERS and rtext.endswith("File")) and args:
            chain = self.taint(args[0], scope)
            if chain is not None:
                writers.append((node, scope, chain))
                if lname == "create" and chain.rooted:
                    self.cap("fs-access", f"File.{name}", chain, node,
                             "creates a file at a path the request chooses")  # fmt: skip
            return
        if lname in ("createtext", "appendtext", "openwrite", "create") and recv is not None:
            chain = self.taint(recv, scope)
            if chain is not None and self._typed(recv, scope, "fileinfo"):
                writers.append((node, scope, chain))
                return
        if lname in ("copy", "move") and rtext.endswith("File") and len(args) >= 2:
            src = self.taint(args[0], scope)
            dst = self.taint(args[1], scope)
            if src is not None and dst is not None:
                self._write(node, scope, f"File.{name}", dst, src, args[1])
                return
        if lname == "opensubkey" and args:
            chain = self.taint(args[0], scope)
            if chain is not None:
                self.cap("registry", "RegistryKey.OpenSubKey", chain, node,
                         "opens a registry key the request names")  # fmt: skip
            return
        if lname in ("connect", "beginconnect", "connectasync") and args:
            chain = self.first_taint(args[:2], scope)
            if chain is not None:
                self.cap("network", name, chain, node, "connects to a host the request chooses")
            return
        if lname in _FS_CALLS:
            target = args[0] if args and _FS_RECEIVERS.search(rtext) else recv
            if target is None:
                return
            if (
                target is recv
                and not self._typed(recv, scope, "directoryinfo", "fileinfo")
                and not (recv is not None and recv.type == "object_creation_expression")
            ):
                return
            chain = self.taint(target, scope)
            if chain is not None and chain.rooted:
                self.cap("fs-access", f"{rtext.split('.')[-1] or name}.{name}", chain, node,
                         "file-system access at a path taken whole from the request")  # fmt: skip

    def _xslt_scripts(self, recv: Node | None, args: list[Node], scope: int) -> bool:
        """``Load`` of an XSLT processor that runs embedded scripts: the old XslTransform
        always did; XslCompiledTransform does with ``XsltSettings(_, true)``,
        ``XsltSettings.TrustedXslt`` or ``EnableScript = true``."""
        if self._typed(recv, scope, "xsltransform"):
            return True
        if not self._typed(recv, scope, "xslcompiledtransform"):
            return False
        settings = " ".join(_text(a) for a in args[1:])
        if "Settings" in settings and not re.search(r"XsltSettings\s*\(|TrustedXslt", settings):
            settings = self.source.decode("utf-8", "replace")  # a settings variable
        return (
            re.search(r"XsltSettings\s*\(\s*\w+\s*,\s*true|TrustedXslt|EnableScript\s*=\s*true",
                      settings) is not None
        )  # fmt: skip

    def _native_code(self) -> bool:
        """The page allocates or re-protects native memory and runs it: P/Invoke of
        VirtualAlloc/VirtualProtect with CreateThread or a delegate for a raw pointer."""
        src = self.source
        return (b"VirtualAlloc" in src or b"VirtualProtect" in src) and (
            b"CreateThread" in src or b"GetDelegateForFunctionPointer" in src
            or b"QueueUserAPC" in src or b"EnumWindows" in src
        )  # fmt: skip

    def _formatter(self, recv: Node | None, scope: int) -> bool:
        """``recv`` is one of the formatters that deserialise type information."""
        if recv is None:
            return False
        if recv.type == "object_creation_expression":
            vtype = recv.child_by_field_name("type")
            return vtype is not None and _text(vtype).split(".")[-1].lower() in _FORMATTERS
        return self._typed(recv, scope, *_FORMATTERS)

    def _arg_sink(
        self, node: Node, scope: int, arg: Node, kind: SinkKind, sink: str, label: str = ""
    ) -> None:
        """A call that runs what ``arg`` holds: ``sink`` is recorded, and a path reported
        (as ``label``, else the sink's name) when request input reaches ``arg``."""
        self.sinks.add(sink)
        chain = self.taint(arg, scope)
        if chain is not None:
            self.path(kind, label or sink, chain, node)

    def _typed_json(self) -> bool:
        """Json.NET is set to honour type names in the data (any setting but ``None``)."""
        return bool(_TYPE_NAME_HANDLING.search(self.source))

    def _reflected_start(self, recv: Node | None, scope: int) -> bool:
        """``recv`` is ``<Process type>.GetMethod("Start"...)`` (the type by ``typeof`` or
        ``Type.GetType``), directly or through a local holding it."""
        if recv is None:
            return False
        text = _text(recv)
        if recv.type == "identifier":
            defs = self.defs.get((scope, text)) or self.defs.get((0, text)) or []
            text = next((_text(d.value) for d in defs if d.value is not None), text)
        if not _GET_START.search(text):
            return False
        return bool(_PROCESS_TYPE.search(self.source))

    def _typed(self, node: Node | None, scope: int, *types: str) -> bool:
        if node is None:
            return False
        if node.type == "object_creation_expression":
            return self._type_name(node).lower() in types
        if node.type == "identifier":
            name = _text(node)
            t = self.types.get((scope, name)) or self.types.get((0, name))
            return t in types
        return False

    def _embedded_pe(self, node: Node, scope: int) -> bool:
        value = self._const(node, scope)
        if value is not None and value[:2] == b"MZ":
            return True
        text = _text(node)
        if node.type == "identifier":
            defs = self.defs.get((scope, text)) or self.defs.get((0, text)) or []
            text = " ".join(_text(d.value) for d in defs[:4] if d.value is not None)
        return bool(re.search(r"TVqQ|0x4[dD]\s*,\s*0x5[aA]\s*,|\b77\s*,\s*90\s*,", text[:4096]))

    def _property(self, recv: Node, prop: str, value: Node, scope: int) -> None:
        lprop = prop.lower()
        if lprop in ("filename", "arguments"):
            is_psi = (
                _text(recv).endswith("StartInfo")
                or self._typed(recv, scope, "processstartinfo")
                or (recv.type == "object_creation_expression"
                    and self._type_name(recv).lower() == "processstartinfo")
            )  # fmt: skip
            if is_psi:
                chain = self.taint(value, scope)
                if chain is not None:
                    self.path(SinkKind.COMMAND, f"ProcessStartInfo.{prop}", chain, value)
        elif lprop == "commandtext":
            self._sql(value, value, None, scope, "CommandText")
        elif lprop == "selectcommand":
            pass
        elif lprop == "connectionstring":
            chain = self.taint(value, scope)
            if chain is not None:
                self._tainted_conn.append(chain)

    def _sql(self, node: Node, text: Node, conn: Node | None, scope: int, sink: str) -> None:
        chain = self.taint(text, scope)
        if chain is None:
            return
        self._sql_hits.append((node, sink, chain, conn, scope))

    def _write(self, node: Node, scope: int, sink: str, path: Taint, content: Taint,
               path_node: Node) -> None:  # fmt: skip
        self.sinks.add(sink)
        web_root = bool(_WEB_ROOT.search(self._closure_text(path_node, scope)))
        checked = bool(_TYPE_CHECK.search(self.source.decode("utf-8", "replace")))
        if path.rooted:
            self.cap("file-drop", sink, content, node,
                     "the request chooses the whole path and the content")  # fmt: skip
        elif web_root and not checked:
            why = "request-named file written under the web root, no file-type check"
            self.cap("file-drop", sink, content, node, why)
        else:
            steps = (*content.steps, self.step(node))[-MAX_STEPS:]
            self.paths.append(FlowPath(SinkKind.FILE_WRITE, sink, steps))

    def _closure_text(self, node: Node, scope: int, depth: int = 0) -> str:
        """The text of an expression and of the definitions of the names it uses."""
        text = _text(node)[:2000]
        if depth >= 3:
            return text
        parts = [text]
        for ident in re.findall(r"\b[A-Za-z_]\w*\b", text)[:24]:
            for d in (self.defs.get((scope, ident)) or self.defs.get((0, ident)) or [])[:4]:
                if d.value is not None:
                    parts.append(self._closure_text(d.value, scope, depth + 1))
        return " ".join(parts)

    def _writer_contents(self, writers: list[tuple[Node, int, Taint]]) -> None:
        """A writer opened on a request path; its Write calls with request content."""
        for opener, scope, path in writers:
            holder = self._holder(opener)
            content: Taint | None = None
            write_node = opener
            for node, s in self.calls:
                if node.type != "invocation_expression":
                    continue
                fn = node.child_by_field_name("function")
                if self.callee(fn).lower() not in ("write", "writeline", "writeasync"):
                    continue
                recv = self.receiver(fn)
                if recv is None:
                    continue
                if recv == opener or (holder and _text(recv) == holder and s == scope):
                    content = self.first_taint(self.args(node)[:1], s)
                    if content is not None:
                        write_node = node
                        break
            if content is None and holder:
                # a stream handed to a writer (new StreamWriter(fs), new BinaryWriter(fs))
                for node, s in self.calls:
                    if node.type == "object_creation_expression" and s == scope:
                        args = self.args(node)
                        if args and _text(args[0]) == holder:
                            sub = self._holder(node)
                            for call, s2 in self.calls:
                                fn = call.child_by_field_name("function")
                                rv = self.receiver(fn)
                                if (
                                    sub
                                    and rv is not None
                                    and _text(rv) == sub
                                    and self.callee(fn).lower() in ("write", "writeline")
                                ):
                                    content = self.first_taint(self.args(call)[:1], s2)
                                    if content is not None:
                                        write_node = call
                                        break  # fmt: skip
            if content is not None:
                path_node = self.args(opener)[0] if self.args(opener) else opener
                self._write(write_node, scope, "file writer", path, content, path_node)

    @staticmethod
    def _holder(node: Node) -> str:
        parent = node.parent
        hops = 0
        while parent is not None and hops < 4:
            if parent.type == "variable_declarator":
                name = parent.child_by_field_name("name")
                return _text(name) if name is not None else ""
            if parent.type == "assignment_expression":
                left = parent.child_by_field_name("left")
                return _text(left) if left is not None else ""
            parent = parent.parent
            hops += 1
        return ""

    def _whole_file(self) -> None:
        text = self.source.decode("utf-8", "replace")
        hives = set(_HIVES.findall(text))
        if len(hives) >= 3 and "GetSubKeyNames" in text and "OpenSubKey" in text:
            self.caps.append(
                Capability("registry", "registry crawl", (Step("walks " + ", ".join(
                    sorted(hives)[:4]) + " with GetSubKeyNames/OpenSubKey",
                    self._line_of(text, "GetSubKeyNames")),),
                    "enumerates whole registry hives")
            )  # fmt: skip
        raw_socket = any(c.kind == "sniffer" for c in self.caps)
        if raw_socket and not re.search(r"IOControl|ReceiveAll|SIO_RCVALL|0x98000001", text):
            self.caps = [c for c in self.caps if c.kind != "sniffer"]
        for lit in self.literals[:256]:
            value = _literal(lit)
            if value is None or len(value) < 8:
                continue
            decoded = deob.b64decode(value) if re.fullmatch(rb"[A-Za-z0-9+/=\s]+", value) else None
            if decoded and _REQUEST_CODE.search(decoded):
                self.caps.append(
                    Capability("encoded-request", "encoded literal",
                               (Step(f"base64 literal decodes to: {decoded[:60]!r}",
                                     self.line(lit)),),
                               "request-reading code hidden in an encoded string")
                )  # fmt: skip
                break
        if self._sql_hits:
            self._sql_consoles()

    def _line_of(self, text: str, needle: str) -> int:
        at = text.find(needle)
        return self.code.line(text.count("\n", 0, max(at, 0)) + 1)

    def _sql_consoles(self) -> None:
        """SQL text from the request: the whole statement, or any part when the connection
        (server, credentials) also comes from the request."""
        conn_tainted = bool(self._tainted_conn)
        for node, sink, chain, conn, scope in self._sql_hits:
            conn_chain = self.taint(conn, scope) if conn is not None else None
            if conn is not None and conn_chain is None and conn.type == "identifier":
                conn_chain = self._conn_of(conn, scope)
            if chain.rooted:
                self.cap("sql-console", sink, chain, node, "the whole SQL statement comes "
                         "from the request")  # fmt: skip
                return
            if conn_chain is not None or conn_tainted:
                self.cap("sql-console", sink, chain, node, "SQL built from the request, sent "
                         "to a server and credentials the request chooses")  # fmt: skip
                return

    def _conn_of(self, conn: Node, scope: int) -> Taint | None:
        for d in (self.defs.get((scope, _text(conn))) or self.defs.get((0, _text(conn))) or [])[:4]:
            if d.value is not None and d.value.type == "object_creation_expression":
                args = self.args(d.value)
                if args:
                    return self.taint(args[0], scope)
        return None


def _loader_stub(code: ServerCode, root: Node) -> Capability | None:
    """The page's only server code constructs a type from an assembly of its own.

    A page that does nothing but instantiate an external class in a field initializer hands
    every request to compiled code in bin/ (where the real shell lives).
    """
    if code.code_blocks or code.script_blocks != 1 or code.markup or len(code.source) > 600:
        return None
    cls = root.named_children[0] if root.named_child_count else None
    body = cls.child_by_field_name("body") if cls is not None else None
    if body is None:
        return None
    members = [m for m in body.named_children if m.type not in ("comment",)]
    fields = [m for m in members if m.type == "field_declaration"]
    others = [m for m in members if m.type not in ("field_declaration",)]
    if len(fields) != 1 or any(m.type != "method_declaration" for m in others) or len(others) > 1:
        return None
    creation = next(_descend(fields[0], "object_creation_expression"), None)
    if creation is None:
        return None
    t = creation.child_by_field_name("type")
    tname = _text(t) if t is not None else ""
    if "." not in tname or tname.startswith(("System.", "Microsoft.")):
        return None
    arguments = creation.child_by_field_name("arguments")
    if arguments is None or not any(
        a.named_child_count and a.named_children[0].type == "string_literal"
        for a in arguments.named_children
    ):
        return None
    line = code.line(int(creation.start_point[0]) + 1)
    return Capability(
        "loader-stub", f"new {tname}", (Step(_short(creation), line),),
        "the page only constructs a class from a non-framework assembly",
    )  # fmt: skip


def _descend(node: Node, kind: str, limit: int = 200) -> Iterator[Node]:
    stack = [node]
    seen = 0
    while stack and seen < limit:
        n = stack.pop()
        seen += 1
        if n.type == kind:
            yield n
        stack.extend(reversed(n.children))


def analyse_csharp(code: ServerCode, budget: Budget | None = None) -> DotnetAnalysis:
    """Request-input paths and capabilities in a page's C# server code."""
    budget = budget or Budget()
    analyser = CSharpAnalyser(code, budget)
    tree = parse_bounded(_parser(), analyser.source)
    if tree is None:
        budget.exhausted = f"parse took longer than {MAX_PARSE_SECONDS:g} CPU-s"
        return DotnetAnalysis(Analysis(language="aspx", bounded=budget.exhausted), ())
    analyser.root = tree.root_node
    analyser.collect(tree.root_node)
    analyser.check()
    caps = list(analyser.caps)
    stub = _loader_stub(code, tree.root_node)
    if stub is not None:
        caps.append(stub)
    return DotnetAnalysis(
        Analysis(
            language="aspx",
            paths=tuple(analyser.paths),
            sinks=tuple(sorted(analyser.sinks)),
            sources=analyser.sources,
            bounded=budget.exhausted,
        ),
        tuple(caps),
    )
