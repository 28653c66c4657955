"""PHP: parse with tree-sitter, fold constants, undo encodings, follow request input to sinks.

The analysis is flow-insensitive inside a scope (a function body, or the top level): a
variable is tainted when any assignment to it is tainted, which over-approximates ordering
but is what one wants against shells that shuffle statements. Function parameters become
tainted when a call passes tainted data to them. Constant folding evaluates string literals,
concatenation, XOR of strings, ``chr``/``pack`` and the decoders in ``deobfuscate.UNARY``, so
``$f = 'sys'.'tem'; $f($_GET['c'])`` and ``eval(gzinflate(base64_decode('...')))`` are seen
for what they are; a decoded string that reads as code is parsed and analysed again as a new
layer. Nothing is executed. All work is bounded by a shared ``Budget``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sscguard.detect.webshell import deobfuscate as deob
from sscguard.detect.webshell.flow import (
    MAX_LAYERS,
    MAX_PARSE_BYTES,
    MAX_STEPS,
    MAX_VALUE_BYTES,
    Analysis,
    Budget,
    DecodedLayer,
    FlowPath,
    SinkKind,
    Step,
)

Node = Any  # tree_sitter.Node (kept loose: the bindings are typed only partially)

SUPERGLOBALS = {"_GET", "_POST", "_REQUEST", "_COOKIE", "_FILES", "_SERVER", "HTTP_RAW_POST_DATA"}
_SERVER_TAINTED = re.compile(r"^(HTTP_\w+|QUERY_STRING|REQUEST_URI|PATH_INFO)$")
SOURCE_FUNCS = {"getallheaders", "apache_request_headers", "filter_input", "filter_input_array"}
INPUT_READERS = {"file_get_contents", "fopen", "file", "stream_get_contents", "readfile"}
SANITIZERS = {
    "intval", "floatval", "boolval", "count", "strlen", "isset", "empty", "is_numeric",
    "is_string", "is_array", "in_array", "md5", "sha1", "crc32", "hash", "hash_hmac",
    "password_verify", "password_hash", "escapeshellarg", "escapeshellcmd", "htmlspecialchars",
    "htmlentities", "basename", "preg_match", "preg_quote", "strcmp", "hash_equals",
    "array_key_exists", "file_exists", "is_file", "is_dir", "ctype_digit", "ctype_alnum",
    "realpath", "filter_var", "addslashes", "mysql_real_escape_string", "json_encode",
    "strpos", "stripos", "filesize", "time", "abs", "round",
}  # fmt: skip
CODE_SINKS = {"eval", "assert", "create_function"}
COMMAND_SINKS = {
    "system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec",
    "expect_popen",
}  # fmt: skip
#: Functions that call a callable argument, with that argument's position (-1: the last).
CALLBACKS = {
    "call_user_func": 0, "call_user_func_array": 0, "array_map": 0, "array_filter": 1,
    "array_walk": 1, "array_walk_recursive": 1, "usort": 1, "uasort": 1, "uksort": 1,
    "array_reduce": 1, "register_shutdown_function": 0, "register_tick_function": 0,
    "forward_static_call": 0, "forward_static_call_array": 0, "iterator_apply": 1,
    "ob_start": 0, "preg_replace_callback": 1, "mb_ereg_replace_callback": 1,
    "array_intersect_ukey": -1, "array_diff_ukey": -1, "array_udiff": -1,
    "set_error_handler": 0, "set_exception_handler": 0, "header_register_callback": 0,
    "iterator_to_array": -1, "spl_autoload_register": 0,
}  # fmt: skip
FILE_WRITERS = {"file_put_contents": (0, 1), "move_uploaded_file": (1, 0), "copy": (1, 0)}
_AUTH_RE = re.compile(
    r"(?i)(current_user_can|user_can|is_admin|is_super_admin|has_?permission|check_?permission"
    r"|is_?logged_?in|is_?authori[sz]ed|verify_?nonce|check_admin_referer|csrf|checkAccess"
    r"|isAdmin|->can\(|acl)"
)
_FUNC_TYPES = {"function_definition", "method_declaration"}
_CALL_TYPES = {
    "function_call_expression",
    "member_call_expression",
    "scoped_call_expression",
    "nullsafe_member_call_expression",
    "object_creation_expression",
    "shell_command_expression",
    "include_expression",
    "include_once_expression",
    "require_expression",
    "require_once_expression",
}
_PASS_TYPES = {
    "binary_expression", "encapsed_string", "heredoc", "heredoc_body", "parenthesized_expression",
    "cast_expression", "conditional_expression", "unary_op_expression", "argument", "arguments",
    "error_suppression_expression", "array_creation_expression", "array_element_initializer",
    "reference_modifier", "sequence_expression", "string", "pair", "match_expression",
    "match_block", "match_conditional_expression", "match_default_expression",
    "match_condition_list", "print_intrinsic", "clone_expression",
}  # fmt: skip
_ESCAPES = {b"n": b"\n", b"t": b"\t", b"r": b"\r", b"v": b"\v", b"e": b"\x1b", b"f": b"\f"}
_MAX_DEPTH = 120
_MAX_LAYERS_PER_FILE = 16


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter
    import tree_sitter_php

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_php.language_php()))


def _short(node: Node, limit: int = 60) -> str:
    text = node.text.decode("utf-8", "replace")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _line(node: Node) -> int:
    return int(node.start_point[0]) + 1


def _args(node: Node) -> list[Node]:
    """The argument expressions of a call node (empty for other nodes)."""
    arguments = node.child_by_field_name("arguments")
    if arguments is None:
        return []
    out = []
    for arg in arguments.named_children:
        if arg.type == "argument" and arg.named_child_count:
            out.append(arg.named_children[-1])
        elif arg.type != "comment":
            out.append(arg)
    return out


def _decode_double(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i : i + 1]
        if c != b"\\" or i + 1 >= len(raw):
            out += c
            i += 1
            continue
        n = raw[i + 1 : i + 2]
        if n in _ESCAPES:
            out += _ESCAPES[n]
            i += 2
        elif n in (b"\\", b"$", b'"'):
            out += n
            i += 2
        elif n == b"x" and re.match(rb"[0-9a-fA-F]", raw[i + 2 : i + 3]):
            m = re.match(rb"[0-9a-fA-F]{1,2}", raw[i + 2 : i + 4])
            assert m is not None
            out.append(int(m.group(0), 16))
            i += 2 + len(m.group(0))
        elif re.match(rb"[0-7]", n):
            m = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            assert m is not None
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        elif n == b"u" and raw[i + 2 : i + 3] == b"{":
            end = raw.find(b"}", i + 3, i + 12)
            try:
                out += chr(int(raw[i + 3 : end], 16)).encode("utf-8")
                i = end + 1
            except (ValueError, OverflowError):
                out += b"\\u"
                i += 2
        else:
            out += b"\\" + n
            i += 2
    return bytes(out)


def _var_name(node: Node) -> str | None:
    if node.type == "variable_name" and node.named_child_count:
        return str(node.named_children[0].text.decode("utf-8", "replace"))
    return None


@dataclass(slots=True)
class _Assign:
    key: tuple[int, str]
    value: Node | None  # None: a foreach over ``source``
    line: int
    append: bool
    scope: int
    source: Node | None = None


@dataclass(slots=True)
class _Function:
    scope: int
    name: str
    params: list[str]


@dataclass(slots=True)
class _State:
    by_name: dict[str, list[_Assign]] = field(default_factory=dict)
    functions: dict[str, _Function] | None = None
    tainted: dict[tuple[int, str], tuple[Step, ...] | None] = field(default_factory=dict)
    consts: dict[tuple[int, str], bytes | None] = field(default_factory=dict)
    sources: int = 0


_SINK_CALL = re.compile(
    rb"(?i)(?<![\w$>:])(eval|assert|system|exec|passthru|popen|proc_open|shell_exec|pcntl_exec"
    rb"|expect_popen|create_function|preg_replace|preg_filter|mb_ereg_replace|file_put_contents"
    rb"|move_uploaded_file|copy|" + "|".join(CALLBACKS).encode() + rb")\s*\("
)
_DYNAMIC_CALL = re.compile(rb"\$\w+\s*\(|[\]}]\s*\(")
_SINK_WORDS = tuple(
    w.encode()
    for w in (
        *CODE_SINKS, *COMMAND_SINKS, *CALLBACKS, *FILE_WRITERS,
        "preg_replace", "preg_filter", "mb_ereg_replace",
    )
)  # fmt: skip


def _word_offsets(lower: bytes, word: bytes) -> Iterator[int]:
    """Offsets of ``word(`` as a function name (not a method, not part of a longer name)."""
    start = 0
    found = 0
    while found < _MAX_MATCHES:
        at = lower.find(word, start)
        if at < 0:
            return
        start = at + len(word)
        before = lower[at - 1 : at] if at else b" "
        if before.isalnum() or before in (b"_", b"$", b">", b":"):
            continue
        rest = lower[start : start + 8].lstrip()
        if rest.startswith(b"("):
            found += 1
            yield at


_KEYWORD_SINK = re.compile(rb"(?i)(?<![\w$>:])(include|require)(_once)?\b|`|\bnew\s+\\?Reflection")
_DECODER_CALL = re.compile(
    rb"(?i)(?<![\w$>:])(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin"
    rb"|convert_uudecode|urldecode|rawurldecode)\s*\("
)
_FUNC_DEF = re.compile(rb"(?i)\bfunction\s+&?\s*(\w+)\s*\(")
_SUPERGLOBAL_RE = re.compile(rb"\$_(GET|POST|REQUEST|COOKIE|FILES|SERVER)\b")
_MAX_MATCHES = 400
_ASSIGN_TYPES = {"assignment_expression", "augmented_assignment_expression"}


class PhpAnalyser:
    """One file (or one decoded layer) of PHP, analysed on demand from the sinks backwards.

    Only the syntax nodes around regex hits for sinks, decoders and the variables they use
    are visited, so cost grows with what matters, not with the size of the file.
    """

    def __init__(self, data: bytes, budget: Budget, layer: int = 0) -> None:
        self.data = data[:MAX_PARSE_BYTES]
        self.budget = budget
        self.layer = layer
        self.state = _State()
        self.paths: list[FlowPath] = []
        self.layers: list[DecodedLayer] = []
        self.sinks: list[str] = []
        self.dynamic_calls = 0
        self._decoded_seen: set[bytes] = set()
        self.root: Node = None
        self._in_progress: set[tuple[int, str]] = set()

    # -- locating nodes --------------------------------------------------------------------

    def _node_at(self, offset: int) -> Node:
        self.budget.spend_nodes(4)
        return self.root.descendant_for_byte_range(offset, offset + 1)

    @staticmethod
    def _climb(node: Node | None, types: set[str] | tuple[str, ...], hops: int = 6) -> Node | None:
        while node is not None and hops >= 0:
            if node.type in types:
                return node
            node = node.parent
            hops -= 1
        return None

    @staticmethod
    def scope_of(node: Node) -> int:
        parent = node.parent
        hops = 0
        while parent is not None and hops < 400:
            if parent.type in _FUNC_TYPES:
                return int(parent.id)
            parent = parent.parent
            hops += 1
        return 0

    def _functions(self) -> dict[str, _Function]:
        if self.state.functions is None:
            found: dict[str, _Function] = {}
            for match in list(_FUNC_DEF.finditer(self.data))[:_MAX_MATCHES]:
                node = self._climb(self._node_at(match.start(1)), _FUNC_TYPES, 3)
                if node is None:
                    continue
                params = node.child_by_field_name("parameters")
                names = []
                for p in params.named_children if params is not None else []:
                    var = next((c for c in p.named_children if c.type == "variable_name"), None)
                    names.append((_var_name(var) or "") if var is not None else "")
                name = match.group(1).decode("latin-1").lower()
                found[name] = _Function(int(node.id), name, names)
            self.state.functions = found
        return self.state.functions

    def _assigns(self, name: str) -> list[_Assign]:
        """Every assignment (or foreach binding) to ``$name`` anywhere in the file."""
        cached = self.state.by_name.get(name)
        if cached is not None:
            return cached
        out: list[_Assign] = []
        self.state.by_name[name] = out
        if name.startswith("->"):
            pattern = re.compile(rb"->" + re.escape(name[2:].encode("utf-8", "replace")) + rb"\b")
        else:
            pattern = re.compile(rb"\$" + re.escape(name.encode("utf-8", "replace")) + rb"(?!\w)")
        for match in list(pattern.finditer(self.data))[:_MAX_MATCHES]:
            node = self._node_at(match.start() + (2 if name.startswith("->") else 1))
            var = self._climb(
                node,
                ("variable_name", "member_access_expression", "scoped_property_access_expression"),
                2,
            )
            if var is None:
                continue
            target = var
            parent = target.parent
            while parent is not None and parent.type in (
                "subscript_expression",
                "list_literal",
                "pair",
                "by_ref",
            ):
                if (
                    parent.type == "pair"
                    and parent.parent is not None
                    and parent.parent.type == "foreach_statement"
                ):
                    break
                target, parent = parent, parent.parent
            if parent is None:
                continue
            scope = self.scope_of(parent)
            if parent.type in _ASSIGN_TYPES and parent.child_by_field_name("left") == target:
                op = parent.children[1].type if parent.child_count > 2 else "="
                right = parent.child_by_field_name("right")
                out.append(_Assign((scope, name), right, _line(parent), op == ".=", scope))
            elif (
                parent.type == "pair"
                and parent.parent is not None
                and parent.parent.type == "foreach_statement"
            ):
                loop = parent.parent
                out.append(
                    _Assign((scope, name), None, _line(loop), False, scope, loop.named_children[0])
                )
            elif (
                parent.type == "foreach_statement"
                and parent.named_child_count >= 2
                and parent.named_children[1] == target
            ):
                out.append(
                    _Assign(
                        (scope, name), None, _line(parent), False, scope, parent.named_children[0]
                    )
                )
        return out

    def _calls(self) -> list[tuple[Node, int]]:
        """Call-like nodes that may be sinks, found from regex hits."""
        seen: set[int] = set()
        out: list[tuple[Node, int]] = []

        def add(node: Node | None) -> None:
            if node is not None and node.id not in seen:
                seen.add(node.id)
                out.append((node, self.scope_of(node)))

        lower = self.data.lower()
        for word in _SINK_WORDS:
            for offset in _word_offsets(lower, word):
                add(self._climb(self._node_at(offset), _CALL_TYPES, 3))
        for match in list(_DYNAMIC_CALL.finditer(self.data))[:_MAX_MATCHES]:
            node = self._node_at(match.end() - 1)
            add(self._climb(node, ("function_call_expression",), 2))
        for match in list(_KEYWORD_SINK.finditer(self.data))[:_MAX_MATCHES]:
            add(self._climb(self._node_at(match.start()), _CALL_TYPES, 3))
        return out

    def _user_calls(self, name: str) -> list[tuple[Node, int]]:
        pattern = re.compile(
            rb"(?i)(?<![\w$>])" + re.escape(name.encode("utf-8", "replace")) + rb"\s*\("
        )
        out = []
        for match in list(pattern.finditer(self.data))[:_MAX_MATCHES]:
            node = self._climb(self._node_at(match.start()), ("function_call_expression",), 3)
            if node is not None:
                out.append((node, self.scope_of(node)))
        return out

    def variable_taint(self, key: tuple[int, str]) -> tuple[Step, ...] | None:
        st = self.state
        if key in st.tainted:
            return st.tainted[key]
        if key in self._in_progress:
            return None
        self._in_progress.add(key)
        chain: tuple[Step, ...] | None = None
        scope, name = key
        for assign in self._assigns(name):
            if assign.scope != scope:
                continue
            found = self.taint(assign.value if assign.value is not None else assign.source, scope)
            if found:
                label = name if name.startswith("->") else f"${name}"
                chain = (*found, Step(label, assign.line))[-MAX_STEPS:]
                break
        if chain is None and scope != 0:
            fn = next((f for f in self._functions().values() if f.scope == scope), None)
            if fn is not None and name in fn.params:
                index = fn.params.index(name)
                for call, call_scope in self._user_calls(fn.name):
                    args = _args(call)
                    if index < len(args) and (found := self.taint(args[index], call_scope)):
                        step = Step(f"{fn.name}() parameter ${name}", _line(call))
                        chain = (*found, step)[-MAX_STEPS:]
                        break
        self._in_progress.discard(key)
        st.tainted[key] = chain
        return chain

    # -- constant folding ----------------------------------------------------------------

    def value(self, node: Node | None, scope: int, depth: int = 0) -> bytes | None:
        """The constant string an expression always evaluates to, or None."""
        if node is None or depth > _MAX_DEPTH or not self.budget.spend_nodes():
            return None
        kind = node.type
        if kind == "string":
            out = bytearray()
            for child in node.named_children:
                if child.type == "escape_sequence":
                    out += child.text[1:]
                else:
                    out += child.text
            return bytes(out)
        if kind in ("encapsed_string", "heredoc", "heredoc_body", "nowdoc", "nowdoc_body"):
            out = bytearray()
            for child in node.named_children:
                if child.type in ("heredoc_start", "heredoc_end"):
                    continue
                if child.type in ("string_content", "nowdoc_string"):
                    out += child.text
                elif child.type == "escape_sequence":
                    out += _decode_double(child.text)
                else:
                    part = self.value(child, scope, depth + 1)
                    if part is None:
                        return None
                    out += part
                if len(out) > MAX_VALUE_BYTES:
                    return None
            return bytes(out)
        if kind in ("integer", "float"):
            return bytes(node.text)
        if kind in ("parenthesized_expression", "argument") and node.named_child_count:
            return self.value(node.named_children[-1], scope, depth + 1)
        if kind == "binary_expression":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            op = node.child_by_field_name("operator")
            if left is None or right is None or op is None:
                return None
            a = self.value(left, scope, depth + 1)
            b = self.value(right, scope, depth + 1) if a is not None else None
            if a is None or b is None:
                return None
            if op.type == ".":
                return (a + b)[:MAX_VALUE_BYTES]
            if op.type == "^":
                return deob.xor_strings(a, b)
            if op.type in ("+", "-", "*") and a.isdigit() and b.isdigit():
                x, y = int(a), int(b)
                return str(x + y if op.type == "+" else x - y if op.type == "-" else x * y).encode()
            return None
        if kind == "variable_name":
            name = _var_name(node)
            return self._const_var((scope, name), depth) if name else None
        if kind == "function_call_expression":
            return self._call_value(node, scope, depth)
        return None

    def _const_var(self, key: tuple[int, str], depth: int) -> bytes | None:
        st = self.state
        if key in st.consts:
            return st.consts[key]
        st.consts[key] = None  # breaks cycles
        assigns = [a for a in self._assigns(key[1]) if a.scope == key[0]]
        value: bytes | None = None
        if assigns and len(assigns) <= 64:
            acc = b""
            for assign in assigns:
                part = self.value(assign.value, assign.scope, depth + 1)
                if part is None or assign.value is None:
                    acc = b""
                    value = None
                    break
                acc = (acc + part) if assign.append else part
                value = acc[:MAX_VALUE_BYTES]
        st.consts[key] = value
        return value

    def callee_name(self, node: Node, scope: int) -> str | None:
        """Lower-case name of the called function, resolving ``$f = 'name'``."""
        fn = node.child_by_field_name("function")
        if fn is None:
            return None
        if fn.type in ("name", "qualified_name"):
            return str(fn.text.decode("utf-8", "replace")).lstrip("\\").lower().split("\\")[-1]
        value = self.value(fn, scope)
        if value and len(value) < 64:
            return value.decode("latin-1").strip().lstrip("\\").lower()
        return None

    def _call_value(self, node: Node, scope: int, depth: int) -> bytes | None:
        name = self.callee_name(node, scope)
        if name is None:
            return None
        args = _args(node)
        vals = [self.value(a, scope, depth + 1) for a in args[:3]]
        result: bytes | None = None
        if name in deob.UNARY and vals and vals[0] is not None:
            result = deob.UNARY[name](vals[0])
        elif name == "chr" and vals and vals[0] is not None:
            try:
                result = bytes([int(float(vals[0])) % 256])
            except ValueError:
                return None
        elif name == "pack" and len(vals) >= 2 and vals[0] in (b"H*", b"h*") and vals[1]:
            result = deob.hex2bin(vals[1])
        elif name == "str_replace" and len(vals) == 3 and None not in vals:
            a, b, c = vals
            assert a is not None and b is not None and c is not None
            result = c.replace(a, b) if a else c
        elif name in ("implode", "join") and len(args) == 2:
            glue = vals[0]
            items = self._array_values(args[1], scope, depth)
            if glue is not None and items is not None:
                result = glue.join(items)
        elif name == "substr" and len(vals) >= 2 and vals[0] is not None and vals[1]:
            try:
                start = int(vals[1])
                length = int(vals[2]) if len(vals) > 2 and vals[2] else None
            except ValueError:
                return None
            s = vals[0][start:]
            result = s[:length] if length is not None and length >= 0 else s
        elif name == "str_repeat" and len(vals) == 2 and vals[0] is not None and vals[1]:
            try:
                result = vals[0] * min(int(vals[1]), MAX_VALUE_BYTES // max(1, len(vals[0])))
            except ValueError:
                return None
        if result is None:
            return None
        result = result[:MAX_VALUE_BYTES]
        if not self.budget.spend_bytes(len(result)):
            return None
        if name in deob.UNARY and name not in ("strtolower", "strtoupper", "trim"):
            self._maybe_layer(result, node, (name,), executed=False)
        return result

    def _array_values(self, node: Node, scope: int, depth: int) -> list[bytes] | None:
        if node.type != "array_creation_expression":
            return None
        out = []
        for element in node.named_children:
            if not element.named_child_count:
                return None
            v = self.value(element.named_children[-1], scope, depth + 1)
            if v is None:
                return None
            out.append(v)
        return out

    # -- decoded layers ------------------------------------------------------------------

    def _maybe_layer(
        self, decoded: bytes, node: Node, chain: tuple[str, ...], executed: bool
    ) -> None:
        if executed and decoded in self._decoded_seen:
            self.layers = [
                dataclasses.replace(layer, executed=True, chain=(*chain, *layer.chain))
                if layer.line == _line(node) and layer.size == len(decoded) and not layer.executed
                else layer
                for layer in self.layers
            ]
            return
        if (
            self.layer >= MAX_LAYERS
            or len(self.layers) >= _MAX_LAYERS_PER_FILE
            or decoded in self._decoded_seen
            or not (executed or deob.looks_like_code(decoded))
        ):
            return
        self._decoded_seen.add(decoded)
        code = decoded if b"<?" in decoded[:64] else b"<?php " + decoded
        inner = analyse_php(code, self.budget, self.layer + 1)
        line = _line(node)
        self.layers.append(
            DecodedLayer(
                line=line,
                chain=chain,
                size=len(decoded),
                preview=" ".join(decoded[:80].decode("utf-8", "replace").split()),
                executed=executed,
            )
        )
        self.layers.extend(inner.layers)
        self.sinks.extend(inner.sinks)
        self.dynamic_calls += inner.dynamic_calls
        self.state.sources += inner.sources
        intro = Step(f"decoded layer {self.layer + 1} ({'/'.join(chain)})", line)
        for path in inner.paths:
            steps = tuple(
                Step(f"{s.label} [layer {path.layer} line {s.line}]", line) for s in path.steps
            )
            self.paths.append(
                FlowPath(path.kind, path.sink, ((intro, *steps))[-MAX_STEPS:], path.guarded,
                         path.layer)
            )  # fmt: skip

    # -- taint -----------------------------------------------------------------------------

    def taint(self, node: Node | None, scope: int, depth: int = 0) -> tuple[Step, ...] | None:
        """The path by which request input reaches ``node``, or None if it does not."""
        if node is None or depth > _MAX_DEPTH or not self.budget.spend_nodes():
            return None
        kind = node.type
        if kind == "variable_name":
            name = _var_name(node)
            if name in SUPERGLOBALS and name != "_SERVER":
                return (Step(f"${name}", _line(node)),)
            if not name:
                return None
            return self.variable_taint((scope, name)) or (
                self.variable_taint((0, name)) if scope else None
            )
        if kind == "dynamic_variable_name":
            inner = node.named_children[0] if node.named_child_count else None
            value = self.value(inner, scope) if inner is not None else None
            if value is None:
                return self.taint(inner, scope, depth + 1)
            name = value.decode("latin-1")
            if name in SUPERGLOBALS:
                return (Step(f"${{{_short(inner, 30)}}} = ${name}", _line(node)),)
            return self.variable_taint((scope, name))
        if kind == "subscript_expression" and node.named_child_count:
            base = node.named_children[0]
            name = _var_name(base)
            if name == "_SERVER":
                key = (
                    self.value(node.named_children[1], scope)
                    if node.named_child_count > 1
                    else None
                )
                if key is None or not _SERVER_TAINTED.match(key.decode("latin-1")):
                    return None  # environment lookups by computed name are not request input
                return (Step(_short(node), _line(node)),)
            chain = self.taint(base, scope, depth + 1)
            if chain and len(chain) == 1 and name in SUPERGLOBALS:
                return (Step(_short(node), _line(node)),)
            return chain
        if kind in ("member_access_expression", "scoped_property_access_expression"):
            prop = node.child_by_field_name("name")
            if prop is not None:
                return self.variable_taint((0, "->" + prop.text.decode("utf-8", "replace")))
            return None
        if kind in ("assignment_expression", "augmented_assignment_expression"):
            return self.taint(node.child_by_field_name("right"), scope, depth + 1)
        if kind in _CALL_TYPES:
            return self._call_taint(node, scope, depth)
        if kind in _PASS_TYPES:
            for child in node.named_children:
                chain = self.taint(child, scope, depth + 1)
                if chain:
                    return chain
        return None

    def _call_taint(self, node: Node, scope: int, depth: int) -> tuple[Step, ...] | None:
        kind = node.type
        if kind == "shell_command_expression":
            for child in node.named_children:
                chain = self.taint(child, scope, depth + 1)
                if chain:
                    return chain
            return None
        name = self.callee_name(node, scope) if kind == "function_call_expression" else None
        args = _args(node)
        if name in SOURCE_FUNCS:
            return (Step(_short(node), _line(node)),)
        if name in INPUT_READERS and args:
            value = self.value(args[0], scope)
            if value is not None and value.lower().startswith(b"php://input"):
                return (Step(_short(node), _line(node)),)
        if name == "getenv" and args:
            value = self.value(args[0], scope)
            if value is not None and value.startswith(b"HTTP_"):
                return (Step(_short(node), _line(node)),)
        if name in SANITIZERS:
            return None
        for arg in args:
            chain = self.taint(arg, scope, depth + 1)
            if chain:
                return (*chain, Step(_short(node), _line(node)))[-MAX_STEPS:]
        return None

    # -- sinks -----------------------------------------------------------------------------

    def _guarded(self, node: Node) -> bool:
        parent = node.parent
        hops = 0
        while parent is not None and hops < 64 and parent.type not in _FUNC_TYPES:
            if parent.type == "if_statement":
                cond = parent.child_by_field_name("condition")
                if cond is not None and _AUTH_RE.search(cond.text.decode("utf-8", "replace")):
                    return True
            parent = parent.parent
            hops += 1
        return False

    def _report(self, kind: SinkKind, sink: str, chain: tuple[Step, ...], node: Node) -> None:
        steps = (*chain, Step(_short(node), _line(node)))[-MAX_STEPS:]
        self.paths.append(FlowPath(kind, sink, steps, self._guarded(node), self.layer))

    def check_sinks(self) -> None:
        for node, scope in self._calls():
            if self.budget.exhausted:
                return
            self._check_call(node, scope)

    def _check_call(self, node: Node, scope: int) -> None:
        kind = node.type
        if kind == "shell_command_expression":
            self.sinks.append("backticks")
            chain = self.taint(node, scope)
            if chain:
                self._report(SinkKind.COMMAND, "backticks", chain, node)
            return
        if kind.startswith(("include", "require")):
            target = node.named_children[0] if node.named_child_count else None
            chain = self.taint(target, scope)
            if chain:
                self._report(SinkKind.CODE, kind.split("_expression")[0], chain, node)
            return
        args = _args(node)
        if kind == "object_creation_expression":
            cls = (
                node.named_children[0].text.decode("utf-8", "replace").lower()
                if node.named_child_count
                else ""
            )
            if cls.lstrip("\\") in ("reflectionfunction", "reflectionmethod") and args:
                chain = self.taint(args[0], scope)
                if chain:
                    self._report(SinkKind.CODE, "ReflectionFunction", chain, node)
            return
        if kind != "function_call_expression":
            return
        fn = node.child_by_field_name("function")
        name = self.callee_name(node, scope)
        dynamic = fn is not None and fn.type not in ("name", "qualified_name")
        if dynamic:
            self.dynamic_calls += 1
            chain = self.taint(fn, scope)
            if chain:
                self._report(SinkKind.CODE, "call of a request-chosen function", chain, node)
                return
        if name is None:
            return
        if name in CODE_SINKS or name in COMMAND_SINKS:
            self.sinks.append(name)
            sink_kind = SinkKind.CODE if name in CODE_SINKS else SinkKind.COMMAND
            if name in CODE_SINKS and args:
                decoded = self.value(args[-1] if name == "create_function" else args[0], scope)
                if decoded:
                    self._maybe_layer(decoded, node, (name,), executed=True)
            for arg in args:
                chain = self.taint(arg, scope)
                if chain:
                    label = name if not dynamic else f"{name} (called as {_short(fn, 30)})"
                    self._report(sink_kind, label, chain, node)
                    return
            return
        if name in ("preg_replace", "mb_ereg_replace", "preg_filter") and len(args) >= 2:
            pattern = self.value(args[0], scope)
            evil = pattern is not None and bool(
                re.search(rb"[/#|~!@%][a-zA-Z]*e[a-zA-Z]*$", pattern)
            )
            if name == "mb_ereg_replace" and len(args) >= 4:
                option = self.value(args[3], scope)
                evil = option is not None and b"e" in option
            if evil:
                self.sinks.append(name + "/e")
                for arg in args[:3]:
                    chain = self.taint(arg, scope)
                    if chain:
                        self._report(SinkKind.CODE, f"{name} with /e", chain, node)
                        return
            elif pattern is None and (chain := self.taint(args[0], scope)):
                self._report(SinkKind.CODE, f"{name} with a request-chosen pattern", chain, node)
            return
        if name in CALLBACKS and args:
            index = CALLBACKS[name]
            callable_arg = args[index] if -len(args) <= index < len(args) else None
            if callable_arg is None:
                return
            chain = self.taint(callable_arg, scope)
            if chain:
                self.sinks.append(name)
                self._report(SinkKind.CODE, f"{name} with a request-chosen callback", chain, node)
                return
            target = self.value(callable_arg, scope)
            target_name = target.decode("latin-1").strip().lower() if target else ""
            if target_name in CODE_SINKS or target_name in COMMAND_SINKS:
                self.sinks.append(f"{name}:{target_name}")
                for arg in args:
                    if arg is callable_arg:
                        continue
                    chain = self.taint(arg, scope)
                    if chain:
                        kind_ = SinkKind.CODE if target_name in CODE_SINKS else SinkKind.COMMAND
                        self._report(kind_, f"{name} -> {target_name}", chain, node)
                        return
            return
        if name in FILE_WRITERS and len(args) >= 2:
            path_i, data_i = FILE_WRITERS[name]
            path_chain = self.taint(args[path_i], scope)
            data_chain = self.taint(args[data_i], scope)
            if path_chain and data_chain:
                self.sinks.append(name)
                self._report(SinkKind.FILE_WRITE, name, data_chain, node)


def analyse_php(data: bytes, budget: Budget | None = None, layer: int = 0) -> Analysis:
    """Parse ``data`` as PHP and return the request-input paths into sinks it contains."""
    budget = budget or Budget()
    analyser = PhpAnalyser(data, budget, layer)
    tree = _parser().parse(analyser.data)
    analyser.root = tree.root_node
    analyser.state.sources = len(_SUPERGLOBAL_RE.findall(analyser.data))
    analyser.check_sinks()
    for match in list(_DECODER_CALL.finditer(analyser.data))[:64]:
        if budget.exhausted or len(analyser.layers) >= _MAX_LAYERS_PER_FILE:
            break
        node = analyser._climb(analyser._node_at(match.start()), ("function_call_expression",), 3)
        if node is not None:
            analyser.value(node, analyser.scope_of(node))
    if layer == 0 and not budget.exhausted:
        for decoded in deob.xor_candidates(analyser.data):
            analyser._maybe_layer(decoded, tree.root_node, ("xor",), executed=False)
    return Analysis(
        language="php",
        paths=tuple(analyser.paths),
        layers=tuple(analyser.layers),
        sinks=tuple(sorted(set(analyser.sinks))),
        sources=analyser.state.sources,
        dynamic_calls=analyser.dynamic_calls,
        bounded=budget.exhausted,
    )
