"""Python CGI and WSGI scripts: request input reaching code or command execution.

Parsed with the standard library's ``ast`` (the reference grammar of the running Python, so
no third-party parser; nothing is ever executed). Python 2 scripts the parser rejects get a
line-based fallback over the same source and sink names.

Sources: ``cgi.FieldStorage()`` objects (``getvalue``/``getfirst``/``getlist``, ``form[k]``,
``.value``), CGI environment variables the client sets (``QUERY_STRING``, ``HTTP_*``,
``REQUEST_URI``, ``PATH_INFO``, read through ``os.environ``/``os.getenv``), the request body
on ``sys.stdin``, the request objects of Flask, Django and Bottle (``request.args``,
``.form``, ``.values``, ``.cookies``, ``.headers``, ``.data``, ``.json``, ``.get_json()``,
``.GET``, ``.POST``, ``.body``, ``.query``, ``.params``), a WSGI ``environ`` argument's
client-set keys and ``wsgi.input``, and data received on a socket the script opened.
Taint is tracked by name per function (flow-insensitive), through assignments, unpacking,
``for``/``with`` targets, operators, f-strings, subscripts, attributes and calls (a call
with a tainted argument or receiver returns tainted data, except the sanitisers below),
and into a function's parameters from its call sites.

Sinks: code (``eval``, ``exec``, ``execfile``, ``compile``, ``__import__``,
``importlib.import_module``, ``pickle``/``marshal`` ``loads``, ``yaml.load`` without a safe
loader) and commands (``os.system``, ``os.popen*``, ``os.exec*``, ``os.spawn*``,
``subprocess`` ``call``/``run``/``Popen``/``check_output``/``check_call``/``getoutput``/
``getstatusoutput``, ``commands.getoutput``, ``pty.spawn``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from sscguard.detect.webshell.flow import (
    MAX_STEPS,
    Analysis,
    Budget,
    FlowPath,
    SinkKind,
    Step,
)

PYTHON_EXTS = {".py", ".pyw", ".wsgi"}
_SHEBANG = re.compile(rb"#![^\n]{0,80}python")
_CGI_ENV = re.compile(r"^(QUERY_STRING|HTTP_\w+|REQUEST_URI|PATH_INFO|PATH_TRANSLATED)$")
_REQUEST_ATTRS = {
    "args", "form", "values", "cookies", "headers", "data", "json", "get_json", "files",
    "GET", "POST", "body", "query", "params", "query_string", "stream", "get_data",
    "COOKIES", "META", "FILES",
}  # fmt: skip
_REQUEST_NAMES = {"request", "req"}
_FORM_METHODS = {"getvalue", "getfirst", "getlist"}
_SANITIZERS = {
    "int", "float", "bool", "len", "quote", "escape", "shlex.quote", "pipes.quote",
    "html.escape", "cgi.escape", "isinstance", "hash", "abs", "round", "hexdigest",
    "secure_filename", "basename", "startswith", "endswith", "isdigit", "isalnum",
}  # fmt: skip
CODE_SINKS = {
    "eval", "exec", "execfile", "compile", "__import__", "importlib.import_module",
    "pickle.loads", "cPickle.loads", "marshal.loads", "dill.loads",
}  # fmt: skip
COMMAND_SINKS = {
    "os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "os.execl", "os.execle",
    "os.execlp", "os.execv", "os.execve", "os.execvp", "os.execvpe", "os.spawnl",
    "os.spawnlp", "os.spawnv", "os.spawnvp", "subprocess.call", "subprocess.run",
    "subprocess.Popen", "subprocess.check_output", "subprocess.check_call",
    "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput",
    "commands.getstatusoutput", "pty.spawn", "popen2.popen2", "platform.popen",
}  # fmt: skip
#: short names a ``from os import system`` (or ``from subprocess import *``) brings in
_SHORT_SINKS = {name.rsplit(".", 1)[-1]: name for name in COMMAND_SINKS | CODE_SINKS}
#: the script answers HTTP requests itself (a CGI script), so its stdin is a request body
_CGI_MARKERS = re.compile(r"(?i)content-type:|import\s+cgi\b|QUERY_STRING|REQUEST_METHOD")
_MAX_NODES = 200_000
_ROUNDS = 4


def is_python(path: str, data: bytes) -> bool:
    """A Python script by extension, or a CGI script whose ``#!`` line names Python."""
    dot = path.rfind(".")
    ext = path[dot:].lower() if dot > path.rfind("/") else ""
    return ext in PYTHON_EXTS or _SHEBANG.match(data) is not None


