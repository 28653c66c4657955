"""PHP capability model: what a page can DO, for shells that carry no exec sink.

Many files dropped next to a web shell never call ``system`` or ``eval``: mass mailers,
SQL consoles, port scanners and socket relays, uploaders that write request-named files,
credential and configuration harvesters, WordPress account backdoors, and "callback" shells
that reach code execution through an API the dataflow analyser does not treat as a sink.
Each of those capabilities is a COMBINATION of facts a legitimate application page does not
have together: a mail() call is normal, a mail() whose recipient list, subject and body all
come from the request inside a loop is a spam cannon; a SQL call is normal, a SQL call whose
whole statement is request text is a console.

The facts are extracted with the tree-sitter PHP parser and the taint engine of ``php.py``
(reused read-only through a subclass that adds two sources: register_globals form fields and,
for the "where am I" beacon, the server's own path variables). Nothing here keys on banners,
titles, author names or passwords: every rule is a behaviour. Work is bounded by the same
``Budget`` as the dataflow analysis; the detector in ``detectors.py`` only calls this for
files the ``phpcap`` YARA-X gate lets through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sscguard.detect.webshell.flow import (
    MAX_PARSE_BYTES,
    MAX_PARSE_SECONDS,
    Budget,
    Step,
)
from sscguard.detect.webshell.php import (
    CALLBACKS,
    CODE_SINKS,
    COMMAND_SINKS,
    PhpAnalyser,
    parse_php,
)
from sscguard.model import Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import sanitize

if TYPE_CHECKING:
    from sscguard.detect.webshell.detectors import FileContext

Node = Any  # tree_sitter.Node

MAX_CAPABILITY_BYTES = 256 << 10  # larger files are not analysed for capabilities
_MAX_HITS = 200  # call sites examined per searched name
_EXEC_NAMES = CODE_SINKS | COMMAND_SINKS

# -- the rule IDs and what each one means -------------------------------------------------

CALLBACK_EXEC = "SSC-003-450"
MASS_MAILER = "SSC-003-451"
MAIL_EXFIL = "SSC-003-452"
SQL_CONSOLE = "SSC-003-453"
NET_SCANNER = "SSC-003-454"
NET_RELAY = "SSC-003-455"
FILE_DROP = "SSC-003-456"
CODE_WRITE = "SSC-003-457"
DEFACE = "SSC-003-458"
HOST_RECON = "SSC-003-459"
WRAPPER_READ = "SSC-003-460"
FS_BROWSER = "SSC-003-461"
CMS_ACCOUNT = "SSC-003-462"
SECRET_GATE = "SSC-003-463"  # noqa: S105 (a rule ID)
DROPPER = "SSC-003-490"
SEO_CLOAK = "SSC-003-491"
RANSOM = "SSC-003-492"

ALL_IDS = (
    CALLBACK_EXEC, MASS_MAILER, MAIL_EXFIL, SQL_CONSOLE, NET_SCANNER, NET_RELAY, FILE_DROP,
    CODE_WRITE, DEFACE, HOST_RECON, WRAPPER_READ, FS_BROWSER, CMS_ACCOUNT, SECRET_GATE,
    DROPPER, SEO_CLOAK, RANSOM,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Capability:
    """One capability seen in a file, with the facts that make it up."""

    rule_id: str
    line: int
    detail: str
    #: "high", "medium" or "low": how specific the combination is (low = dual-use)
    strength: str
    steps: tuple[Step, ...] = ()
    guarded: bool = False  # an authorisation check encloses the capability


@dataclass(slots=True)
class Report:
    capabilities: list[Capability] = field(default_factory=list)
    bounded: str = ""


# -- parsing ---------------------------------------------------------------------------


_SCRIPT_OPEN = re.compile(rb"(?i)<script\s+language\s*=\s*[\"']?php[\"']?\s*>")
_SCRIPT_CLOSE = re.compile(rb"(?i)</script\s*>")
_FORM_FIELD = re.compile(
    rb"(?i)<(?:input|textarea|select)\b[^>]{0,300}?\bname\s*=\s*\\?[\"']?([a-z_][a-z0-9_]{0,40})"
)
#: a parameter in a link or form action the page renders to itself (``?dir=...&file=``): under
#: register_globals that name is request input exactly like a form field.
_LINK_PARAM = re.compile(
    rb"(?i)\b(?:href|action)\s*=\s*\\?[\"']?[^\"'\s>]{0,200}?[?&]([a-z_][a-z0-9_]{0,40})="
)
_AUTH_RE = re.compile(
    r"(?i)(current_user_can|user_can|is_admin|is_super_admin|has_?permission|check_?permission"
    r"|is_?logged_?in|is_?authori[sz]ed|verify_?nonce|check_admin_referer|csrf|checkAccess"
    r"|isAdmin|->can\(|\$_SESSION)"
)
_FUNC_TYPES = {"function_definition", "method_declaration", "anonymous_function", "arrow_function"}
_LOOP_TYPES = {"for_statement", "foreach_statement", "while_statement", "do_statement"}
_CALL_TYPES = (
    "function_call_expression",
    "member_call_expression",
    "scoped_call_expression",
    "nullsafe_member_call_expression",
)
_WRAPPERS = {
    "stripslashes", "trim", "rtrim", "ltrim", "urldecode", "rawurldecode", "base64_decode",
    "stripcslashes", "str_replace", "html_entity_decode", "hex2bin", "strval", "utf8_decode",
    "iconv", "mb_convert_encoding", "strtolower", "substr", "chop",
}  # fmt: skip
_REQUEST_GLOBALS = {
    "_GET", "_POST", "_REQUEST", "_COOKIE", "_FILES", "HTTP_POST_VARS", "HTTP_GET_VARS",
    "HTTP_POST_FILES", "HTTP_RAW_POST_DATA",
}  # fmt: skip
_LOCATION_KEYS = {"DOCUMENT_ROOT", "SCRIPT_FILENAME", "PATH_TRANSLATED"}


_CODE_WITHOUT_TAG = re.compile(rb"(?m)^\s*\$\w+\s*=[^;\n]{1,400};")
#: a block comment glued between identifiers or a ``$`` and its name: comment-split code
_SPLIT_COMMENT = re.compile(rb"\$\w*\s*/\*[^\n]{0,40}?\*/\s*[({\[]")


def _prepare(data: bytes) -> bytes:
    """Normalise what the parser would read differently from PHP, keeping line numbers:
    ``<script language="php">`` blocks become ``<?php`` blocks, and a fragment of PHP
    statements without an opening tag (pasted into a template) gets one."""
    if _SCRIPT_OPEN.search(data) is not None:
        data = _SCRIPT_CLOSE.sub(b"?>", _SCRIPT_OPEN.sub(b"<?php ", data))
    if b"<?" not in data and _CODE_WITHOUT_TAG.search(data[:4096]):
        data = b"<?php " + data
    return data


def _blank_comments(data: bytes, root: Node) -> bytes:
    """Block comments replaced by spaces (newlines kept), so ``$/*x*/{"_PO"."ST"}`` reads as
    ``${"_PO"."ST"}`` to the analysis; offsets and line numbers do not move."""
    out = bytearray(data)
    stack = [root]
    visited = 0
    while stack and visited < 200_000:
        node = stack.pop()
        visited += 1
        if node.type == "comment" and node.text.startswith(b"/*"):
            for i in range(node.start_byte, min(node.end_byte, len(out))):
                if out[i] not in (10, 13):
                    out[i] = 32
        else:
            stack.extend(node.children)
    return bytes(out)


def _line(node: Node) -> int:
    return int(node.start_point[0]) + 1


def _text(node: Node | None, limit: int = 4000) -> str:
    if node is None:
        return ""
    return str(node.text[:limit].decode("utf-8", "replace"))


def _short(node: Node, limit: int = 70) -> str:
    text = " ".join(_text(node, 400).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _at(node: Node) -> Step:
    return Step(_short(node), _line(node))


def _args(node: Node) -> list[Node]:
    arguments = node.child_by_field_name("arguments")
    if arguments is None:
        return []
    out = []
    for arg in arguments.named_children:
        if arg.type == "argument" and arg.named_child_count:
            out.append(arg.named_children[-1])
        elif arg.type not in ("comment", "variadic_placeholder"):
            out.append(arg)
    return out


def _call_name(node: Node) -> str:
    """Lower-case name of a call node: the function, or the method after ``->``/``::``."""
    if node.type == "function_call_expression":
        fn = node.child_by_field_name("function")
        if fn is not None and fn.type in ("name", "qualified_name"):
            return _text(fn, 200).lstrip("\\").split("\\")[-1].lower()
        return ""
    name = node.child_by_field_name("name")
    return _text(name, 200).lower() if name is not None else ""


class _Analyser(PhpAnalyser):
    """``php.PhpAnalyser`` with two more sources, switched per instance.

    * register_globals: a variable that is never assigned in the file but is the name of a
      form field the page itself renders is request input (old shells rely on it);
    * location: ``$_SERVER['DOCUMENT_ROOT']`` and friends, for the "where am I" beacon.
    """

    def __init__(
        self, data: bytes, budget: Budget, root: Node, fields: frozenset[str], location: bool
    ) -> None:
        super().__init__(data, budget)
        self.root = root
        self.fields = fields
        self.location = location

    def variable_taint(self, key: tuple[int, str]) -> tuple[Step, ...] | None:
        chain = super().variable_taint(key)
        if chain is None and key[1] in self.fields and not self._assigns(key[1]):
            chain = (Step(f"${key[1]} (register_globals form field)", 1),)
            self.state.tainted[key] = chain
        return chain

    def taint(self, node: Node | None, scope: int, depth: int = 0) -> tuple[Step, ...] | None:
        if node is not None and node.type == "variable_name":
            name = _text(node, 80).lstrip("$")
            if self.location and (name in _REQUEST_GLOBALS or name == "_SERVER"):
                return None  # only the server's own paths count in this mode
            if name in _REQUEST_GLOBALS and name not in ("_GET", "_POST", "_REQUEST"):
                return (Step(f"${name}", _line(node)),)
        if (
            self.location
            and node is not None
            and node.type == "subscript_expression"
            and node.named_child_count > 1
            and _text(node.named_children[0], 20) == "$_SERVER"
        ):
            key = self.value(node.named_children[1], scope)
            if key is not None and key.decode("latin-1") in _LOCATION_KEYS:
                return (_at(node),)
        return super().taint(node, scope, depth)


_IDENT = re.compile(r"[A-Za-z_]\w*", re.ASCII)
#: a call-shaped identifier: ``name (`` with an optional short comment before the parenthesis
_CALL_SITE = re.compile(rb"(?<![\w$])([A-Za-z_]\w*)\s*(?:/\*.{0,40}?\*/\s*)?\(")


class _ParseStoppedError(Exception):
    """tree-sitter was stopped by the CPU-time bound."""


def _parse(data: bytes) -> Node:
    tree = parse_php(data, share=True)
    if tree is None:
        raise _ParseStoppedError
    return tree.root_node


class _File:
    """One parsed file and the fact queries the capability rules share."""

    def __init__(self, data: bytes, budget: Budget) -> None:
        self.data = _prepare(data[:MAX_PARSE_BYTES])
        self.lower = self.data.lower()
        self.budget = budget
        self.root = _parse(self.data)
        if _SPLIT_COMMENT.search(self.data):
            self.data = _blank_comments(self.data, self.root)
            self.root = _parse(self.data)
        fields = frozenset(
            m.group(1).decode("latin-1")
            for pattern in (_FORM_FIELD, _LINK_PARAM)
            for m in pattern.finditer(self.data)
        )
        self.req = _Analyser(self.data, budget, self.root, fields, location=False)
        self._loc: _Analyser | None = None
        self._fields = fields
        self._call_index: dict[str, list[int]] | None = None

    @property
    def loc(self) -> _Analyser:
        if self._loc is None:
            self._loc = _Analyser(self.data, self.budget, self.root, frozenset(), location=True)
        return self._loc

    # -- locating -------------------------------------------------------------------------

    def calls(self, *names: str, methods: bool = False) -> Iterator[tuple[Node, int, str]]:
        """Call nodes of the named functions (or methods), with scope and lower-case name."""
        wanted = {n.lower() for n in names}
        seen: set[int] = set()
        for count, start in enumerate(self._call_starts(wanted)):
            if count >= _MAX_HITS or not self.budget.spend_nodes(4):
                return
            before = self.data[max(0, start - 8) : start].rstrip()
            if before.endswith((b"->", b"::")) != methods:
                continue
            node = self.root.descendant_for_byte_range(start, start + 1)
            hops = 0
            while node is not None and hops < 4 and node.type not in _CALL_TYPES:
                node = node.parent
                hops += 1
            if node is None or node.type not in _CALL_TYPES or node.id in seen:
                continue
            name = _call_name(node)
            if name not in wanted:
                continue
            seen.add(node.id)
            yield node, self.req.scope_of(node), name

    def _call_starts(self, wanted: set[str]) -> list[int]:
        """Where ``name (`` (a comment may sit before the parenthesis) starts for any wanted
        name, in file order: from one index of every call-shaped identifier, built on first
        use (one regular-expression pass per file instead of one per question)."""
        if not all(_IDENT.fullmatch(n) for n in wanted):  # not an identifier: scan for it
            pattern = re.compile(
                rb"(?i)(?<![\w$])("
                + b"|".join(re.escape(n.encode()) for n in wanted)
                + rb")\s*(?:/\*.{0,40}?\*/\s*)?\("
            )
            return [m.start() for m in pattern.finditer(self.data)]
        if self._call_index is None:
            index: dict[str, list[int]] = {}
            for m in _CALL_SITE.finditer(self.data):
                index.setdefault(m.group(1).decode("ascii").lower(), []).append(m.start())
            self._call_index = index
        found = [start for n in wanted for start in self._call_index.get(n, ())]
        return sorted(found) if len(wanted) > 1 else found

    # -- facts ----------------------------------------------------------------------------

    def tainted(self, node: Node | None, scope: int) -> tuple[Step, ...] | None:
        if node is None:
            return None
        return self.req.taint(node, scope)

    def const(self, node: Node | None, scope: int) -> bytes | None:
        if node is None:
            return None
        return self.req.value(node, scope)

    def direct(self, node: Node | None, scope: int, hops: int = 4) -> bool:
        """The expression IS request input (through copies and decoders), not built from it.

        ``$q = stripslashes($_POST['q']); query($q)`` is direct; ``"SELECT * FROM t WHERE
        id=" . $_GET['id']`` is not (that is an injection bug, not a console).
        """
        if node is None or hops < 0 or not self.budget.spend_nodes():
            return False
        kind = node.type
        if kind in ("parenthesized_expression", "argument", "error_suppression_expression"):
            return bool(node.named_child_count) and self.direct(
                node.named_children[-1], scope, hops
            )
        if kind == "subscript_expression" and node.named_child_count:
            base = node.named_children[0]
            if base.type == "variable_name" and _text(base, 30).lstrip("$") in _REQUEST_GLOBALS:
                return True
            return self.direct(base, scope, hops - 1)
        if kind == "variable_name":
            name = _text(node, 80).lstrip("$")
            if name in self.req.fields and not self.req._assigns(name):
                return True
            assigns = [a for a in self.req._assigns(name) if a.value is not None]
            same = [a for a in assigns if a.scope == scope] or [a for a in assigns if a.scope == 0]
            return any(self.direct(a.value, scope, hops - 1) for a in same[:6])
        if kind == "conditional_expression":
            return any(self.direct(c, scope, hops) for c in node.named_children[1:])
        if kind == "encapsed_string":
            parts = [c for c in node.named_children if c.type != "string_content" or c.text.strip()]
            return len(parts) == 1 and self.direct(parts[0], scope, hops)
        if kind == "function_call_expression" and _call_name(node) in _WRAPPERS:
            args = _args(node)
            index = 2 if _call_name(node) == "str_replace" else 0
            return len(args) > index and self.direct(args[index], scope, hops)
        return False

    def head_direct(self, node: Node | None, scope: int, hops: int = 3) -> bool:
        """The request picks where the path starts (``$_GET['dir'] . '/'``), directly or
        through the parameter of the function it is passed to."""
        if node is None or hops < 0:
            return False
        if self.direct(node, scope):
            return True
        if node.type == "binary_expression":
            op = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            return op is not None and op.type == "." and self.head_direct(left, scope, hops)
        if node.type == "encapsed_string":
            parts = [c for c in node.named_children if c.type != "string_content" or c.text.strip()]
            return (
                bool(parts)
                and parts[0].type != "string_content"
                and self.head_direct(parts[0], scope, hops)
            )
        if node.type == "variable_name":
            name = _text(node, 80).lstrip("$")
            assigns = [a for a in self.req._assigns(name) if a.value is not None]
            same = [a for a in assigns if a.scope == scope] or [a for a in assigns if a.scope == 0]
            if any(self.head_direct(a.value, a.scope, hops - 1) for a in same[:6]):
                return True
            return self._param_direct(node, name, hops)
        return False

    def _param_direct(self, node: Node, name: str, hops: int) -> bool:
        fn = node.parent
        depth = 0
        while fn is not None and fn.type != "function_definition" and depth < 200:
            fn = fn.parent
            depth += 1
        if fn is None or fn.type != "function_definition":
            return False
        params = fn.child_by_field_name("parameters")
        names = [
            _text(v, 80).lstrip("$")
            for p in (params.named_children if params is not None else [])
            for v in p.named_children
            if v.type == "variable_name"
        ]
        if name not in names:
            return False
        index = names.index(name)
        fname = _text(fn.child_by_field_name("name"), 80).lower()
        for call, scope, _ in self.calls(fname):
            args = _args(call)
            outside = call.start_byte not in range(fn.start_byte, fn.end_byte)
            if index < len(args) and outside and self.head_direct(args[index], scope, hops - 1):
                return True
        return False

    def tail_direct(self, node: Node | None, scope: int, hops: int = 3) -> bool:
        """The expression is request input, or ends with it (``$dir . '/' . $_POST['name']``):
        the request picks the file name and nothing fixed (an extension) follows it."""
        if node is None or hops < 0:
            return False
        if self.direct(node, scope):
            return True
        if node.type in ("parenthesized_expression", "error_suppression_expression"):
            return bool(node.named_child_count) and self.tail_direct(
                node.named_children[-1], scope, hops
            )
        if node.type == "binary_expression":
            op = node.child_by_field_name("operator")
            right = node.child_by_field_name("right")
            return op is not None and op.type == "." and self.tail_direct(right, scope, hops)
        if node.type == "encapsed_string":
            parts = [c for c in node.named_children if c.type != "string_content" or c.text.strip()]
            return (
                bool(parts)
                and parts[-1].type != "string_content"
                and self.tail_direct(parts[-1], scope, hops)
            )
        if node.type == "variable_name":
            name = _text(node, 80).lstrip("$")
            assigns = [a for a in self.req._assigns(name) if a.value is not None]
            same = [a for a in assigns if a.scope == scope] or [a for a in assigns if a.scope == 0]
            return any(self.tail_direct(a.value, scope, hops - 1) for a in same[:6])
        return False

    def reaching_text(self, node: Node | None, scope: int, hops: int = 3) -> str:
        """Source text of an expression and of the assignments of the variables it uses."""
        if node is None:
            return ""
        parts = [_text(node, 2000)]
        if hops <= 0:
            return parts[0]
        names = set(re.findall(r"\$(\w+)", parts[0]))
        for name in list(names)[:12]:
            for assign in self.req._assigns(name)[:12]:
                if assign.value is not None:
                    parts.append(self.reaching_text(assign.value, assign.scope, hops - 1))
        return "\n".join(parts)[:20000]

    def in_loop(self, node: Node) -> bool:
        parent = node.parent
        hops = 0
        while parent is not None and hops < 80 and parent.type not in _FUNC_TYPES:
            if parent.type in _LOOP_TYPES:
                return True
            parent = parent.parent
            hops += 1
        if parent is not None and parent.type == "function_definition":
            # a helper called from a loop: look at its call sites
            name_node = parent.child_by_field_name("name")
            fname = _text(name_node, 80).lower()
            if fname:
                return any(self.in_loop(call) for call, _, _ in self.calls(fname))
        return False

    def guarded(self, node: Node) -> bool:
        parent = node.parent
        hops = 0
        while parent is not None and hops < 80:
            if parent.type == "if_statement":
                cond = parent.child_by_field_name("condition")
                if cond is not None and _AUTH_RE.search(_text(cond, 400)):
                    return True
            parent = parent.parent
            hops += 1
        return False

    def string_nodes(self, pattern: re.Pattern[bytes]) -> Iterator[Node]:
        """String-literal nodes whose text matches ``pattern`` (not comments, not HTML)."""
        for count, match in enumerate(pattern.finditer(self.data)):
            if count >= _MAX_HITS or not self.budget.spend_nodes(4):
                return
            node = self.root.descendant_for_byte_range(match.start(), match.end())
            hops = 0
            while node is not None and hops < 3 and node.type not in (
                "string", "encapsed_string", "heredoc", "nowdoc"
            ):  # fmt: skip
                node = node.parent
                hops += 1
            if node is not None and node.type in ("string", "encapsed_string", "heredoc", "nowdoc"):
                yield node


# -- the capability rules ------------------------------------------------------------------


def _fold_name(f: _File, node: Node | None, scope: int) -> str:
    value = f.const(node, scope)
    if value is None or len(value) > 64:
        return ""
    return value.decode("latin-1").strip().lstrip("\\").lower()


_STRING_BUILDERS = {
    "implode", "join", "str_replace", "substr", "substr_replace", "strrev", "str_rot13",
    "base64_decode", "chr", "sprintf", "strtolower", "strtoupper", "ucfirst", "lcfirst",
    "array_pop", "array_shift", "str_repeat", "hex2bin", "pack", "gzinflate", "urldecode",
}  # fmt: skip


def _string_built(f: _File, node: Node | None, scope: int, hops: int = 3) -> bool:
    """A callable assembled from string pieces at run time (the obfuscation signature)."""
    if node is None or hops < 0:
        return False
    if node.type == "binary_expression":
        return True
    if node.type == "function_call_expression":
        return _call_name(node) in _STRING_BUILDERS
    if node.type == "variable_name":
        name = _text(node, 80).lstrip("$")
        assigns = f.req._assigns(name)
        return any(
            a.append or _string_built(f, a.value, a.scope, hops - 1)
            for a in assigns[:8]
            if a.value is not None
        )
    return False


def _fixed_prefix(f: _File, node: Node | None, scope: int, hops: int = 3) -> bool:
    """A name that starts with a literal (``'step' . $n``): a dispatcher over a family of the
    application's own functions, not an arbitrary function chosen by the request."""
    if node is None or hops < 0:
        return False
    if node.type in ("string", "encapsed_string"):
        first = node.named_children[0] if node.named_child_count else None
        return first is not None and first.type == "string_content" and bool(first.text.strip())
    if node.type == "binary_expression":
        return _fixed_prefix(f, node.child_by_field_name("left"), scope, hops)
    if node.type == "variable_name":
        assigns = [a for a in f.req._assigns(_text(node, 80).lstrip("$")) if a.value is not None]
        return bool(assigns) and all(_fixed_prefix(f, a.value, scope, hops - 1) for a in assigns)
    return False


#: callback-taking methods (name -> position of the callable)
_CALLBACK_METHODS = {
    "uasort": 0, "uksort": 0, "createfunction": 1, "sqlitecreatefunction": 1,
    "createaggregate": 1, "fromcallable": 0,
}  # fmt: skip
_PHP_FUNCTION_IN_XSL = re.compile(
    rb"(?i)function(?:string)?\s*\(\s*\\?['\"]\s*(assert|system|eval|exec|passthru|shell_exec"
    rb"|popen|proc_open|create_function)\b"
)


def _callbacks(f: _File) -> list[Capability]:
    out: list[Capability] = []
    names = [n for n in CALLBACKS if n not in ("spl_autoload_register", "iterator_to_array")]
    sites = [(n, s, name, CALLBACKS[name]) for n, s, name in f.calls(*names)]
    sites += [
        (n, s, name, _CALLBACK_METHODS[name])
        for n, s, name in f.calls(*_CALLBACK_METHODS, methods=True)
    ]
    for node, scope, name, index in sites:
        args = _args(node)
        if not args or not -len(args) <= index < len(args):
            continue
        cb = args[index]
        others = [a for a in args if a is not cb]
        if name == "fromcallable":  # Closure::fromCallable(x)->__invoke($_GET[..])
            parent = node.parent
            while parent is not None and parent.type in (*_CALL_TYPES, "member_access_expression"):
                others += _args(parent)
                parent = parent.parent
        chain = f.tainted(cb, scope)
        if chain and (
            f.direct(cb, scope) or (_string_built(f, cb, scope) and not _fixed_prefix(f, cb, scope))
        ):
            out.append(
                Capability(
                    CALLBACK_EXEC,
                    _line(node),
                    f"{name}() calls a callback chosen by the request",
                    "high",
                    (*chain, _at(node)),
                )
            )
            continue
        target = _fold_name(f, cb, scope)
        if target in _EXEC_NAMES:
            out.append(
                Capability(
                    CALLBACK_EXEC,
                    _line(node),
                    f"{name}() uses {target}() as its callback",
                    "high",
                    (_at(node),),
                )
            )
            continue
        fed = next((c for a in others if (c := f.tainted(a, scope))), None)
        if fed and _string_built(f, cb, scope) and not _fixed_prefix(f, cb, scope):
            out.append(
                Capability(
                    CALLBACK_EXEC,
                    _line(node),
                    f"{name}() calls a function name assembled at run time with request input",
                    "high",
                    (*fed, _at(node)),
                )
            )
    for node, scope, _name in f.calls("filter_var", "filter_input", "filter_var_array"):
        text = _text(node, 600)
        if "FILTER_CALLBACK" not in text:
            continue
        for pair in _descendants(node, _PAIRS, 40):
            if pair.named_child_count < 2 or b"options" not in pair.named_children[0].text:
                continue
            target = _fold_name(f, pair.named_children[1], scope)
            chain = f.tainted(pair.named_children[1], scope)
            if target in _EXEC_NAMES or chain:
                out.append(
                    Capability(
                        CALLBACK_EXEC,
                        _line(node),
                        "filter_var() with FILTER_CALLBACK runs "
                        f"{target or 'a request-chosen function'}()",
                        "high",
                        (_at(node),),
                    )
                )
    for node, scope, _name in f.calls("yaml_parse", "yaml_parse_file", "yaml_parse_url"):
        args = _args(node)
        if len(args) < 4:
            continue
        for pair in _descendants(args[3], _PAIRS, 20):
            key, value = [*pair.named_children, None, None][:2]
            target = _fold_name(f, value, scope)
            if target in _EXEC_NAMES | {"preg_replace"} and f.tainted(key, scope):
                out.append(
                    Capability(
                        CALLBACK_EXEC,
                        _line(node),
                        f"yaml_parse() maps a request-chosen tag to {target}()",
                        "high",
                        (_at(node),),
                    )
                )
    for node, _scope, _name in f.calls("registerphpfunctions", methods=True):
        if _args(node):
            continue  # an allow-list of functions
        hit = _PHP_FUNCTION_IN_XSL.search(f.data)
        if hit is not None:
            out.append(
                Capability(
                    CALLBACK_EXEC,
                    _line(node),
                    "XSLT/XPath may call any PHP function and the stylesheet calls "
                    f"{hit.group(1).decode().lower()}()",
                    "high",
                    (_at(node),),
                )
            )
    for node, scope, name in f.calls("preg_replace", "preg_filter"):
        args = _args(node)
        if len(args) < 2:
            continue
        pattern = f.const(args[0], scope)
        if pattern is None or not _eval_modifier(pattern):
            continue
        replacement = f.const(args[1], scope) or b""
        chain = next((c for a in args[:3] if (c := f.tainted(a, scope))), None)
        if chain or re.search(rb"(?i)\b(eval|assert|system)\s*\(", replacement):
            out.append(
                Capability(
                    CALLBACK_EXEC,
                    _line(node),
                    f"{name}() with the /e modifier evaluates its replacement",
                    "high",
                    (*(chain or ()), _at(node)),
                )
            )
    out.extend(_variable_calls(f))
    return out


def _eval_modifier(pattern: bytes) -> bool:
    pattern = pattern.strip()
    if len(pattern) < 3 or pattern[:1].isalnum() or pattern[:1] in b"\\ ":
        return False
    delim = {b"(": b")", b"{": b"}", b"[": b"]", b"<": b">"}.get(pattern[:1], pattern[:1])
    end = pattern.rfind(delim)
    return end > 0 and b"e" in pattern[end + 1 :] and pattern[end + 1 :].isalpha()


def _variable_calls(f: _File) -> Iterator[Capability]:
    """``$f(...)``/``(expr)(...)`` whose callee folds to an exec function or is built from
    string pieces, called with request input (comment-split code the gate regex misses)."""
    seen = 0
    for match in re.finditer(rb"\)\s*\(|\$\w+\s*(?:/\*.*?\*/\s*)*\(", f.data):
        seen += 1
        if seen > _MAX_HITS or not f.budget.spend_nodes(4):
            return
        node = f.root.descendant_for_byte_range(match.end() - 1, match.end())
        while node is not None and node.type not in ("function_call_expression", "program"):
            node = node.parent
        if node is None or node.type != "function_call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None or fn.type in ("name", "qualified_name"):
            continue
        scope = f.req.scope_of(node)
        chain = next((c for a in _args(node) if (c := f.tainted(a, scope))), None)
        if not chain:
            continue
        target = _fold_name(f, fn, scope)
        if target in _EXEC_NAMES or (
            fn.type == "function_call_expression" and _call_name(fn) in _STRING_BUILDERS | {
                "file_get_contents", "current", "end", "reset", "array_pop"}
        ) or _string_built(f, fn, scope):  # fmt: skip
            yield Capability(
                CALLBACK_EXEC,
                _line(node),
                f"a function whose name is computed ({target or _short(fn, 30)}) "
                "is called with request input",
                "high",
                (*chain, _at(node)),
            )


_PAIRS = frozenset({"pair", "array_element_initializer"})


def _descendants(node: Node, kinds: frozenset[str], limit: int) -> Iterator[Node]:
    stack = [node]
    seen = 0
    while stack and seen < limit * 20:
        cur = stack.pop()
        seen += 1
        if cur.type in kinds:
            yield cur
        stack.extend(reversed(cur.named_children))


# -- mail --------------------------------------------------------------------------------

_SECRET_FIELD = re.compile(
    r"(?i)\$_(?:POST|GET|REQUEST)\s*\[\s*['\"][^'\"]*(pass|pwd|pin\b|cvv|cvc|ccv|card|ssn|"
    r"expir|otp|secur)|getCc(Number|Cid|Cvv)|cc_?(number|cid|cvv)"
)


def _mail(f: _File) -> list[Capability]:
    out: list[Capability] = []
    for node, scope, name in f.calls("mail", "mb_send_mail"):
        args = _args(node)
        if len(args) < 3:
            continue
        to = f.tainted(args[0], scope)
        rest = [f.tainted(a, scope) for a in args[1:4]]
        steps = (_at(node),)
        if to and any(rest) and f.in_loop(node):
            out.append(
                Capability(
                    MASS_MAILER,
                    _line(node),
                    f"{name}() in a loop sends request-supplied content to a "
                    "request-supplied recipient list",
                    "medium",
                    (*to, *steps),
                    f.guarded(node),
                )
            )
            continue
        if to and len(rest) == 3 and all(rest):
            out.append(
                Capability(
                    MASS_MAILER,
                    _line(node),
                    f"{name}() with recipient, subject, body and sender headers all "
                    "from the request (an open relay for spoofed mail)",
                    "medium",
                    (*to, *steps),
                    f.guarded(node),
                )
            )
            continue
        if to:
            continue
        recipient = f.const(args[0], scope)
        if recipient is None or b"@" not in recipient:
            continue
        body = "\n".join(f.reaching_text(a, scope) for a in args[1:3])
        secret = _SECRET_FIELD.search(body)
        if secret:
            out.append(
                Capability(
                    MAIL_EXFIL,
                    _line(node),
                    "typed-in secrets (" + secret.group(0)[-24:] + ") are mailed to "
                    "the fixed address " + recipient.decode("latin-1")[:60],
                    "medium",
                    steps,
                )
            )
            continue
        where = next((c for a in args[1:4] if (c := f.loc.taint(a, scope))), None)
        if where:
            out.append(
                Capability(
                    MAIL_EXFIL,
                    _line(node),
                    "the page mails its own location on the server to the fixed "
                    "address " + recipient.decode("latin-1")[:60],
                    "medium",
                    (*where, *steps),
                )
            )
    return out


# -- SQL ---------------------------------------------------------------------------------

_SQL_FUNCS = {
    "mysql_query": 0, "mysql_unbuffered_query": 0, "mysqli_query": 1, "mysqli_multi_query": 1,
    "mysqli_real_query": 1, "mysql_db_query": 1, "pg_query": -1, "pg_send_query": -1,
    "mssql_query": 0, "sqlsrv_query": 1, "sqlite_query": -1, "sqlite_exec": -1,
    "oci_parse": 1, "odbc_exec": 1, "ibase_query": -1,
}  # fmt: skip
_SQL_METHODS = {"query": 0, "exec": 0, "multi_query": 0, "real_query": 0, "unbuffered_query": 0}
_UDF = re.compile(rb"(?is)create\s+function\b.{0,200}?\bsoname\b|into\s+dumpfile\b")


def _sql(f: _File) -> list[Capability]:
    out: list[Capability] = []
    sites = [(n, s, name, _SQL_FUNCS[name]) for n, s, name in f.calls(*_SQL_FUNCS)]
    sites += [
        (n, s, name, _SQL_METHODS[name]) for n, s, name in f.calls(*_SQL_METHODS, methods=True)
    ]
    for node, scope, name, index in sites:
        args = _args(node)
        if not args or not -len(args) <= index < len(args):
            continue
        sql = args[index]
        if f.direct(sql, scope):
            chain = f.tainted(sql, scope) or ()
            out.append(
                Capability(
                    SQL_CONSOLE,
                    _line(node),
                    f"{name}() runs SQL text taken whole from the request",
                    "medium",
                    (*chain, _at(node)),
                    f.guarded(node),
                )
            )
            continue
        text = f.reaching_text(sql, scope, 2).encode("utf-8", "replace")
        if _UDF.search(text):
            out.append(
                Capability(
                    SQL_CONSOLE,
                    _line(node),
                    f"{name}() loads a native library into the database server "
                    "(user-defined function / dump file)",
                    "high",
                    (_at(node),),
                )
            )
    return out


# -- network -----------------------------------------------------------------------------

_CONNECT = {"fsockopen": (0, 1), "pfsockopen": (0, 1), "socket_connect": (1, 2),
            "stream_socket_client": (0, 0)}  # fmt: skip
_RELAY_IO = re.compile(rb"(?i)\b(socket_read|socket_recv|fread|stream_get_contents|fgets)\s*\(")
_RELAY_OUT = re.compile(rb"(?i)\b(socket_write|socket_send|fwrite|fputs)\s*\(")


def _network(f: _File) -> list[Capability]:
    out: list[Capability] = []
    for node, scope, name in f.calls(*_CONNECT):
        args = _args(node)
        host_i, port_i = _CONNECT[name]
        host = f.tainted(args[host_i], scope) if len(args) > host_i else None
        port = f.tainted(args[port_i], scope) if len(args) > port_i else None
        direct = any(f.direct(args[i], scope) for i in {host_i, port_i} if i < len(args))
        if (host or port) and direct and f.in_loop(node):
            out.append(
                Capability(
                    NET_SCANNER,
                    _line(node),
                    f"{name}() to request-chosen hosts/ports inside a loop "
                    "(a port scanner or flooder)",
                    "medium",
                    (*(host or port or ()), _at(node)),
                    f.guarded(node),
                )
            )
        elif host and port:
            writes = [w for w, s, _ in f.calls("fwrite", "fputs", "socket_write", "socket_send")
                      if any(f.tainted(a, s) for a in _args(w)[1:2])]  # fmt: skip
            if writes:
                out.append(
                    Capability(
                        NET_RELAY,
                        _line(node),
                        f"{name}() to a request-chosen host and port, then sends "
                        "request data to it (a tunnel)",
                        "medium",
                        (*host, _at(node)),
                        f.guarded(node),
                    )
                )
    # endless connect/write loops with no request at all: a flooder run from the shell
    for node, _scope, _name in f.calls("socket_write", "socket_send", "fwrite", "fputs"):
        loop = _enclosing(node, _LOOP_TYPES)
        if loop is None or not _endless(loop):
            continue
        body = _text(loop, 6000)
        if re.search(r"(?i)\b(socket_connect|fsockopen|stream_socket_client)\s*\(", body):
            out.append(
                Capability(
                    NET_SCANNER,
                    _line(node),
                    "opens connections and writes to them in an endless loop (a flooder)",
                    "medium",
                    (_at(node),),
                )
            )
            break
    for node, _scope, _name in f.calls("pcntl_fork"):
        loop = _enclosing(node, _LOOP_TYPES)
        if loop is not None and _endless(loop):
            out.append(
                Capability(
                    NET_SCANNER,
                    _line(node),
                    "forks in an endless loop (a fork bomb)",
                    "medium",
                    (_at(node),),
                )
            )
            break
    listeners = list(f.calls("socket_bind", "stream_socket_server", "socket_listen"))
    if listeners:
        relays = _RELAY_IO.search(f.data) and _RELAY_OUT.search(f.data)
        multiplex = re.search(rb"(?i)\b(socket_select|stream_select|socket_accept|"
                              rb"stream_socket_accept)\s*\(", f.data)  # fmt: skip
        node, scope, name = listeners[0]
        bound = next((c for n, s, _ in listeners for a in _args(n) if (c := f.tainted(a, s))), None)
        connects = re.search(rb"(?i)\b(socket_connect|fsockopen|stream_socket_client)\s*\(", f.data)
        if relays and multiplex and (bound or connects):
            out.append(
                Capability(
                    NET_RELAY,
                    _line(node),
                    "listens on a port and copies data between sockets (a proxy or port forwarder)",
                    "medium",
                    (*(bound or ()), _at(node)),
                )
            )
    # an HTTP relay: every request parameter is forwarded to another server
    for node, scope, _name in f.calls("curl_setopt"):
        args = _args(node)
        if len(args) < 3 or _text(args[1], 40) != "CURLOPT_POSTFIELDS":
            continue
        if _forwards_all(f, args[2], scope):
            out.append(
                Capability(
                    NET_RELAY,
                    _line(node),
                    "forwards every request parameter to another server "
                    "(an HTTP relay in front of a web shell)",
                    "medium",
                    (_at(node),),
                )
            )
    return out


def _forwards_all(f: _File, node: Node, scope: int) -> bool:
    """POST fields built from every request parameter, sent on with the query string."""
    text = f.data.decode("latin-1")
    every = re.search(r"foreach\s*\(\s*\$_(POST|GET|REQUEST)\s+as\s+\$\w+\s*=>", text)
    whole = re.fullmatch(r"\s*\$_(POST|REQUEST)\s*", _text(node, 40))
    query = re.search(r"\$_SERVER\s*\[\s*['\"]QUERY_STRING", text)
    return bool((every and f.tainted(node, scope)) or whole) and query is not None


def _enclosing(node: Node, kinds: set[str]) -> Node | None:
    parent = node.parent
    hops = 0
    while parent is not None and hops < 40 and parent.type not in _FUNC_TYPES:
        if parent.type in kinds:
            return parent
        parent = parent.parent
        hops += 1
    return None


def _endless(loop: Node) -> bool:
    if loop.type == "while_statement":
        cond = loop.child_by_field_name("condition")
        return re.fullmatch(r"\(\s*(1|true|TRUE|True)\s*\)", _text(cond, 40)) is not None
    if loop.type == "for_statement":
        return re.match(r"for\s*\(\s*;\s*;", _text(loop, 40)) is not None
    return False


# -- files ---------------------------------------------------------------------------------

_REQUEST_TEXT = re.compile(r"\$_(POST|GET|REQUEST|COOKIE)\s*\[")
_WRITE_MODE = re.compile(rb"^[wax]b?\+?t?$|^[wax]\+?b?$|^aw\+?$")
_EXEC_CODE = re.compile(
    rb"(?is)<\?.{0,400}?\b(eval|assert|system|passthru|shell_exec|exec|create_function)\s*\("
    rb".{0,80}?\$_(POST|GET|REQUEST|COOKIE)"
)
_INDEX_NAME = re.compile(rb"(?i)(^|[/\\])index\.(php\d?|html?|asp|aspx|jsp)$")


def _fixed_page(f: _File, content: Node, scope: int) -> bool:
    """The content written is one fixed page (a literal or a value folded from literals), not
    a document the script assembles in a loop, as site generators do."""
    if f.const(content, scope):
        return True
    names = re.findall(r"\$(\w+)", _text(content, 400))[:8]
    return not any(
        a.value is not None and f.in_loop(a.value)
        for name in names
        for a in f.req._assigns(name)[:40]
    )


def _fopen_handles(f: _File) -> dict[str, list[tuple[Node, int, bytes]]]:
    """``$h = fopen(path, mode)`` with a write mode: handle variable -> every (call, scope,
    mode) that assigns it, in source order (a page may reopen the same handle variable)."""
    out: dict[str, list[tuple[Node, int, bytes]]] = {}
    for node, scope, _name in f.calls("fopen"):
        args = _args(node)
        if len(args) < 2:
            continue
        mode = (f.const(args[1], scope) or b"").strip().lower()
        if not _WRITE_MODE.match(mode):
            continue
        parent = node.parent
        while parent is not None and parent.type in ("error_suppression_expression",
                                                      "parenthesized_expression"):  # fmt: skip
            parent = parent.parent
        if parent is not None and parent.type == "assignment_expression":
            left = parent.child_by_field_name("left")
            if left is not None and left.type == "variable_name":
                out.setdefault(_text(left, 80).lstrip("$"), []).append((node, scope, mode))
        elif parent is not None and parent.type in ("argument", "arguments"):
            out[f"@{node.id}"] = [(node, scope, mode)]
    return out


def _opener_for(
    openers: list[tuple[Node, int, bytes]] | None, writer: Node, scope: int
) -> tuple[Node, int, bytes] | None:
    """The fopen() a write goes through: the last one before it in the same scope, else the
    last one before it, else the first one (a handle opened in a later-defined function)."""
    if not openers:
        return None
    before = [o for o in openers if o[0].start_byte < writer.start_byte]
    same = [o for o in before if o[1] == scope]
    return (same or before or openers)[-1 if (same or before) else 0]


def _files(f: _File) -> list[Capability]:
    out: list[Capability] = []
    handles = _fopen_handles(f)
    for writer, wscope, wname in f.calls("fwrite", "fputs", "file_put_contents"):
        args = _args(writer)
        if len(args) < 2:
            continue
        content = args[1]
        if wname == "file_put_contents":
            opener, oscope, target = writer, wscope, args[0]
        else:
            handle = args[0]
            while handle.type == "error_suppression_expression" and handle.named_child_count:
                handle = handle.named_children[0]
            if handle.type == "function_call_expression":
                key = f"@{handle.id}"
            else:
                key = _text(handle, 80).lstrip("$")
            found = _opener_for(handles.get(key), writer, wscope)
            if found is None:
                continue
            opener, oscope, _mode = found
            target = _args(opener)[0]
        data_chain = f.tainted(content, wscope)
        path_chain = f.tainted(target, oscope)
        path_text = _text(target, 200)
        steps = (_at(opener), _at(writer))
        folded = f.const(content, wscope) or b""
        if folded and _EXEC_CODE.search(folded):
            out.append(
                Capability(
                    CODE_WRITE,
                    _line(writer),
                    "writes PHP code that runs request input into a file (a dropper)",
                    "high",
                    steps,
                )
            )
            continue
        if "__FILE__" in path_text and (
            data_chain or _REQUEST_TEXT.search(f.reaching_text(content, wscope, 3))
        ):
            out.append(
                Capability(
                    CODE_WRITE,
                    _line(writer),
                    "appends request input to its own PHP source",
                    "high",
                    (*(data_chain or ()), *steps),
                )
            )
            continue
        if data_chain and path_chain and f.tail_direct(target, oscope):
            out.append(
                Capability(
                    FILE_DROP,
                    _line(writer),
                    "writes request content to a request-named file",
                    "medium",
                    (*path_chain, *steps),
                    f.guarded(writer),
                )
            )
            continue
        target_value = f.const(target, oscope) or b""
        if (
            _INDEX_NAME.search(target_value.strip())
            and not data_chain
            and _fixed_page(f, content, wscope)
        ):
            out.append(
                Capability(
                    DEFACE,
                    _line(writer),
                    "overwrites the site's index page with fixed content",
                    "medium",
                    steps,
                )
            )
            continue
        if (
            "DOCUMENT_ROOT" in path_text
            and re.search(r"(?i)https?://", f.reaching_text(content, wscope, 3))
            and re.search(r"(?i)curl_exec|file_get_contents", f.reaching_text(content, wscope, 3)
                          + f.data.decode("latin-1"))
        ):  # fmt: skip
            out.append(
                Capability(
                    DEFACE,
                    _line(writer),
                    "downloads a page from the internet into the web root",
                    "medium",
                    steps,
                )
            )
    # a payload appended to another file, its timestamp then forged
    for node, _scope, _name in f.calls("touch"):
        args = _args(node)
        if len(args) >= 2 and handles and re.search(r"(?i)mktime|strtotime|\d{9,}", _text(args[1])):
            for opener, _oscope, _mode in (o for opens in handles.values() for o in opens):
                if _text(_args(opener)[0]) == _text(args[0]):
                    out.append(
                        Capability(
                            CODE_WRITE,
                            _line(node),
                            "writes to a file and back-dates its timestamp",
                            "high",
                            (_at(opener), _at(node)),
                        )
                    )
                    break
    # uploads to a request-named place
    for node, scope, name in f.calls("copy", "move_uploaded_file"):
        args = _args(node)
        if len(args) < 2:
            continue
        src = _text(args[0], 200)
        if not re.search(r"\$(_FILES|HTTP_POST_FILES)\b|tmp_name", src + f.reaching_text(
                args[0], scope, 2)):  # fmt: skip
            continue
        dest = f.tainted(args[1], scope)
        if dest and f.tail_direct(args[1], scope):
            out.append(
                Capability(
                    FILE_DROP,
                    _line(node),
                    f"{name}() stores an uploaded file under a request-chosen name or directory",
                    "low" if _confined(f, args[1], scope) else "medium",
                    (*dest, _at(node)),
                    f.guarded(node),
                )
            )
    for node, scope, _name in f.calls("chmod"):
        args = _args(node)
        if len(args) >= 2 and f.direct(args[0], scope):
            mode = _text(args[1], 10)
            if mode in ("0777", "0666", "777", "0757", "0775"):
                out.append(
                    Capability(
                        FS_BROWSER,
                        _line(node),
                        "makes a request-chosen path world-writable",
                        "medium",
                        (_at(node),),
                        f.guarded(node),
                    )
                )
    return out


#: The file checks what type an upload is (its extension or its content): upload forms of
#: applications do, shells do not.
_UPLOAD_TYPE_CHECK = re.compile(
    rb"(?i)PATHINFO_EXTENSION|\bpathinfo\s*\(|getimagesize|exif_imagetype|finfo_|mime_content_type"
)


def _confined(f: _File, node: Node, scope: int) -> bool:
    """The destination keeps only the base name of the request value (an upload folder), or
    the file checks the upload's type before storing it."""
    if _UPLOAD_TYPE_CHECK.search(f.data):
        return True
    text = f.reaching_text(node, scope, 2)
    return bool(re.search(r"(?i)\bbasename\s*\(|preg_replace\s*\(|uniqid|md5\s*\(|time\s*\(", text))


# -- host reconnaissance ---------------------------------------------------------------------

_PASSWD = re.compile(rb"/etc/(passwd|shadow)\b")
_READERS = {"fopen", "file", "file_get_contents", "readfile", "fread", "highlight_file",
            "show_source", "copy", "posix_getpwuid", "fgets"}  # fmt: skip
_CONFIG_NAMES = re.compile(
    rb"(?i)['\"][\w/.-]*(wp-config|configuration|config\.inc|settings|db|conf|connect)"
    rb"[\w.-]*\.php['\"]"
)


def _recon(f: _File) -> list[Capability]:
    out: list[Capability] = []
    for lit in f.string_nodes(_PASSWD):
        parent = lit.parent
        hops = 0
        while parent is not None and hops < 4 and parent.type not in _CALL_TYPES:
            parent = parent.parent
            hops += 1
        if parent is not None and _call_name(parent) in _READERS:
            out.append(
                Capability(
                    HOST_RECON,
                    _line(lit),
                    "reads the system account list (/etc/passwd) to find other "
                    "users and their sites",
                    "medium",
                    (_at(parent),),
                )
            )
            break
    symlinks = list(f.calls("symlink", "link"))
    for node, scope, _name in symlinks:
        args = _args(node)
        if not args:
            continue
        target = f.const(args[0], scope)
        text = f.reaching_text(args[0], scope, 2).encode("utf-8", "replace")
        if (
            target == b"/"
            or _CONFIG_NAMES.search(text)
            or (f.in_loop(node) and re.search(rb"/home|/var/www|\.\./\.\.", text))
        ):
            out.append(
                Capability(
                    HOST_RECON,
                    _line(node),
                    "symlinks the file system root or other users' configuration "
                    "files into the web root",
                    "medium",
                    (_at(node),),
                )
            )
            break
    # scanning /tmp for other sessions, reading each
    for node, scope, _name in f.calls("opendir", "scandir", "glob"):
        args = _args(node)
        where = f.const(args[0], scope) if args else None
        session_dirs = (b"/tmp", b"/var/lib/php/sessions", b"/var/lib/php5")
        if where is not None and where.rstrip(b"/") in session_dirs and b"sess_" in f.data:
            out.append(
                Capability(
                    HOST_RECON,
                    _line(node),
                    "reads other visitors' PHP session files",
                    "medium",
                    (_at(node),),
                )
            )
            break
    # other sites' configuration files, found by walking users or directories
    if out and len(_CONFIG_NAMES.findall(f.data)) >= 3:  # the costly test last
        readers = [n for n, _, _ in f.calls("fopen", "file_get_contents", "file", "readfile")]
        if readers or symlinks:
            node = (readers or [n for n, _, _ in symlinks])[0]
            out.append(
                Capability(
                    HOST_RECON,
                    _line(node),
                    "looks for other sites' configuration files (database passwords)",
                    "medium",
                    (_at(node),),
                )
            )
    for node, _scope, _name in f.calls("ftp_login"):
        if f.in_loop(node) or any(f.in_loop(c) for c, _, _ in f.calls("ftp_connect")):
            out.append(
                Capability(
                    HOST_RECON,
                    _line(node),
                    "tries FTP logins in a loop (password guessing)",
                    "medium",
                    (_at(node),),
                )
            )
            break
    # IIS metabase and local accounts through COM
    for lit in f.string_nodes(re.compile(rb"(?i)IIS://localhost|Shell\.Users|WinNT://")):
        if re.search(rb"(?i)AnonymousUserPass|->create\s*\(|changePassword|SetPassword", f.data):
            out.append(
                Capability(
                    HOST_RECON,
                    _line(lit),
                    "reads IIS site credentials or creates local accounts through COM",
                    "medium",
                    (_at(lit),),
                )
            )
            break
    return out


# -- arbitrary file read and directory browsing ----------------------------------------------

_WRAPPER = re.compile(r"(?i)compress\.zlib://|file:(?:file:)?//|php://filter|glob://")


def _browse(f: _File) -> list[Capability]:
    out: list[Capability] = []
    for node, scope, name in f.calls("copy", "fopen", "file_get_contents", "readfile",
                                     "file", "curl_setopt", "curl_init", "include"):  # fmt: skip
        args = _args(node)
        if not args:
            continue
        target = args[-1] if name == "curl_setopt" else args[0]
        if name == "curl_setopt" and (len(args) < 3 or _text(args[1], 20) != "CURLOPT_URL"):
            continue
        text = _text(target, 300)
        if _WRAPPER.search(text) and f.tainted(target, scope):
            out.append(
                Capability(
                    WRAPPER_READ,
                    _line(node),
                    f"{name}() reads a request-chosen path through a stream "
                    "wrapper (a safe_mode/open_basedir bypass)",
                    "medium",
                    (_at(node),),
                )
            )
            break
    listings: list[tuple[Node, int, str]] = []
    for node, scope, name in f.calls("opendir", "scandir", "glob", "dir"):
        args = _args(node)
        if args and f.head_direct(args[0], scope):
            listings.append((node, scope, name))
    if listings:
        node, scope, name = listings[0]
        recursive = any(_recursive(f, n) for n, _, _ in listings)
        writable = re.search(rb"(?i)\bis_writ(e)?able\s*\(", f.data) is not None
        reads = [
            n for n, s, _ in f.calls("fopen", "file_get_contents", "readfile", "file",
                                     "highlight_file", "show_source")
            if _args(n) and f.head_direct(_args(n)[0], s)
        ]  # fmt: skip
        if recursive and writable:
            out.append(
                Capability(
                    FS_BROWSER,
                    _line(node),
                    f"{name}() walks a request-chosen directory tree looking for writable places",
                    "medium",
                    (_at(node),),
                    f.guarded(node),
                )
            )
        elif reads or recursive:
            out.append(
                Capability(
                    FS_BROWSER,
                    _line(node),
                    f"{name}() lists any directory and the page shows any file the request names",
                    "medium" if reads else "low",
                    (_at(node),),
                    f.guarded(node),
                )
            )
    return out


def _function_of(node: Node) -> Node | None:
    parent = node.parent
    hops = 0
    while parent is not None and hops < 200:
        if parent.type in _FUNC_TYPES:
            return parent if parent.type == "function_definition" else None
        parent = parent.parent
        hops += 1
    return None


def _recursive(f: _File, node: Node) -> bool:
    """``node`` sits in a named function that calls itself (a directory walker)."""
    fn = _function_of(node)
    if fn is None:
        return False
    name = _text(fn.child_by_field_name("name"), 80)
    body = fn.child_by_field_name("body")
    return (
        bool(name)
        and re.search(r"(?<![\w$>])" + re.escape(name) + r"\s*\(", _text(body)) is not None
    )


# -- CMS account backdoors and hard-coded secret gates ---------------------------------------


def _cms(f: _File) -> list[Capability]:
    out: list[Capability] = []
    for node, scope, _name in f.calls("set_role", "add_role", methods=True):
        args = _args(node)
        if not args or f.const(args[0], scope) != b"administrator":
            continue
        creators = [
            (c, s) for c, s, _ in f.calls("wp_create_user", "wp_insert_user")
            if any(f.tainted(a, s) for a in _args(c))
        ]  # fmt: skip
        if creators:
            c, _s = creators[0]
            out.append(
                Capability(
                    CMS_ACCOUNT,
                    _line(node),
                    "creates a WordPress administrator whose name and password "
                    "come from the request",
                    "high",
                    (_at(c), _at(node)),
                )
            )
            break
    for node, _scope, _name in f.calls("wp_set_auth_cookie", "wp_set_current_user"):
        loop = _enclosing(node, _LOOP_TYPES)
        if loop is not None and re.search(r"user_can\s*\(|administrator|get_users\s*\(",
                                          _text(loop, 4000)):  # fmt: skip
            out.append(
                Capability(
                    CMS_ACCOUNT,
                    _line(node),
                    "logs the visitor in as the first administrator it finds, without a password",
                    "high",
                    (_at(node),),
                )
            )
            break
    return out


_HASH_LITERAL = re.compile(rb"['\"]([0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})['\"]")
_ACTIONS = re.compile(
    r"(?i)\b(mail|mysql_query|mysqli_query|->query|wp_create_user|fwrite|fputs|file_put_contents"
    r"|copy|move_uploaded_file|unlink|set_role|curl_exec|fsockopen)\s*\("
)


def _secret_gate(f: _File) -> list[Capability]:
    """A request value compared with a hash literal written into the code, guarding actions.

    Applications compare passwords with stored, per-user hashes; a back door carries its
    one password hash in its own source.
    """
    out: list[Capability] = []
    for lit in f.string_nodes(_HASH_LITERAL):
        comparison = lit.parent
        if comparison is None or comparison.type != "binary_expression":
            continue
        op = comparison.child_by_field_name("operator")
        if op is None or op.type not in ("==", "===", "!=", "!=="):
            continue
        scope = f.req.scope_of(comparison)
        other = next((c for c in comparison.named_children if c.id != lit.id), None)
        direct = other is not None and (
            f.direct(other, scope)
            or (other.type == "function_call_expression" and _call_name(other) in
                ("md5", "sha1", "hash", "crc32") and any(f.direct(a, scope)
                                                        for a in _args(other)))
        )  # fmt: skip
        if not direct:
            continue
        block = _enclosing(comparison, {"if_statement"})
        guarded_text = _text(block, 20000) if block is not None else f.data.decode("latin-1")
        action = _ACTIONS.search(guarded_text)
        if action:
            out.append(
                Capability(
                    SECRET_GATE,
                    _line(comparison),
                    "a request value is checked against a password hash written "
                    f"into the file, unlocking {action.group(1).lstrip('->')}()",
                    "medium",
                    (_at(comparison),),
                )
            )
            break
    return out


# -- droppers, cloaking, ransomware and other tools without a request-to-sink path ---------
#
# Additive rules (SSC-003-490..499 and extensions of 451/455/456/457/458/459): each looks for a
# COMBINATION of facts, never a name. They share two small questions: "is this value the body
# of a page fetched from a fixed internet address?" and "which user function is this?".

#: a literal absolute URL with a host name (``"http://" . $host`` is not a fixed address)
_URL_LITERAL = re.compile(r"""['"](https?://[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}[^'"\s]*)['"]""")
_URL_ARG = r"""\s*\(\s*['"](https?://[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}[^'"\s]*)"""
_DIRECT_FETCH = re.compile(
    r"(?i)(?<![\w$>:])(?:file_get_contents|file|fopen|curl_init|wp_remote_get)"
    + _URL_ARG
    + r"""|CURLOPT_URL\s*(?:,|=>)\s*['"](https?://[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}[^'"\s]*)"""
)
_FETCH_API = re.compile(
    r"(?i)(?<![\w$>:])(curl_exec|file_get_contents|file|fopen|stream_get_contents|fsockopen"
    r"|wp_remote_get|wp_remote_retrieve_body)\s*\("
)
_PHP_NAME = re.compile(r"(?i)\.(php\d?|phtml|pht|phar|inc)\s*$")
_OWN_PLACE = re.compile(r"(?i)DOCUMENT_ROOT|__FILE__|__DIR__|getcwd\s*\(")


def _reaching(f: _File, node: Node | None, scope: int, hops: int = 3) -> str:
    """Like ``_File.reaching_text`` (the expression and the assignments of the variables it
    uses, ``hops`` deep) but each variable is expanded once: linear in the file, where the
    recursive form revisits shared variables exponentially on long generated pages."""
    if node is None:
        return ""
    parts = [_text(node, 2000)]
    seen: set[str] = set()
    frontier = [(parts[0], hops)]
    size = len(parts[0])
    while frontier and size < 20000:
        text, left = frontier.pop(0)
        if left <= 0:
            continue
        for name in re.findall(r"\$(\w+)", text)[:12]:
            if name in seen:
                continue
            seen.add(name)
            for assign in f.req._assigns(name)[:12]:
                if assign.value is not None:
                    piece = _text(assign.value, 2000)
                    parts.append(piece)
                    size += len(piece)
                    frontier.append((piece, left - 1))
    return "\n".join(parts)[:20000]


def _user_function(f: _File, name: str) -> Node | None:
    fn = f.req._functions().get(name.lower())
    return fn.node if fn is not None else None


def _fetch_url(f: _File, node: Node, scope: int, fixed: list[tuple[str, str]] | None = None) -> str:
    """The fixed internet address whose response the expression carries, or ``""``.

    A literal ``http(s)://host/...`` must be what a fetch API reads: in the expression's own
    reaching text (``file_get_contents('https://...')``), as the argument of a download helper
    it calls (``get('https://...')`` where ``get`` fetches its parameter), inside that helper,
    or at the call sites of the function that encloses the expression (a helper called with a
    fixed URL)."""
    text = _reaching(f, node, scope, 3)
    hit = _DIRECT_FETCH.search(text)
    if hit is not None:
        return hit.group(1) or hit.group(2)
    for call_text, url in _fixed_fetches(f) if fixed is None else fixed:
        if call_text in text:
            return url
    fetches = _FETCH_API.search(text) is not None
    for count, m in enumerate(_CALL_SITE.finditer(text.encode("utf-8", "replace"))):
        name = m.group(1).decode("ascii", "replace")
        body = _user_function(f, name) if count < 40 else None
        if body is None or body.start_byte <= node.start_byte < body.end_byte:
            continue
        body_text = _text(body, 20000)
        if not _FETCH_API.search(body_text):
            continue
        arg = re.search(re.escape(name) + _URL_ARG, text)
        if arg is not None:
            return str(arg.group(1))
        inner = _DIRECT_FETCH.search(body_text)
        if inner is not None:
            return str(inner.group(1) or inner.group(2))
    if not fetches:
        return ""
    fn = _function_of(node)
    if fn is None:
        return ""
    found = _DIRECT_FETCH.search(_text(fn, 20000))
    if found is not None:
        return str(found.group(1) or found.group(2))
    name = _text(fn.child_by_field_name("name"), 80)
    for call, _scope, _name in f.calls(name) if name else ():
        if fn.start_byte <= call.start_byte < fn.end_byte:
            continue
        lit = next((u for a in _args(call) if (u := _URL_LITERAL.fullmatch(_text(a, 400)))), None)
        if lit is not None:
            return str(lit.group(1))
    return ""


def _fixed_fetches(f: _File) -> list[tuple[str, str]]:
    """(call text, URL) of the fetch calls whose address folds to a fixed URL through
    variables or array entries (``$list = $cfg['url']; file($list)``)."""
    out = []
    for node, scope, _name in f.calls("file", "file_get_contents", "fopen", "curl_init"):
        args = _args(node)
        value = f.const(args[0], scope) if args and args[0].type != "string" else None
        url = _URL_LITERAL.fullmatch(f"'{value.decode('latin-1')}'") if value else None
        if url is None and args and args[0].type == "variable_name":
            url = _entry_url(f, _reaching(f, args[0], scope, 2))
        if url is not None:
            out.append((_text(node, 200), url.group(1)))
    return out


def _entry_url(f: _File, text: str) -> re.Match[str] | None:
    """A fixed URL stored in an array entry the text reads (``$cfg['list'] = 'https://...'``)."""
    for m in re.finditer(r"(?m)^\$(\w+)\s*\[\s*['\"]([\w.-]{1,40})['\"]\s*\]\s*$", text):
        entry = re.search(
            r"\$"
            + m.group(1)
            + r"\s*\[\s*['\"]"
            + re.escape(m.group(2))
            + r"['\"]\s*\]\s*=\s*"
            + _URL_LITERAL.pattern,
            f.data.decode("latin-1"),
        )
        if entry is not None:
            return _URL_LITERAL.search(entry.group(0))
    return None


def _self_calling(node: Node) -> Node | None:
    """The function or method around ``node`` when it calls itself (a directory walker)."""
    fn = node.parent
    hops = 0
    while fn is not None and hops < 200 and fn.type not in _FUNC_TYPES:
        fn = fn.parent
        hops += 1
    if fn is None or fn.type not in ("function_definition", "method_declaration"):
        return None
    name = _text(fn.child_by_field_name("name"), 80)
    body = _text(fn.child_by_field_name("body"))
    return fn if name and re.search(r"(?<![\w$])" + re.escape(name) + r"\s*\(", body) else None


def _written(f: _File) -> Iterator[tuple[Node, int, Node, Node, int, Node]]:
    """(writer, its scope, content, opener, its scope, target) for every file write:
    ``file_put_contents``, and ``fwrite``/``fputs`` through the ``fopen`` that opened the handle."""
    handles = _fopen_handles(f)
    for writer, wscope, wname in f.calls("fwrite", "fputs", "file_put_contents"):
        args = _args(writer)
        if len(args) < 2:
            continue
        if wname == "file_put_contents":
            yield writer, wscope, args[1], writer, wscope, args[0]
            continue
        handle = args[0]
        while handle.type == "error_suppression_expression" and handle.named_child_count:
            handle = handle.named_children[0]
        key = f"@{handle.id}" if handle.type == "function_call_expression" else (
            _text(handle, 80).lstrip("$"))  # fmt: skip
        found = _opener_for(handles.get(key), writer, wscope)
        if found is not None and _args(found[0]):
            yield writer, wscope, args[1], found[0], found[1], _args(found[0])[0]


def _target_name(f: _File, target: Node, scope: int) -> str:
    """The file name a write goes to: the folded constant, else the literal tail of the
    expression (``$_SERVER['DOCUMENT_ROOT'] . '/x.php'``) or of the value it was assigned."""
    value = f.const(target, scope)
    if value is not None:
        return value.decode("latin-1").strip()
    text = _reaching(f, target, scope, 2)
    first = text.split("\n", 1)[0]
    tail = re.search(r"""['"]([^'"$]{1,120})['"]\s*\)?\s*;?\s*$""", first)
    if tail is None and "\n" in text:
        tail = re.search(r"""['"]([^'"$]{1,120})['"]\s*\)?\s*;?\s*$""", text.split("\n")[1])
    return tail.group(1) if tail is not None else ""


_MAX_WRITES = 60  # file writes examined per file by the rules below
#: substring pre-tests (on the lower-cased file) before any regular expression or tree walk
_DECODER_WORDS = (b"base64_decode", b"gzinflate", b"gzuncompress", b"gzdecode", b"str_rot13",
                  b"hex2bin", b"convert_uudecode")  # fmt: skip
_FETCH_WORDS = (b"curl_exec", b"file_get_contents", b"file(", b"fopen", b"fsockopen",
                b"wp_remote_get", b"copy(")  # fmt: skip
_DECODERS = re.compile(
    r"(?i)(?<![\w$>:])(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|hex2bin"
    r"|convert_uudecode)\s*\("
)


def _droppers(f: _File) -> list[Capability]:
    """Code fetched from a fixed internet address written into a PHP file (or a file named
    after the URL), a downloaded page written into the document root, and a decoded payload
    written to a path the request chooses."""
    out: list[Capability] = []
    low = f.lower
    decodes = any(k in low for k in _DECODER_WORDS)
    fetches = b"http" in low and any(k in low for k in _FETCH_WORDS)
    if not (decodes or fetches):
        return out
    fixed = _fixed_fetches(f) if fetches else []
    for count, (writer, wscope, content, opener, oscope, target) in enumerate(_written(f)):
        if count >= _MAX_WRITES:
            break
        steps = (_at(opener), _at(writer)) if opener is not writer else (_at(writer),)
        if decodes and f.direct(target, oscope) and not f.tainted(content, wscope):
            text = _reaching(f, content, wscope, 3)
            if _DECODERS.search(text):
                out.append(
                    Capability(
                        DROPPER,
                        _line(writer),
                        "writes a decoded payload to a path the request chooses (a stager)",
                        "medium",
                        (*(f.tainted(target, oscope) or ()), *steps),
                        f.guarded(writer),
                    )
                )
                continue
        if not fetches:
            continue
        name = _target_name(f, target, oscope)  # the destination first: cheaper than the fetch
        target_text = _reaching(f, target, oscope, 2)
        from_url = not name and re.search(
            r"(?i)\b(basename|pathinfo|PATHINFO_BASENAME|strrchr)\b", target_text
        )
        page = _OWN_PLACE.search(target_text) and re.search(r"(?i)\.(html?|php\d?)$", name)
        if not (_PHP_NAME.search(name) or from_url or page):
            continue
        url = _fetch_url(f, content, wscope, fixed)
        if not url:
            continue
        code = _PHP_NAME.search(name) or (from_url and _PHP_NAME.search(url.split("?")[0]))
        if code:
            out.append(
                Capability(
                    DROPPER,
                    _line(writer),
                    f"downloads {url[:60]} and saves it as PHP code on this server (a dropper)",
                    "high",
                    steps,
                    f.guarded(writer),
                )
            )
        elif page:
            out.append(
                Capability(
                    DEFACE,
                    _line(writer),
                    f"downloads {url[:60]} into a page of the site ({name[-40:]})",
                    "medium",
                    steps,
                )
            )
    for node, scope, _name in f.calls("copy") if fetches else ():
        args = _args(node)
        if len(args) < 2:
            continue
        src = _URL_LITERAL.search(_text(args[0], 400) + "\n" + _reaching(f, args[0], scope, 2))
        name = _target_name(f, args[1], scope)
        if src is not None and _PHP_NAME.search(name):
            out.append(
                Capability(
                    DROPPER,
                    _line(node),
                    f"copies {src.group(1)[:60]} into the PHP file {name[-40:]} (a dropper)",
                    "high",
                    (_at(node),),
                    f.guarded(node),
                )
            )
    return out


# -- search-engine cloaking --------------------------------------------------------------

_CRAWLER_NAME = re.compile(
    r"""(?i)['"][^'"\n]{0,40}(googlebot|bingbot|baiduspider|yandexbot|slurp|msnbot|sogou"""
    r"""|spider|crawl|mediapartners|adsbot|bot\b)[^'"\n]{0,40}['"]"""
)
_ENGINE_NAME = re.compile(
    r"""(?i)['"][^'"\n]{0,40}(google|yahoo|bing|baidu|yandex|sogou|naver|duckduckgo)"""
    r"""[^'"\n]{0,40}['"]"""
)
_STRING_TESTS = re.compile(
    r"(?i)(?<![\w$>:])(stripos|strpos|stristr|strstr|preg_match|str_contains)\s*\("
)
_REDIRECT_TO = re.compile(
    r"""(?i)(location\s*:\s*|location(\.href|\.replace)?\s*(=|\())[^;]{0,40}https?://"""
    r"""[A-Za-z0-9][\w.-]*\.[A-Za-z]{2,}"""
)


def _tests_visitor(f: _File, header: str, names: re.Pattern[str]) -> bool:
    """A string test (``stripos``, ``preg_match`` ...) of a literal name against the visitor's
    ``header``: in the call itself, through the variables it reads, or through the parameter
    of the function it sits in (``isBot($_SERVER['HTTP_USER_AGENT'])``)."""
    source = f.data.decode("latin-1")
    if header not in source:
        return False
    for count, m in enumerate(_STRING_TESTS.finditer(source)):
        if count > _MAX_HITS or not f.budget.spend_nodes(4):
            return False
        call = f.root.descendant_for_byte_range(m.start(), m.start() + 1)
        while call is not None and call.type != "function_call_expression":
            call = call.parent if call.type != "program" else None
        if call is None or not names.search(_text(call, 300)):
            continue
        scope = f.req.scope_of(call)
        if header in _reaching(f, call, scope, 2):
            return True
        fn = _function_of(call)
        name = _text(fn.child_by_field_name("name"), 80) if fn is not None else ""
        for site, sscope, _ in f.calls(name) if name else ():
            if header in _reaching(f, site, sscope, 2):
                return True
    return False


def _cloaking(f: _File) -> list[Capability]:
    """Pages shown to search-engine crawlers come from another server (or search visitors are
    sent elsewhere): the page identifies crawlers by user agent and search visitors by referer,
    and prints content fetched from a fixed internet address or redirects to one."""
    if b"http_user_agent" not in f.lower:
        return []
    crawler = _tests_visitor(f, "HTTP_USER_AGENT", _CRAWLER_NAME)
    if not crawler:
        return []
    searcher = _tests_visitor(f, "HTTP_REFERER", _ENGINE_NAME)
    printed: tuple[Node, str] | None = None
    for count, m in enumerate(re.finditer(rb"(?i)(?<![\w$>])(echo|print|die|exit)\b", f.data)):
        if count > _MAX_HITS or not f.budget.spend_nodes(4):
            break
        node = f.root.descendant_for_byte_range(m.start(), m.end())
        while node is not None and node.type not in (
            "echo_statement", "print_intrinsic", "exit_statement", "program"
        ):  # fmt: skip
            node = node.parent
        if node is None or node.type == "program":
            continue
        scope = f.req.scope_of(node)
        for arg in node.named_children[:3]:
            url = _fetch_url(f, arg, scope)
            if url:
                printed = (node, url)
                break
        if printed:
            break
    redirect = _REDIRECT_TO.search(f.data.decode("latin-1")) is not None
    if printed and (searcher or redirect):
        node, url = printed
        return [
            Capability(
                SEO_CLOAK,
                _line(node),
                f"shows search-engine crawlers content fetched from {url[:60]} and treats "
                "visitors from search engines differently (SEO spam cloaking)",
                "medium",
                (_at(node),),
            )
        ]
    return []


# -- ransomware ----------------------------------------------------------------------------

_ENCRYPT = re.compile(
    r"(?i)(?<![\w$>:])(openssl_encrypt|mcrypt_encrypt|sodium_crypto_secretbox|sodium_crypto_box"
    r"|sodium_crypto_aead_\w+_encrypt)\s*\("
)


def _ransomware(f: _File) -> list[Capability]:
    """A recursive walk of directories whose files are read, encrypted and written back (or
    renamed with a new extension): the site locked for ransom."""
    if not any(k in f.lower for k in (b"openssl_encrypt", b"mcrypt_encrypt", b"sodium_crypto_")):
        return []
    walkers = [n for n, _, _ in f.calls("opendir", "scandir", "glob") if _self_calling(n)]
    if not walkers and b"RecursiveDirectoryIterator" not in f.data:
        return []
    for writer, wscope, content, _opener, _oscope, target in _written(f):
        text = _reaching(f, content, wscope, 3)
        enc = _ENCRYPT.search(text)
        if enc is None:
            for m in _CALL_SITE.finditer(text.encode("utf-8", "replace")):
                body = _user_function(f, m.group(1).decode("ascii", "replace"))
                if body is not None and _ENCRYPT.search(_text(body, 20000)):
                    enc = _ENCRYPT.search(_text(body, 20000))
                    break
        if enc is None:
            continue
        path = _text(target, 80)
        fn = _function_of(writer)
        body = _text(fn, 20000) if fn is not None else f.data.decode("latin-1")
        reads_same = re.search(
            r"(?i)(file_get_contents|fopen|file)\s*\(\s*" + re.escape(path) + r"\s*[,)]", body
        )
        if path.startswith("$") and reads_same:
            return [
                Capability(
                    RANSOM,
                    _line(writer),
                    f"walks directories and overwrites each file with its {enc.group(1)}() "
                    "encrypted copy (ransomware)",
                    "high",
                    (_at(walkers[0]) if walkers else _at(writer), _at(writer)),
                )
            ]
    return []


# -- reverse-IP lookups, list mailers, web-shell controllers, own-directory uploads ---------

_SEARCH_URL = re.compile(
    r"(?i)https?://[\w.]*(bing|google|yahoo|baidu|yandex)\.[\w.]+/\w*search|reverse-?ip"
)


def _reverse_ip(f: _File) -> list[Capability]:
    """A request-given address put into a search engine's ``ip:`` query (or a reverse-IP
    service): listing the other sites hosted on the same server, to attack them next."""
    if b"ip:" not in f.lower or _SEARCH_URL.search(f.data.decode("latin-1")) is None:
        return []
    for node in f.string_nodes(re.compile(rb"(?i)\bip:")):
        scope = f.req.scope_of(node)
        chain = f.tainted(node, scope)
        if chain is None:
            for call in _enclosing_calls(node):
                fn = _user_function(f, _call_name(call))
                chain = f.tainted(call, scope) if fn is not None else None
                if chain:
                    break
        if chain:
            return [
                Capability(
                    HOST_RECON,
                    _line(node),
                    "asks a search engine for the other sites on a request-given IP address "
                    "(reverse-IP target harvesting)",
                    "medium",
                    (*chain, _at(node)),
                )
            ]
    return []


def _enclosing_calls(node: Node) -> Iterator[Node]:
    parent = node.parent
    hops = 0
    while parent is not None and hops < 6:
        if parent.type == "function_call_expression":
            yield parent
        parent = parent.parent
        hops += 1


def _list_mailer(f: _File) -> list[Capability]:
    """``mail()`` in a loop over recipients read from a list at a fixed internet address: a
    spam run whose targets are fetched from the operator's server."""
    if b"http" not in f.lower:
        return []
    for node, scope, name in f.calls("mail", "mb_send_mail"):
        args = _args(node)
        if len(args) < 3 or f.tainted(args[0], scope) or not f.in_loop(node):
            continue
        url = _fetch_url(f, args[0], scope)
        if url:
            return [
                Capability(
                    MASS_MAILER,
                    _line(node),
                    f"{name}() in a loop to every address of a list downloaded from {url[:60]}",
                    "medium",
                    (_at(node),),
                    f.guarded(node),
                )
            ]
    return []


def _controller(f: _File) -> list[Capability]:
    """An HTTP client that sends request-supplied commands in a cookie to a request-chosen
    URL: the operator's side of a cookie-driven web shell, running on this server."""
    if b"curlopt_cookie" not in f.lower:
        return []
    for node, scope, name in f.calls("curl_setopt", "curl_setopt_array"):
        text = _text(node, 2000)
        if "CURLOPT_COOKIE" not in text or ("CURLOPT_URL" not in text and name == "curl_setopt"):
            continue
        pairs = list(_descendants(node, _PAIRS, 20)) if name == "curl_setopt_array" else []
        url = next((p.named_children[1] for p in pairs if p.named_child_count > 1
                    and _text(p.named_children[0], 30) == "CURLOPT_URL"), None)  # fmt: skip
        cookie = next((p.named_children[1] for p in pairs if p.named_child_count > 1
                       and _text(p.named_children[0], 30) == "CURLOPT_COOKIE"), None)  # fmt: skip
        if url is None or cookie is None:
            continue
        chain = f.tainted(cookie, scope)
        if chain and f.direct(url, scope):
            return [
                Capability(
                    NET_RELAY,
                    _line(node),
                    "sends request-supplied commands in a cookie to a request-chosen URL "
                    "(a web-shell controller)",
                    "medium",
                    (*chain, _at(node)),
                    f.guarded(node),
                )
            ]
    return []


_EXTENSION_TEST = re.compile(
    r"(?i)\bin_array\s*\(|\bstrrchr\s*\(|\bexplode\s*\(\s*['\"]\.|\bend\s*\(|\$_FILES\s*\[[^]]+\]"
    r"\s*\[\s*['\"](type|size)['\"]|preg_match\s*\([^;]{0,80}\\\.|\bstrtolower\s*\(\s*substr"
)
_CLIENT_NAME = re.compile(r"^\$(_FILES|HTTP_POST_FILES)\s*\[[^]]+\]\s*\[\s*['\"]name['\"]\s*\]$")


def _path_edge(
    f: _File,
    node: Node | None,
    scope: int,
    hops: int,
    end: bool,
    leaf: Callable[[Node, int, int], bool],
) -> bool:
    """Follow a path expression to its last (``end``) or first part, through parentheses,
    ``.`` concatenations and up to ``hops`` assignments of a variable, and let ``leaf`` judge
    that part. Shared by the two questions an upload's destination is asked."""
    if node is None or hops < 0:
        return False
    if node.type in ("parenthesized_expression", "error_suppression_expression"):
        if not node.named_child_count:
            return False
        inner = node.named_children[-1 if end else 0]
        return _path_edge(f, inner, scope, hops, end, leaf)
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        side = node.child_by_field_name("right" if end else "left")
        return op is not None and op.type == "." and _path_edge(f, side, scope, hops, end, leaf)
    if node.type == "variable_name":
        assigns = [a for a in f.req._assigns(_text(node, 80).lstrip("$")) if a.value is not None]
        same = [a for a in assigns if a.scope == scope] or [a for a in assigns if a.scope == 0]
        return bool(same) and all(
            _path_edge(f, a.value, a.scope, hops - 1, end, leaf) for a in same[:4]
        )
    return leaf(node, scope, hops)


def _ends_with_client_name(f: _File, node: Node | None, scope: int, hops: int = 3) -> bool:
    """The path ends with the name the client gave its upload (``... . basename($_FILES[x]
    ['name'])``), nothing fixed after it."""

    def leaf(part: Node, scope: int, hops: int) -> bool:
        if part.type == "subscript_expression":
            return _CLIENT_NAME.match(" ".join(_text(part, 200).split())) is not None
        if part.type == "function_call_expression" and _call_name(part) in ("basename", "trim"):
            args = _args(part)
            return bool(args) and _ends_with_client_name(f, args[0], scope, hops)
        return False

    return _path_edge(f, node, scope, hops, True, leaf)


def _starts_in_own_dir(f: _File, node: Node | None, scope: int, hops: int = 3) -> bool:
    """The path starts with the page's own directory (``getcwd()``, ``__DIR__``,
    ``dirname(__FILE__)``)."""

    def leaf(part: Node, _scope: int, _hops: int) -> bool:
        if part.type == "function_call_expression":
            name = _call_name(part)
            return name == "getcwd" or (name == "dirname" and "__FILE__" in _text(part, 80))
        return part.type == "name" and _text(part, 20) == "__DIR__"

    return _path_edge(f, node, scope, hops, False, leaf)


def _own_dir_upload(f: _File) -> list[Capability]:
    """An upload stored next to the page (``getcwd()``/``__DIR__``) under the name the client
    gave it, with no test of its type or extension anywhere in the file: a visitor can upload
    ``shell.php`` beside the page and run it."""
    if b"tmp_name" not in f.lower:
        return []
    for node, scope, name in f.calls("copy", "move_uploaded_file"):
        args = _args(node)
        if len(args) < 2 or not re.search(
            r"\$(_FILES|HTTP_POST_FILES)\b|tmp_name", _text(args[0], 200)
        ):
            continue
        dest = args[1]
        if _ends_with_client_name(f, dest, scope) and _starts_in_own_dir(f, dest, scope):
            if _UPLOAD_TYPE_CHECK.search(f.data) or _EXTENSION_TEST.search(
                f.data.decode("latin-1")
            ):
                return []
            return [
                Capability(
                    FILE_DROP,
                    _line(node),
                    f"{name}() stores an upload next to the page under the client's file name, "
                    "without checking its type",
                    "medium",
                    (*(f.tainted(dest, scope) or ()), _at(node)),
                    f.guarded(node),
                )
            ]
    return []


_SCRIPT_DROP = re.compile(
    r"(?is)#!\s*/bin/(ba)?sh.{0,400}\$\{?QUERY_STRING|Options\s+\+?ExecCGI|AddHandler\s+cgi-script"
    r"|(AddType|AddHandler|SetHandler)\s+application/x-httpd-php\w*\s+\.(jpe?g|gif|png|txt|ico|bmp)"
)


def _script_drop(f: _File) -> list[Capability]:
    """A CGI shell (a shell script running the query string) or an ``.htaccess`` that makes a
    directory run CGI scripts or images as PHP, written by the page."""
    if not re.search(rb"execcgi|cgi-script|x-httpd-php", f.lower):
        return []
    for writer, wscope, content, opener, _oscope, _target in _written(f):
        text = _reaching(f, content, wscope, 2)
        hit = _SCRIPT_DROP.search(text)
        if hit is not None:
            return [
                Capability(
                    CODE_WRITE,
                    _line(writer),
                    "writes a CGI shell or an .htaccess that enables script execution "
                    f"({' '.join(hit.group(0).split())[:40]})",
                    "high",
                    (_at(opener), _at(writer)) if opener is not writer else (_at(writer),),
                )
            ]
    return []


_RULES: tuple[Callable[[_File], list[Capability]], ...] = (
    _callbacks, _mail, _sql, _network, _files, _recon, _browse, _cms, _secret_gate,
)  # fmt: skip
_RULES += (_droppers, _cloaking, _ransomware, _reverse_ip, _list_mailer, _controller,
           _own_dir_upload, _script_drop)  # fmt: skip


def analyse_capabilities(data: bytes, budget: Budget | None = None) -> Report:
    """Every capability of one PHP file; bounded by ``budget``; never raises on bad input."""
    budget = budget or Budget()
    report = Report()
    if len(data) > MAX_CAPABILITY_BYTES:
        report.bounded = f"larger than {MAX_CAPABILITY_BYTES} bytes"
        return report
    try:
        f = _File(data, budget)
    except _ParseStoppedError:
        report.bounded = budget.exhausted = f"parse took longer than {MAX_PARSE_SECONDS:g} CPU-s"
        return report
    for rule in _RULES:
        if budget.exhausted:
            break
        report.capabilities.extend(rule(f))
    report.bounded = budget.exhausted
    return report


# -- findings ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleInfo:
    title: str
    why: str
    related: tuple[str, ...]  # ATT&CK techniques besides T1505.003
    dual_use: bool = False  # published admin tools have it too: low when the file is one


RULES: dict[str, RuleInfo] = {
    CALLBACK_EXEC: RuleInfo(
        "Code execution through a callback API (php)",
        "The page hands a request-chosen or exec-type function to an API that calls it "
        "(callbacks, output buffers, XSLT/XPath, SQLite functions, /e regular expressions), "
        "which runs code without an eval or system call in sight.",
        ("T1059", "T1027"),
    ),
    MASS_MAILER: RuleInfo(
        "Mass mailer: recipients and message from the request (php)",
        "The page sends mail whose recipient list and content are typed into the request, "
        "turning the server into a spam or phishing relay.",
        ("T1566",),
    ),
    MAIL_EXFIL: RuleInfo(
        "Mails secrets or its own location to a fixed address (php)",
        "The page mails typed-in credentials or card data, or its own path on the server, to "
        "an address written into the code: a phishing kit or a shell reporting home.",
        ("T1048", "T1566"),
    ),
    SQL_CONSOLE: RuleInfo(
        "SQL console: the request supplies the whole statement (php)",
        "The page runs SQL text taken whole from the request (or loads a native library into "
        "the database server), giving any visitor the database with the application's rights.",
        ("T1505.001",),
        dual_use=True,
    ),
    NET_SCANNER: RuleInfo(
        "Port scanner or flooder (php)",
        "The page connects to request-chosen hosts and ports in a loop, or floods or forks "
        "without end: scanning or attacking other hosts from the web server.",
        ("T1046", "T1499"),
        dual_use=True,
    ),
    NET_RELAY: RuleInfo(
        "Proxy, port forwarder or tunnel (php)",
        "The page listens on a port or connects to a request-chosen host and copies data "
        "between sockets, relaying an attacker's traffic through the web server.",
        ("T1090", "T1572"),
        dual_use=True,
    ),
    FILE_DROP: RuleInfo(
        "Writes request content to a request-named file (php)",
        "Both the name (or directory) and the content of a file this page writes come from the "
        "request, so a visitor can drop a new web shell anywhere the server can write.",
        ("T1105",),
        dual_use=True,
    ),
    CODE_WRITE: RuleInfo(
        "Drops or injects PHP code into files (php)",
        "The page writes a web shell into a file, appends request input to its own source, "
        "or back-dates a file it modified: persistence being installed.",
        ("T1105", "T1036"),
    ),
    DEFACE: RuleInfo(
        "Overwrites the site's index page (php)",
        "The page replaces an index page with fixed or downloaded content, the work of a "
        "defacement script.",
        ("T1491",),
    ),
    HOST_RECON: RuleInfo(
        "Harvests other accounts' credentials and configuration (php)",
        "The page reads the system account list, other sites' configuration files, session "
        "files or IIS credentials, or guesses FTP passwords: it is there to spread on the host.",
        ("T1552", "T1082"),
    ),
    WRAPPER_READ: RuleInfo(
        "Reads request-chosen files through a stream wrapper (php)",
        "The page reads any file the request names through compress.zlib:// or file:// to "
        "get around safe_mode or open_basedir.",
        ("T1552", "T1083"),
    ),
    FS_BROWSER: RuleInfo(
        "File-system browser or permission changer for any path (php)",
        "The page lists or walks any directory the request names (hunting for writable places) "
        "or makes a request-chosen path world-writable.",
        ("T1083",),
        dual_use=True,
    ),
    CMS_ACCOUNT: RuleInfo(
        "CMS administrator backdoor (php)",
        "The page creates a CMS administrator from request parameters or logs the visitor in "
        "as an administrator without a password.",
        ("T1136",),
    ),
    SECRET_GATE: RuleInfo(
        "Actions unlocked by a password hash written into the file (php)",
        "A request parameter is compared with a hash literal in the code before the page "
        "writes, mails or queries: applications keep per-user hashes in storage, back doors "
        "carry their one password with them.",
        ("T1036",),
    ),
    DROPPER: RuleInfo(
        "Downloads or decodes a payload into a local file (php)",
        "The page saves code fetched from a fixed internet address as a PHP file (or under the "
        "URL's own name), or writes a decoded blob to a path the request names: a stager "
        "installing the next web shell.",
        ("T1105",),
        dual_use=True,  # a published single-file tool may update itself from its vendor
    ),
    SEO_CLOAK: RuleInfo(
        "Search-engine cloaking: crawlers get another server's content (php)",
        "The page recognises search-engine crawlers and prints content fetched from a fixed "
        "internet address to them, while visitors from search engines are treated differently: "
        "SEO spam injected into the site.",
        ("T1491",),
    ),
    RANSOM: RuleInfo(
        "Encrypts the site's files in place (php)",
        "The page walks directories and overwrites each file with an encrypted copy of itself: "
        "ransomware for the web tree.",
        ("T1486",),
    ),
}

REMEDIATION = (
    "Take the file offline, preserve it with the web server's access logs, compare it with a "
    "known-good copy of the application and remove it; then find how it was written (upload "
    "form, vulnerable plugin, stolen credentials), review what it did (mail queue, database, "
    "outbound connections, new files and accounts) and rotate the credentials it could reach."
)
_STRENGTH_SEVERITY = {"high": "high", "medium": "medium", "low": "low"}


def refs_for(rule_id: str) -> tuple[Any, ...]:
    from sscguard import attack

    info = RULES[rule_id]
    component = "DS0022 File Creation"
    out = [attack.ref("T1505.003", component, "M1047", "M1045")]
    for technique in info.related:
        out.append(attack.ref(technique, component, "M1047"))
    return tuple(out)


def score(cap: Capability, dual_use: bool, yara_hits: int) -> tuple[str, str, list[str]]:
    """Severity, confidence and the reasons, as documented in docs/detection.md."""
    severity = _STRENGTH_SEVERITY[cap.strength]
    reasons = [f"capability {cap.detail}: {severity}"]
    confidence = "high" if cap.strength == "high" else "medium"
    if yara_hits:
        confidence = "high"
        reasons.append(f"{yara_hits} built-in YARA rule(s) also match (+confidence)")
    if cap.guarded:
        reasons.append("an authorisation check encloses it: severity low, confidence low")
        return "low", "low", reasons
    if dual_use and RULES[cap.rule_id].dual_use:
        reasons.append("published administration tool with its own login: severity low")
        return "low", confidence, reasons
    return severity, confidence, reasons


_QUICK_REQ = re.compile(
    rb"(?i)\$_(get|post|request|cookie|files)\b|\$http_(post|get)_(vars|files)"
    rb"|<(input|textarea)\s[^>]{0,200}name\s*="
)
_QUICK_ACT = re.compile(
    rb"(?i)(mail|_query|_exec|fsockopen|socket_connect|stream_socket_client|fopen|copy"
    rb"|move_uploaded_file|chmod|file_put_contents|opendir|scandir|glob|array_\w+|ob_start"
    rb"|forward_static_call\w*|register_\w+_function|call_user_func\w*|iterator_apply|u[ak]?sort"
    rb"|set_\w+_handler|preg_\w+|yaml_parse|createfunction|sqlitecreatefunction|fromcallable"
    rb"|curl_setopt|wp_create_user|wp_insert_user)\s*\(|->\s*(query|exec)\s*\(|filter_callback"
    rb"|compress\.zlib://|file:(file:)?//|file_get_contents\s*\(\s*['\"]https?:"
    rb"|\)\s*\(\s*\$_|\$\w+\s*/\*|['\"][0-9a-f]{32}['\"]"
)
_QUICK_SOLO = re.compile(
    rb"(?i)/etc/passwd|symlink\s*\(\s*['\"]/['\"]|iis://localhost|shell\.users|winnt://"
    rb"|socket_bind|stream_socket_server|socket_listen|registerphpfunctions|\bsoname\b"
    rb"|into\s+dumpfile|set_role\s*\(\s*['\"]administrator|wp_set_auth_cookie|getcc(number|cid|cvv)"
    rb"|touch\s*\([^;]{0,200}(mktime|strtotime)|fopen\s*\([^;]{0,60}index\.(php|html?)"
    rb"|opendir\s*\(\s*['\"]/tmp|ftp_login"
    rb"|(fwrite|fputs|file_put_contents)\s*\([^;]{0,200}(pack|base64_decode)\s*\("
    rb"|\$\w*\s*/\*[^\n]{0,40}?\*/\s*[({]"
    rb"|(ob_start|array_walk|array_map|u[ak]?sort|array_filter|register_shutdown_function"
    rb"|register_tick_function)\s*\([^;]{0,100}['\"](assert|system|passthru|shell_exec|exec"
    rb"|popen|proc_open|eval)['\"]"
)
_QUICK_CB_VAR = re.compile(
    rb"(?i)(ob_start|register_tick_function|register_shutdown_function)\s*\(\s*\$"
)
_QUICK_EXEC_LITERAL = re.compile(
    rb"(?i)['\"](assert|system|passthru|shell_exec|exec|popen|proc_open)['\"]"
)


#: files that pass only on request input + an API (no stand-alone atom) are analysed up to
#: this size: the request-driven tools are small pages, big files there are applications
MAX_REQUEST_ROUTE_BYTES = 64 << 10


#: the phpcap_act shape tested here instead of in data/gates/phpcap.yar (see the note there):
#: a quoted 32-digit hex literal (a hard-coded MD5 a request value is compared with)
_GATE_HASH_LITERAL = re.compile(rb"['\"][0-9a-fA-F]{32}['\"]")


def behaviour_evidence(
    path: str, rule_id: str, line: int, detail: str, steps: tuple[Step, ...]
) -> list[Evidence]:
    """The evidence of a behaviour finding: where it is seen, then its last six steps (shared
    by the capability model and the php-tools analyser)."""
    evidence = [
        Evidence("capability", Location(path, line=line), sanitize(detail, 200),
                 "behaviour seen in the code")
    ]  # fmt: skip
    evidence += [
        Evidence("capability-step", Location(path, line=s.line), sanitize(s.label, 160),
                 f"step towards {rule_id}")
        for s in steps[-6:]
    ]  # fmt: skip
    return evidence


def gate_passes(data: bytes, gates: frozenset[str] | None) -> bool:
    """The YARA-X gate verdict when the scan ran it, else the same test in Python."""
    if gates is not None:
        if "phpcap_solo" in gates:
            return True
        if len(data) > MAX_REQUEST_ROUTE_BYTES:
            return False
        if "phpcap_drop" in gates:
            return True
        if "phpcap_req" not in gates:
            return False
        return "phpcap_act" in gates or _GATE_HASH_LITERAL.search(data) is not None
    head = data[:MAX_CAPABILITY_BYTES]
    if _QUICK_SOLO.search(head):
        return True
    if _QUICK_CB_VAR.search(head) and _QUICK_EXEC_LITERAL.search(head):
        return True
    if b"mail" in head.lower() and re.search(rb"(DOCUMENT_ROOT|SCRIPT_FILENAME|PATH_TRANSLATED)",
                                             head):  # fmt: skip
        return True
    if re.search(rb"(?i)while\s*\(\s*(1|true)\s*\)", head) and re.search(
        rb"(?i)(socket_connect|fsockopen|stream_socket_client|pcntl_fork)\s*\(", head
    ):
        return True
    small = len(data) <= MAX_REQUEST_ROUTE_BYTES
    if (
        small
        and re.search(rb"(?i)curl_exec|file_get_contents\s*\(\s*['\"]https?:", head)
        and (re.search(rb"(?i)(file_put_contents|fwrite|fputs)\s*\(|HTTP_USER_AGENT", head))
    ):
        return True
    if re.search(rb"(?i)(^|[^\w$>:])mail\s*\(", head) and re.search(
        rb"DOCUMENT_ROOT|SCRIPT_FILENAME|PATH_TRANSLATED", head
    ):
        return True
    if (
        small
        and re.search(rb"ExecCGI|cgi-script|application/x-httpd-php", head)
        and re.search(rb"(?i)(file_put_contents|fwrite|fputs)\s*\(", head)
    ):
        return True
    if re.search(rb"(?i)symlink\s*\(", head) and re.search(
        rb"(?i)(wp-config|configuration|config\.inc)\.php", head
    ):
        return True
    return (
        len(data) <= MAX_REQUEST_ROUTE_BYTES
        and _QUICK_REQ.search(head) is not None
        and _QUICK_ACT.search(head) is not None
    )


def detect(ctx: FileContext) -> list[Finding]:
    """The registry entry: capability findings for a PHP file the gate lets through."""
    from sscguard.detect.webshell import detectors as d
    from sscguard.detect.webshell import scoring

    if len(ctx.data) > MAX_CAPABILITY_BYTES or not d.is_php(ctx):
        return []
    if any(h.rule.builtin and h.rule.severity >= Severity.MEDIUM for h in ctx.hits):
        return []  # already flagged: the capability model would only add cost
    if ctx.flagged_high:
        return []  # an earlier analyser found a high/critical path: same verdict, less cost
    if not gate_passes(ctx.data, ctx.gates):
        return []
    report = analyse_capabilities(ctx.data, Budget())
    if report.bounded:
        ctx.bounded.append(f"php capability analysis: {report.bounded}")
    if not report.capabilities:
        return []
    dual_use = d.is_dual_use(ctx.data)
    yara_hits = sum(1 for h in ctx.hits if h.rule.builtin)
    best: dict[str, tuple[tuple[int, int], Capability, tuple[str, str, list[str]]]] = {}
    for cap in report.capabilities:
        sev, conf, reasons = score(cap, dual_use, yara_hits)
        rank = (Severity(sev).rank, Confidence(conf).rank)
        if cap.rule_id not in best or rank > best[cap.rule_id][0]:
            best[cap.rule_id] = (rank, cap, (sev, conf, reasons))
    out: list[Finding] = []
    for rule_id, (_rank, cap, (sev, conf, reasons)) in sorted(best.items()):
        info = RULES[rule_id]
        evidence = behaviour_evidence(ctx.path, rule_id, cap.line, cap.detail, cap.steps)
        others = [c for c in report.capabilities if c.rule_id == rule_id and c is not cap][:3]
        evidence += [
            Evidence("capability", Location(ctx.path, line=c.line), sanitize(c.detail, 200),
                     "same capability elsewhere in the file")
            for c in others
        ]  # fmt: skip
        out.append(
            d.simple_finding(
                ctx, rule_id, info.title, info.why, refs_for(rule_id),
                scoring.Score(Severity(sev), Confidence(conf), tuple(reasons)),
                evidence, ("capability", "php"), remediation=REMEDIATION,
            )
        )  # fmt: skip
    return out