def _dotted(node: ast.AST) -> str:
    """``os.path.join`` for an attribute chain on a name, else ""."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _short(node: ast.AST, source: str, limit: int = 70) -> str:
    text = ast.get_source_segment(source, node) or type(node).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(slots=True)
class _Scope:
    node: ast.AST
    params: list[str] = field(default_factory=list)
    #: name -> value expressions assigned to it in this scope
    assigns: dict[str, list[ast.AST]] = field(default_factory=dict)


class PythonAnalyser:
    def __init__(self, source: str, tree: ast.Module, budget: Budget) -> None:
        self.source = source
        self.tree = tree
        self.budget = budget
        self.scopes: dict[int, _Scope] = {}
        self.parent: dict[int, int] = {}  # function scope id -> enclosing scope id
        self.scope_of: dict[int, int] = {}  # call node id -> scope id
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.calls: list[ast.Call] = []
        self.aliases: dict[str, str] = {}  # local name -> dotted module/function
        self.forms: set[str] = set()  # names holding a cgi.FieldStorage
        self.sockets: set[str] = set()  # names holding a socket the script opened
        self.tainted: dict[tuple[int, str], tuple[Step, ...]] = {}
        self.paths: list[FlowPath] = []
        self.sinks: set[str] = set()
        self.sources = 0
        self.cgi = _CGI_MARKERS.search(source) is not None

    # -- indexing ------------------------------------------------------------------------

    def index(self) -> None:
        root = _Scope(self.tree)
        self.scopes[id(self.tree)] = root
        stack: list[tuple[ast.AST, int]] = [(self.tree, id(self.tree))]
        visited = 0
        while stack:
            node, scope = stack.pop()
            visited += 1
            if visited > _MAX_NODES or not self.budget.spend_nodes():
                return
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                inner = _Scope(node, [a.arg for a in _all_args(node.args)])
                self.scopes[id(node)] = inner
                self.parent[id(node)] = scope
                if not isinstance(node, ast.Lambda):
                    self.functions[node.name] = node
                scope = id(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                self._import(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if node.value is not None:
                    for target in targets:
                        self._bind(target, node.value, scope)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                self._bind(node.target, node.iter, scope)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                self._bind(node.optional_vars, node.context_expr, scope)
            elif isinstance(node, ast.Call):
                self.calls.append(node)
                self.scope_of[id(node)] = scope
            stack.extend((child, scope) for child in ast.iter_child_nodes(node))

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if isinstance(node, ast.Import):
                self.aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
            elif node.module and alias.name != "*":
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif node.module:
                for short, full in _SHORT_SINKS.items():
                    if full.startswith(node.module + "."):
                        self.aliases.setdefault(short, full)

    def _bind(self, target: ast.AST, value: ast.AST, scope: int) -> None:
        if isinstance(target, ast.Name):
            self.scopes[scope].assigns.setdefault(target.id, []).append(value)
            name = self.qualified(value) if isinstance(value, ast.Call) else ""
            if name in ("cgi.FieldStorage", "FieldStorage"):
                self.forms.add(target.id)
            if name in ("socket.socket", "socket.create_connection", "socket"):
                self.sockets.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind(element, value, scope)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, value, scope)

    def qualified(self, call: ast.Call) -> str:
        """The called function's dotted name with import aliases resolved."""
        name = _dotted(call.func)
        if not name:
            return ""
        head, _, rest = name.partition(".")
        full = self.aliases.get(head)
        if full is None:
            return name
        return f"{full}.{rest}" if rest else full

    # -- taint -----------------------------------------------------------------------------

    def propagate(self) -> None:
        """Name taint per scope, to a fixed point (at most a few rounds)."""
        for _ in range(_ROUNDS):
            changed = False
            for scope_id, scope in self.scopes.items():
                for name, values in scope.assigns.items():
                    if (scope_id, name) in self.tainted:
                        continue
                    for value in values:
                        chain = self.taint(value, scope_id)
                        if chain:
                            self.tainted[(scope_id, name)] = self._extend(chain, name, value)
                            changed = True
                            break
            changed |= self._parameters()
            if not changed or self.budget.exhausted:
                return

    def _extend(self, chain: tuple[Step, ...], name: str, at: ast.AST) -> tuple[Step, ...]:
        return (*chain, Step(name, getattr(at, "lineno", 0)))[-MAX_STEPS:]

    def _parameters(self) -> bool:
        changed = False
        for call in self.calls:
            fn = self.functions.get(_dotted(call.func).rsplit(".", 1)[-1])
            if fn is None:
                continue
            params = self.scopes[id(fn)].params
            offset = 1 if params[:1] in (["self"], ["cls"]) and "." in _dotted(call.func) else 0
            for i, arg in enumerate(call.args):
                if i + offset >= len(params) or (id(fn), params[i + offset]) in self.tainted:
                    continue
                chain = self.taint(arg, self.scope_of.get(id(call), id(self.tree)))
                if chain:
                    step = Step(f"{fn.name}() parameter {params[i + offset]}", call.lineno)
                    self.tainted[(id(fn), params[i + offset])] = (*chain, step)[-MAX_STEPS:]
                    changed = True
        return changed

    def _name_taint(self, name: str, scope: int) -> tuple[Step, ...] | None:
        while True:
            chain = self.tainted.get((scope, name))
            if chain:
                return chain
            up = self.parent.get(scope)
            if up is None:
                return None
            scope = up

    def taint(self, node: ast.AST | None, scope: int, depth: int = 0) -> tuple[Step, ...] | None:
        if node is None or depth > 60 or not self.budget.spend_nodes():
            return None
        if isinstance(node, ast.Name):
            return self._name_taint(node.id, scope)
        if isinstance(node, ast.Subscript):
            source = self._source(node, scope)
            if source:
                return source
            return self.taint(node.value, scope, depth + 1)
        if isinstance(node, ast.Attribute):
            source = self._source(node, scope)
            if source:
                return source
            return self.taint(node.value, scope, depth + 1)
        if isinstance(node, ast.Call):
            return self._call_taint(node, scope, depth)
        if isinstance(node, (ast.Constant, ast.Lambda, ast.FunctionDef)):
            return None
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.expr_context, ast.operator, ast.cmpop, ast.boolop)):
                continue
            chain = self.taint(child, scope, depth + 1)
            if chain:
                return chain
        return None

    def _source(self, node: ast.Subscript | ast.Attribute, scope: int) -> tuple[Step, ...] | None:
        """``os.environ['QUERY_STRING']``, ``form['c']``, ``request.args``, ``environ[...]``."""
        base = node.value
        base_name = _dotted(base)
        if isinstance(node, ast.Subscript):
            key = _const_str(node.slice)
            if (
                base_name in ("os.environ", "environ")
                and key
                and (_CGI_ENV.match(key) or key == "wsgi.input")
            ):
                return self._found(node)
            if isinstance(base, ast.Name) and base.id in self.forms:
                return self._found(node)
            return None
        if node.attr in _REQUEST_ATTRS and base_name.rsplit(".", 1)[-1] in _REQUEST_NAMES:
            return self._found(node)
        if node.attr == "stdin" and base_name == "sys" and self.cgi:
            return self._found(node)  # a CGI script's standard input is the request body
        return None

    def _found(self, node: ast.AST) -> tuple[Step, ...]:
        self.sources += 1
        return (Step(_short(node, self.source), getattr(node, "lineno", 0)),)

    def _call_taint(self, node: ast.Call, scope: int, depth: int) -> tuple[Step, ...] | None:
        name = self.qualified(node)
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else ""
        receiver = func.value if isinstance(func, ast.Attribute) else None
        if name in ("os.getenv", "os.environ.get", "environ.get", "os.environ.get"):
            key = _const_str(node.args[0]) if node.args else None
            return self._found(node) if key and _CGI_ENV.match(key) else None
        if method in _FORM_METHODS and isinstance(receiver, ast.Name) and receiver.id in self.forms:
            return self._found(node)
        if (
            method in ("recv", "recvfrom", "makefile", "recv_into")
            and isinstance(receiver, ast.Name)
            and receiver.id in self.sockets
        ):
            self.sources += 1
            return (Step(f"network input: {_short(node, self.source)}", node.lineno),)
        if method in ("get", "getlist") and receiver is not None:
            source = self._source_holder(receiver, scope)
            if source:
                return source
        short = name.rsplit(".", 1)[-1]
        if name in _SANITIZERS or short in _SANITIZERS or method in _SANITIZERS:
            return None
        if receiver is not None and (chain := self.taint(receiver, scope, depth + 1)):
            return chain
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            chain = self.taint(arg, scope, depth + 1)
            if chain:
                return chain
        return None

    def _source_holder(self, receiver: ast.AST, scope: int) -> tuple[Step, ...] | None:
        """``request.args.get('c')``, ``os.environ.get('HTTP_X')`` handled by the caller."""
        if isinstance(receiver, ast.Attribute):
            return self._source(receiver, scope)
        return None

    # -- sinks -----------------------------------------------------------------------------

    def check(self) -> None:
        for call in self.calls:
            if self.budget.exhausted:
                return
            if isinstance(call.func, ast.Name) and call.func.id in self.functions:
                continue  # the script's own function of that name (``def compile(...)``)
            name = self.qualified(call)
            if (
                name == "yaml.load"
                and not any("Safe" in _dotted(k.value) for k in call.keywords)
                and len(call.args) < 2
            ):
                name = "yaml.load (no safe loader)"
                kind = SinkKind.CODE
            elif name in CODE_SINKS:
                kind = SinkKind.CODE
            elif name in COMMAND_SINKS:
                kind = SinkKind.COMMAND
            else:
                continue
            self.sinks.add(name)
            scope = self.scope_of.get(id(call), id(self.tree))
            args = (
                list(call.args)
                if kind is SinkKind.CODE or name == "pty.spawn"
                else (list(call.args) or [k.value for k in call.keywords if k.arg == "args"])
            )
            for arg in args[:4]:
                chain = self.taint(arg, scope)
                if chain:
                    step = Step(_short(call, self.source), call.lineno)
                    self.paths.append(FlowPath(kind, name, (*chain, step)[-MAX_STEPS:]))
                    break


def _all_args(args: ast.arguments) -> list[ast.arg]:
    out = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg:
        out.append(args.vararg)
    if args.kwarg:
        out.append(args.kwarg)
    return out


# -- Python 2 fallback ------------------------------------------------------------------

_LINE_SOURCE = re.compile(
    r"(getvalue|getfirst|getlist)\s*\(|FieldStorage\s*\(|environ(\.get\s*\(|\s*\[)\s*['\"]"
    r"(QUERY_STRING|HTTP_\w+|REQUEST_URI|PATH_INFO)|getenv\s*\(\s*['\"](QUERY_STRING|HTTP_)"
    r"|sys\.stdin\.read|\brequest\.(args|form|values|cookies|GET|POST)\b"
)
_LINE_SINK = re.compile(
    r"\b(os\.(system|popen\d?|exec\w*|spawn\w*)|subprocess\.\w+|commands\.getoutput|pty\.spawn"
    r"|eval|execfile)\s*\(|^\s*exec\s+"
)
_LINE_ASSIGN = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*(.+)$")


def _fallback(text: str) -> list[FlowPath]:
    """Line-based analysis for scripts the parser rejects (Python 2 ``print`` statements)."""
    tainted: dict[str, Step] = {}
    paths: list[FlowPath] = []
    for number, line in enumerate(text.split("\n")[:20_000], 1):
        line = line.split("#", 1)[0]
        sink = _LINE_SINK.search(line)
        if sink:
            first = None
            if _LINE_SOURCE.search(line[sink.end() :]):
                first = Step(line.strip()[:70], number)
            else:
                for name, step in tainted.items():
                    if re.search(r"(?<![\w.])" + re.escape(name) + r"\b", line[sink.end() :]):
                        first = step
                        break
            if first is not None:
                kind = (
                    SinkKind.CODE
                    if sink.group(1) in ("eval", "execfile") or not sink.group(1)
                    else SinkKind.COMMAND
                )
                label = (sink.group(1) or "exec").strip()
                paths.append(FlowPath(kind, label, (first, Step(line.strip()[:70], number))))
            continue
        m = _LINE_ASSIGN.match(line)
        if m and (
            _LINE_SOURCE.search(m.group(2))
            or any(re.search(r"(?<![\w.])" + re.escape(n) + r"\b", m.group(2)) for n in tainted)
        ):
            tainted.setdefault(m.group(1), Step(f"{m.group(1)} = {m.group(2).strip()[:60]}",
                                                number))  # fmt: skip
    return paths


def analyse_python(data: bytes, budget: Budget | None = None) -> Analysis:
    budget = budget or Budget()
    text = data.decode("utf-8", "replace")
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        paths = _fallback(text)
        return Analysis("python", tuple(paths), sinks=tuple(sorted({p.sink for p in paths})))
    analyser = PythonAnalyser(text, tree, budget)
    try:
        analyser.index()
        analyser.propagate()
        analyser.check()
    except RecursionError:  # deeply nested expressions: keep what was found
        pass
    return Analysis(
        "python",
        tuple(analyser.paths),
        sinks=tuple(sorted(analyser.sinks)),
        sources=analyser.sources,
        bounded="node or time budget exhausted" if budget.exhausted else "",
    )
