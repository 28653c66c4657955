"""A small, bounded interpreter for pure PHP user functions over constant arguments.

Packers ship their own decoder: a function that walks a string table, shifts characters with
``ord``/``chr`` arithmetic or maps them through an array, and the file then runs
``eval(decode('...'))`` or ``$f = decode('...'); $f($_POST[1])``. The constant folder in
``php.py`` calls ``run_function`` when a call's callee is a function defined in the same file
and every argument is a constant; this module then executes the function body over concrete
values (strings, numbers, arrays) with PHP's conversion rules for the operators decoders use.

Only a whitelisted set of side-effect-free built-ins is available; anything else (I/O,
objects, randomness, a construct not modelled) stops the run and the call is simply "not
constant". Every run is bounded in steps, call depth, string and array size and wall time.
When a decoder runs out of steps on a long input, it is run again on a prefix of its string
arguments: decoders that work character by character then return a prefix of the payload,
which is enough to see what it is (the layer is marked as such by its size). Nothing from the
scanned file is ever executed by PHP or Python.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import TYPE_CHECKING, Any

from sscguard.detect.webshell import deobfuscate as deob
from sscguard.detect.webshell.flow import MAX_VALUE_BYTES, clock

if TYPE_CHECKING:
    from sscguard.detect.webshell.php import PhpAnalyser

Node = Any

MAX_STEPS = 60_000  # evaluation steps of one run
MAX_FILE_STEPS = 240_000  # all runs of one file together
MAX_CALL_DEPTH = 6
MAX_ARRAY = 65_536
PREFIX = 2048  # string arguments are cut to this for the second, prefix run
#: prefix sizes tried in turn when a decoder runs out of steps (character loops cost ~20
#: steps a byte: the shortest still decodes a few hundred bytes of payload)
PREFIXES = (PREFIX, 512, 128)

Key = int | bytes
Value = Any  # bytes | int | float | bool | None | dict[Key, Value]


class NotConstantError(Exception):
    """The run cannot continue statically: the result is not a constant."""


class _ReturnError(Exception):
    def __init__(self, value: Value) -> None:
        self.value = value


class _BreakError(Exception):
    pass


class _ContinueError(Exception):
    pass


_NUMERIC = re.compile(rb"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def to_bytes(v: Value) -> bytes:
    if isinstance(v, bytes):
        return v
    if v is True:
        return b"1"
    if v is None or v is False:
        return b""
    if isinstance(v, int):
        return str(v).encode()
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return b"NAN" if math.isnan(v) else (b"INF" if v > 0 else b"-INF")
        if v == int(v) and abs(v) < 1e15:
            return str(int(v)).encode()
        return (b"%.14G" % v).replace(b"E+", b"E+")
    if isinstance(v, dict):
        return b"Array"
    raise NotConstantError("value")


def to_num(v: Value) -> int | float:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int | float):
        return v
    if v is None:
        return 0
    if isinstance(v, bytes):
        m = _NUMERIC.match(v)
        if not m:
            return 0
        text = m.group(0)
        if b"." in text or b"e" in text.lower():
            return float(text)
        return int(text)
    if isinstance(v, dict):
        raise NotConstantError("array in arithmetic")
    raise NotConstantError("value")


def to_int(v: Value) -> int:
    n = to_num(v)
    if isinstance(n, float):
        if math.isnan(n) or math.isinf(n):
            return 0
        return int(n)
    return n


def truthy(v: Value) -> bool:
    if isinstance(v, bytes):
        return v not in (b"", b"0")
    if isinstance(v, dict):
        return bool(v)
    return bool(v)


def _is_numeric(v: Value) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return True
    if isinstance(v, bytes):
        m = _NUMERIC.fullmatch(v.rstrip())
        return m is not None
    return False


def loose_eq(a: Value, b: Value) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        if (a is None and isinstance(b, bytes)) or (b is None and isinstance(a, bytes)):
            return (a or b"") == (b or b"")
        return truthy(a) == truthy(b)
    if isinstance(a, bytes) and isinstance(b, bytes):
        if _is_numeric(a) and _is_numeric(b):
            return to_num(a) == to_num(b)
        return a == b
    if isinstance(a, dict) or isinstance(b, dict):
        return bool(a == b)
    if isinstance(a, bytes) and not _is_numeric(a):
        return a == to_bytes(b)
    if isinstance(b, bytes) and not _is_numeric(b):
        return to_bytes(a) == b
    return to_num(a) == to_num(b)


def compare(a: Value, b: Value) -> int:
    if isinstance(a, bytes) and isinstance(b, bytes) and not (_is_numeric(a) and _is_numeric(b)):
        return (a > b) - (a < b)
    x, y = to_num(a), to_num(b)
    return (x > y) - (x < y)


def _key(v: Value) -> Key:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v)
    if v is None:
        return b""
    if isinstance(v, bytes):
        if re.fullmatch(rb"-?[1-9]\d{0,17}|0", v):
            return int(v)
        return v
    raise NotConstantError("array key")


def _check_int(n: int | float) -> int | float:
    if isinstance(n, int) and not -(1 << 63) <= n < (1 << 63):
        return float(n)
    return n


def _substr(s: bytes, start: int, length: int | None) -> bytes:
    n = len(s)
    if start < 0:
        start = max(n + start, 0)
    if start > n:
        return b""
    out = s[start:]
    if length is None:
        return out
    return out[:length] if length >= 0 else out[: max(len(out) + length, 0)]


def _arr(items: list[Value]) -> dict[Key, Value]:
    return dict(enumerate(items))


def _need_bytes(*values: Value) -> list[bytes]:
    return [to_bytes(v) for v in values]


def _b_substr(a: list[Value]) -> Value:
    s, start = to_bytes(a[0]), to_int(a[1])
    length = to_int(a[2]) if len(a) > 2 and a[2] is not None else None
    return _substr(s, start, length)


def _b_str_replace(a: list[Value]) -> Value:
    search, repl, subject = a[0], a[1], to_bytes(a[2])
    searches = list(search.values()) if isinstance(search, dict) else [search]
    if isinstance(repl, dict):
        repls = list(repl.values()) + [b""] * len(searches)
    else:
        repls = [repl] * len(searches)
    for needle, new in zip(searches, repls, strict=False):
        n = to_bytes(needle)
        if n:
            subject = subject.replace(n, to_bytes(new))
            if len(subject) > MAX_VALUE_BYTES:
                raise NotConstantError("too long")
    return subject


def _b_strtr(a: list[Value]) -> Value:
    s = to_bytes(a[0])
    if len(a) == 3:
        frm, to = _need_bytes(a[1], a[2])
        n = min(len(frm), len(to))
        return s.translate(bytes.maketrans(frm[:n], to[:n])) if n else s
    if len(a) == 2 and isinstance(a[1], dict):
        table = {to_bytes(k): to_bytes(v) for k, v in a[1].items() if to_bytes(k)}
        if not table:
            return s
        pattern = re.compile(b"|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
        return pattern.sub(lambda m: table[m.group(0)], s)
    raise NotConstantError("strtr")


def _b_explode(a: list[Value]) -> Value:
    sep, s = _need_bytes(a[0], a[1])
    if not sep:
        raise NotConstantError("explode")
    return _arr(list(s.split(sep)[:MAX_ARRAY]))


def _b_implode(a: list[Value]) -> Value:
    if len(a) == 1 and isinstance(a[0], dict):
        return b"".join(to_bytes(v) for v in a[0].values())
    glue, items = (a[0], a[1]) if isinstance(a[1], dict) else (a[1], a[0])
    if not isinstance(items, dict):
        raise NotConstantError("implode")
    return to_bytes(glue).join(to_bytes(v) for v in items.values())


def _b_str_split(a: list[Value]) -> Value:
    s = to_bytes(a[0])
    n = to_int(a[1]) if len(a) > 1 else 1
    if n < 1:
        raise NotConstantError("str_split")
    return _arr([s[i : i + n] for i in range(0, min(len(s), MAX_ARRAY * n), n)] or [b""])


def _b_str_repeat(a: list[Value]) -> Value:
    s, n = to_bytes(a[0]), to_int(a[1])
    if n < 0 or len(s) * n > MAX_VALUE_BYTES:
        raise NotConstantError("str_repeat")
    return s * n


def _b_pos(a: list[Value], fold: bool) -> Value:
    hay, needle = _need_bytes(a[0], a[1])
    offset = to_int(a[2]) if len(a) > 2 else 0
    if fold:
        hay, needle = hay.lower(), needle.lower()
    at = hay.find(needle, offset if offset >= 0 else max(len(hay) + offset, 0))
    return False if at < 0 else at


def _b_chr(a: list[Value]) -> Value:
    return bytes([to_int(a[0]) % 256])


def _b_ord(a: list[Value]) -> Value:
    s = to_bytes(a[0])
    return s[0] if s else 0


def _radix(a: list[Value], base: int) -> Value:
    digits = re.sub(rb"[^0-9a-fA-F]" if base == 16 else rb"[^0-7]" if base == 8 else rb"[^01]", b"",
                    to_bytes(a[0]))  # fmt: skip
    return int(digits, base) if digits else 0


def _to_radix(a: list[Value], base: int) -> Value:
    n = to_int(a[0])
    if n < 0:
        n &= (1 << 64) - 1
    fmt = {16: "x", 8: "o", 2: "b"}[base]
    return format(n, fmt).encode()


def _b_unary(name: str) -> Any:
    def run(a: list[Value]) -> Value:
        out = deob.UNARY[name](to_bytes(a[0]))
        return False if out is None else out

    return run


def _b_count(a: list[Value]) -> Value:
    v = a[0]
    return len(v) if isinstance(v, dict) else (0 if v is None else 1)


def _b_in_array(a: list[Value]) -> Value:
    if not isinstance(a[1], dict):
        raise NotConstantError("in_array")
    return any(loose_eq(a[0], v) for v in a[1].values())


def _b_range(a: list[Value]) -> Value:
    lo, hi = a[0], a[1]
    if isinstance(lo, bytes) and isinstance(hi, bytes) and len(lo) == 1 and len(hi) == 1:
        x, y = lo[0], hi[0]
        step = 1 if y >= x else -1
        return _arr([bytes([c]) for c in range(x, y + step, step)])
    x, y = to_int(lo), to_int(hi)
    if abs(y - x) > MAX_ARRAY:
        raise NotConstantError("range")
    step = 1 if y >= x else -1
    return _arr(list(range(x, y + step, step)))


def _b_sprintf(a: list[Value]) -> Value:
    from sscguard.detect.webshell.php import _sprintf

    out = _sprintf(to_bytes(a[0]), [to_bytes(v) for v in a[1:]])
    if out is None:
        raise NotConstantError("sprintf")
    return out


def _b_trim(kind: str) -> Any:
    def run(a: list[Value]) -> Value:
        s = to_bytes(a[0])
        chars = to_bytes(a[1]) if len(a) > 1 else b" \t\n\r\0\x0b"
        return {"trim": s.strip, "ltrim": s.lstrip, "rtrim": s.rstrip}[kind](chars)

    return run


BUILTINS: dict[str, Any] = {
    "strlen": lambda a: len(to_bytes(a[0])),
    "ord": _b_ord,
    "chr": _b_chr,
    "substr": _b_substr,
    "str_replace": _b_str_replace,
    "strtr": _b_strtr,
    "explode": _b_explode,
    "implode": _b_implode,
    "join": _b_implode,
    "str_split": _b_str_split,
    "str_repeat": _b_str_repeat,
    "strpos": lambda a: _b_pos(a, False),
    "stripos": lambda a: _b_pos(a, True),
    "hexdec": lambda a: _radix(a, 16),
    "octdec": lambda a: _radix(a, 8),
    "bindec": lambda a: _radix(a, 2),
    "dechex": lambda a: _to_radix(a, 16),
    "decoct": lambda a: _to_radix(a, 8),
    "decbin": lambda a: _to_radix(a, 2),
    "intval": lambda a: to_int(a[0]),
    "floatval": lambda a: float(to_num(a[0])),
    "strval": lambda a: to_bytes(a[0]),
    "is_numeric": lambda a: _is_numeric(a[0]),
    "is_array": lambda a: isinstance(a[0], dict),
    "is_string": lambda a: isinstance(a[0], bytes),
    "count": _b_count,
    "sizeof": _b_count,
    "abs": lambda a: abs(to_num(a[0])),
    "floor": lambda a: float(math.floor(to_num(a[0]))),
    "ceil": lambda a: float(math.ceil(to_num(a[0]))),
    "min": lambda a: min((to_num(v) for v in a), default=0),
    "max": lambda a: max((to_num(v) for v in a), default=0),
    "md5": lambda a: hashlib.md5(to_bytes(a[0]), usedforsecurity=False).hexdigest().encode(),
    "sha1": lambda a: hashlib.sha1(to_bytes(a[0]), usedforsecurity=False).hexdigest().encode(),
    "bin2hex": lambda a: to_bytes(a[0]).hex().encode(),
    "base64_encode": lambda a: __import__("base64").b64encode(to_bytes(a[0])),
    "in_array": _b_in_array,
    "array_keys": lambda a: _arr(list(a[0].keys())) if isinstance(a[0], dict) else None,
    "array_values": lambda a: _arr(list(a[0].values())) if isinstance(a[0], dict) else None,
    "array_flip": lambda a: {_key(v): k for k, v in a[0].items()}
    if isinstance(a[0], dict) else None,
    "array_key_exists": lambda a: isinstance(a[1], dict) and _key(a[0]) in a[1],
    "range": _b_range,
    "sprintf": _b_sprintf,
    "trim": _b_trim("trim"),
    "ltrim": _b_trim("ltrim"),
    "rtrim": _b_trim("rtrim"),
    "ucfirst": lambda a: to_bytes(a[0])[:1].upper() + to_bytes(a[0])[1:],
}  # fmt: skip
for _name in deob.UNARY:
    BUILTINS.setdefault(_name, _b_unary(_name))


MAX_FUNCTION_NODES = 20_000  # syntax nodes of one function body copied for the interpreter
_MAX_TREE_DEPTH = 300


class Lite:
    """A plain-Python copy of a syntax node: decoders loop over the same few nodes thousands
    of times, and reading a tree-sitter node's fields costs a C call and a new object each
    time. ``raw`` keeps the original for the constant folder."""

    __slots__ = ("children", "fields", "fnames", "named_children", "raw", "text", "type")

    type: str
    text: bytes
    children: list[Lite]
    named_children: list[Lite]
    fields: dict[str, Lite]
    fnames: list[str | None]
    raw: Node

    @property
    def named_child_count(self) -> int:
        return len(self.named_children)

    @property
    def child_count(self) -> int:
        return len(self.children)

    def child_by_field_name(self, name: str) -> Lite | None:
        return self.fields.get(name)

    def field_name_for_child(self, index: int) -> str | None:
        return self.fnames[index]


def lite(node: Node, budget: list[int], depth: int = 0, source: bytes | None = None) -> Lite:
    """Copy ``node`` and its subtree (bounded by ``budget[0]`` nodes and a depth).

    ``source``: the bytes the tree was parsed from, to slice each node's text from (the same
    bytes as ``node.text``, without a call back into the parse reader per node)."""
    budget[0] -= 1
    if budget[0] < 0 or depth > _MAX_TREE_DEPTH:
        raise NotConstantError("function too large")
    out = Lite()
    out.type = node.type
    out.text = node.text if source is None else source[node.start_byte : node.end_byte]
    out.raw = node
    out.children = []
    out.named_children = []
    out.fields = {}
    out.fnames = []
    for i, child in enumerate(node.children):
        copy = lite(child, budget, depth + 1, source)
        out.children.append(copy)
        if child.is_named:
            out.named_children.append(copy)
        fname = node.field_name_for_child(i)
        out.fnames.append(fname)
        if fname is not None:
            out.fields.setdefault(fname, copy)
    return out


class Interpreter:
    """Runs functions of one analysed file; shares a step budget across runs."""

    def __init__(self, analyser: PhpAnalyser) -> None:
        self.analyser = analyser
        self.file_steps = MAX_FILE_STEPS
        self.steps = 0
        self.deadline = analyser.budget.deadline
        self._compiled: dict[int, Lite | None] = {}

    def _function_tree(self, scope: int, node: Node) -> Lite:
        if scope not in self._compiled:
            self._compiled[scope] = None
            self._compiled[scope] = lite(node, [MAX_FUNCTION_NODES], 0, self.analyser.parsed)
        tree = self._compiled[scope]
        if tree is None:
            raise NotConstantError("function too large")
        return tree

    def _tick(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise NotConstantError("steps")
        if self.steps % 2048 == 0 and clock() > self.deadline:
            raise NotConstantError("time")

    # -- entry -----------------------------------------------------------------------------

    def run(self, name: str, args: list[Value]) -> Value:
        budget = min(MAX_STEPS, self.file_steps)
        if budget <= 0:
            raise NotConstantError("file steps")
        self.steps = budget
        try:
            return self.call(name, args, 0)
        finally:
            self.file_steps -= budget - max(self.steps, 0)

    def call(self, name: str, args: list[Value], depth: int) -> Value:
        self._tick()
        fn = self.analyser._functions().get(name)
        if fn is None:
            builtin = BUILTINS.get(name)
            if builtin is None or not args:
                raise NotConstantError(f"call {name}")
            try:
                result = builtin(args)
            except (ValueError, OverflowError, IndexError, TypeError, KeyError):
                # the file's own arguments (a one-argument ``join($x)`` on a value that is
                # not an array, ...): not a constant, never an analysis failure
                raise NotConstantError(name) from None
            if result is None:
                raise NotConstantError(name)
            if isinstance(result, bytes) and len(result) > MAX_VALUE_BYTES:
                raise NotConstantError("too long")
            return result
        if depth >= MAX_CALL_DEPTH or fn.node is None:
            raise NotConstantError("depth")
        env: dict[str, Value] = {}
        tree = self._function_tree(fn.scope, fn.node)
        params = tree.child_by_field_name("parameters")
        plist = [p for p in params.named_children if p.type == "simple_parameter"] if params else []
        for i, p in enumerate(plist):
            pname = p.child_by_field_name("name")
            key = pname.text[1:].decode("latin-1") if pname is not None else ""
            if i < len(args):
                env[key] = args[i]
            elif (default := p.child_by_field_name("default_value")) is not None:
                env[key] = self.eval(default, {})
            else:
                env[key] = None
        body = tree.child_by_field_name("body")
        try:
            self.exec(body, env, depth)
        except _ReturnError as ret:
            return ret.value
        except (_BreakError, _ContinueError):
            raise NotConstantError("break outside loop") from None
        return None

    # -- statements ------------------------------------------------------------------------

    def exec(self, node: Node, env: dict[str, Value], depth: int) -> None:
        self._tick()
        kind = node.type
        if kind in ("compound_statement", "colon_block"):
            for child in node.named_children:
                self.exec(child, env, depth)
        elif kind == "expression_statement":
            if node.named_child_count:
                self.eval(node.named_children[0], env, depth)
        elif kind == "return_statement":
            value = (
                self.eval(node.named_children[0], env, depth) if node.named_child_count else None
            )
            raise _ReturnError(value)
        elif kind == "if_statement":
            self._if(node, env, depth)
        elif kind == "for_statement":
            self._for(node, env, depth)
        elif kind == "while_statement":
            cond = node.child_by_field_name("condition")
            while truthy(self.eval(cond, env, depth)):
                if self._loop_body(node.child_by_field_name("body"), env, depth):
                    break
        elif kind == "do_statement":
            cond = node.child_by_field_name("condition")
            while True:
                if self._loop_body(node.child_by_field_name("body"), env, depth):
                    break
                if not truthy(self.eval(cond, env, depth)):
                    break
        elif kind == "foreach_statement":
            self._foreach(node, env, depth)
        elif kind == "echo_statement":
            for child in node.named_children:
                self.eval(child, env, depth)
        elif kind == "global_declaration":
            for var in node.named_children:
                name = var.text[1:].decode("latin-1")
                env[name] = self._global(name)
        elif kind == "break_statement":
            raise _BreakError
        elif kind == "continue_statement":
            raise _ContinueError
        elif kind in ("comment", "empty_statement"):
            return
        elif kind == "unset_statement":
            for var in node.named_children:
                if var.type == "variable_name":
                    env.pop(var.text[1:].decode("latin-1"), None)
        else:
            raise NotConstantError(kind)

    def _loop_body(self, body: Node, env: dict[str, Value], depth: int) -> bool:
        """Run one iteration; True when it breaks."""
        try:
            if body is not None:
                self.exec(body, env, depth)
        except _BreakError:
            return True
        except _ContinueError:
            return False
        return False

    def _if(self, node: Node, env: dict[str, Value], depth: int) -> None:
        if truthy(self.eval(node.child_by_field_name("condition"), env, depth)):
            self.exec(node.child_by_field_name("body"), env, depth)
            return
        for i, child in enumerate(node.children):
            if node.field_name_for_child(i) != "alternative":
                continue
            if child.type == "else_if_clause":
                if truthy(self.eval(child.child_by_field_name("condition"), env, depth)):
                    self.exec(child.child_by_field_name("body"), env, depth)
                    return
            elif child.type == "else_clause":
                self.exec(child.child_by_field_name("body"), env, depth)
                return

    def _for(self, node: Node, env: dict[str, Value], depth: int) -> None:
        init = node.child_by_field_name("initialize")
        cond = node.child_by_field_name("condition")
        update = node.child_by_field_name("update")
        if init is not None:
            self.eval(init, env, depth)
        while cond is None or truthy(self.eval(cond, env, depth)):
            if self._loop_body(node.child_by_field_name("body"), env, depth):
                break
            if update is not None:
                self.eval(update, env, depth)

    def _foreach(self, node: Node, env: dict[str, Value], depth: int) -> None:
        kids = node.named_children
        if len(kids) < 3:
            raise NotConstantError("foreach")
        subject = self.eval(kids[0], env, depth)
        if not isinstance(subject, dict):
            raise NotConstantError("foreach over a non-array")
        binding = kids[1]
        for k, v in list(subject.items()):
            if binding.type == "pair" and binding.named_child_count == 2:
                self._assign(binding.named_children[0], k, env, depth)
                self._assign(binding.named_children[1], v, env, depth)
            else:
                self._assign(binding, v, env, depth)
            if self._loop_body(kids[-1], env, depth):
                break

    def _global(self, name: str) -> Value:
        analyser = self.analyser
        value = analyser._const_var((0, name), 0)
        if value is not None:
            return value
        pairs = analyser.array_value_of_global(name)
        if pairs is not None:
            return {_key(k): v for k, v in pairs}
        raise NotConstantError(f"global ${name}")

    # -- expressions -----------------------------------------------------------------------

    def eval(self, node: Node | None, env: dict[str, Value], depth: int = 0) -> Value:
        if node is None:
            raise NotConstantError("missing node")
        self._tick()
        kind = node.type
        handler = _EXPR.get(kind)
        if handler is None:
            raise NotConstantError(kind)
        return handler(self, node, env, depth)

    def _string(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        if node.type in ("string", "nowdoc", "nowdoc_body"):
            value = self.analyser.value(getattr(node, "raw", node), 0)
            if value is None:
                raise NotConstantError("string")
            return value
        from sscguard.detect.webshell.php import _decode_double

        out = bytearray()
        for child in node.named_children:
            t = child.type
            if t in ("heredoc_start", "heredoc_end"):
                continue
            if t in ("string_content", "nowdoc_string"):
                out += self.analyser.source(getattr(child, "raw", child))
            elif t == "escape_sequence":
                out += _decode_double(child.text)
            elif t == "heredoc_body":
                out += to_bytes(self._string(child, env, depth))
            else:
                out += to_bytes(self.eval(child, env, depth))
            if len(out) > MAX_VALUE_BYTES:
                raise NotConstantError("too long")
        return bytes(out)

    def _integer(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        text = node.text.replace(b"_", b"").lower()
        try:
            if text.startswith((b"0x", b"0b", b"0o")):
                return int(text, 0)
            if len(text) > 1 and text.startswith(b"0"):
                return int(text, 8)
            return int(text)
        except ValueError:
            raise NotConstantError("integer") from None

    def _variable(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        name = node.text[1:].decode("latin-1")
        if name in env:
            return env[name]
        if (name.startswith("_") and name.isupper()) or name in ("GLOBALS", "this"):
            raise NotConstantError(f"${name}")  # request data, globals: never constant
        return None  # an undefined local reads as null

    def _assign(self, target: Node, value: Value, env: dict[str, Value], depth: int) -> None:
        if target.type == "variable_name":
            env[target.text[1:].decode("latin-1")] = value
            return
        if target.type == "subscript_expression" and target.named_child_count >= 1:
            base = target.named_children[0]
            if base.type != "variable_name":
                raise NotConstantError("nested subscript assignment")
            name = base.text[1:].decode("latin-1")
            container = env.get(name)
            if container is None or container == b"":
                container = {}
            if isinstance(container, bytes) and target.named_child_count == 2:
                i = to_int(self.eval(target.named_children[1], env, depth))
                if not 0 <= i < len(container) + 1 or i > MAX_VALUE_BYTES:
                    raise NotConstantError("string offset")
                ch = to_bytes(value)[:1] or b" "
                container = container[:i].ljust(i, b" ") + ch + container[i + 1 :]
                env[name] = container
                return
            if not isinstance(container, dict):
                raise NotConstantError("subscript of a scalar")
            if target.named_child_count == 1:
                ints = [k for k in container if isinstance(k, int)]
                key: Key = max(ints) + 1 if ints else 0
            else:
                key = _key(self.eval(target.named_children[1], env, depth))
            container = dict(container)
            container[key] = value
            if len(container) > MAX_ARRAY:
                raise NotConstantError("array too large")
            env[name] = container
            return
        raise NotConstantError(f"assign to {target.type}")

    def _assignment(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        value = self.eval(node.child_by_field_name("right"), env, depth)
        self._assign(node.child_by_field_name("left"), value, env, depth)
        return value

    def _augmented(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        left = node.child_by_field_name("left")
        op = node.children[1].type[:-1] if node.child_count > 2 else ""
        current = self.eval(left, env, depth)
        value = self._binop(op, current, self.eval(node.child_by_field_name("right"), env, depth))
        self._assign(left, value, env, depth)
        return value

    def _update(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        arg = node.child_by_field_name("argument")
        op = node.child_by_field_name("operator")
        if arg is None or op is None:
            raise NotConstantError("update")
        old = self.eval(arg, env, depth)
        new = to_num(old) + (1 if op.type == "++" else -1) if old is not None else (
            1 if op.type == "++" else None
        )  # fmt: skip
        self._assign(arg, new, env, depth)
        return new if node.children[0] is op else old

    def _binary(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        op_node = node.child_by_field_name("operator")
        op = op_node.type if op_node is not None else ""
        left = self.eval(node.child_by_field_name("left"), env, depth)
        right_node = node.child_by_field_name("right")
        if op in ("&&", "and"):
            return truthy(left) and truthy(self.eval(right_node, env, depth))
        if op in ("||", "or"):
            return truthy(left) or truthy(self.eval(right_node, env, depth))
        if op == "??":
            return left if left is not None else self.eval(right_node, env, depth)
        return self._binop(op, left, self.eval(right_node, env, depth))

    def _binop(self, op: str, a: Value, b: Value) -> Value:
        if op == ".":
            out = to_bytes(a) + to_bytes(b)
            if len(out) > MAX_VALUE_BYTES:
                raise NotConstantError("too long")
            return out
        if op in ("==", "!=", "<>"):
            return loose_eq(a, b) == (op == "==")
        if op in ("===", "!=="):
            same = type(a) is type(b) and a == b
            return same == (op == "===")
        if op in ("<", ">", "<=", ">=", "<=>"):
            c = compare(a, b)
            return {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0, "<=>": c}[op]
        if op == "xor":
            return truthy(a) != truthy(b)
        if op in ("^", "&", "|") and isinstance(a, bytes) and isinstance(b, bytes):
            if op == "^":
                return deob.xor_strings(a, b)
            pairs = zip(a, b, strict=False)
            if op == "&":
                return bytes(x & y for x, y in pairs)
            return bytes(x | y for x, y in zip(a.ljust(len(b), b"\0"), b.ljust(len(a), b"\0"),
                                               strict=False))  # fmt: skip
        if op in ("^", "&", "|", "<<", ">>"):
            i, j = to_int(a), to_int(b)
            if op in ("<<", ">>") and not 0 <= j < 64:
                raise NotConstantError("shift")
            r = {"^": i ^ j, "&": i & j, "|": i | j, "<<": (i << j), ">>": i >> j}[op]
            r &= (1 << 64) - 1
            return r - (1 << 64) if r >= 1 << 63 else r
        x, y = to_num(a), to_num(b)
        if op == "+":
            return _check_int(x + y)
        if op == "-":
            return _check_int(x - y)
        if op == "*":
            if abs(x) > 1 << 64 or abs(y) > 1 << 64:
                raise NotConstantError("overflow")
            return _check_int(x * y)
        if op == "/":
            if y == 0:
                raise NotConstantError("division by zero")
            if isinstance(x, int) and isinstance(y, int) and x % y == 0:
                return x // y
            return x / y
        if op == "%":
            xi, yi = int(x), int(y)
            if yi == 0:
                raise NotConstantError("modulo by zero")
            r = abs(xi) % abs(yi)
            return -r if xi < 0 else r
        if op == "**":
            if abs(y) > 64:
                raise NotConstantError("power")
            return _check_int(x**y)
        raise NotConstantError(f"operator {op}")

    def _unary(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        op_node = node.child_by_field_name("operator")
        op = op_node.type if op_node is not None else node.children[0].type
        arg = node.child_by_field_name("argument") or node.named_children[-1]
        v = self.eval(arg, env, depth)
        if op == "!":
            return not truthy(v)
        if op == "-":
            return _check_int(-to_num(v))
        if op == "+":
            return to_num(v)
        if op == "~":
            if isinstance(v, bytes):
                return bytes(255 - c for c in v)
            return ~to_int(v)
        raise NotConstantError(f"unary {op}")

    def _conditional(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        cond = self.eval(node.child_by_field_name("condition"), env, depth)
        body = node.child_by_field_name("body")
        if truthy(cond):
            return cond if body is None else self.eval(body, env, depth)
        return self.eval(node.child_by_field_name("alternative"), env, depth)

    def _subscript(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        if node.named_child_count != 2:
            raise NotConstantError("subscript")
        base = self.eval(node.named_children[0], env, depth)
        index = self.eval(node.named_children[1], env, depth)
        if isinstance(base, dict):
            return base.get(_key(index))
        if isinstance(base, bytes):
            i = to_int(index)
            if -len(base) <= i < len(base):
                return base[i : i + 1 or None]
            return b""
        return None

    def _call(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        fn = node.child_by_field_name("function")
        if fn is None:
            raise NotConstantError("call")
        if fn.type in ("name", "qualified_name"):
            name = fn.text.decode("latin-1").lstrip("\\").lower().split("\\")[-1]
        else:
            name = to_bytes(self.eval(fn, env, depth)).decode("latin-1").strip().lower()
        args = []
        from sscguard.detect.webshell.php import _args

        arg_nodes = _args(node)
        if name in ("isset", "empty"):
            values = []
            for a in arg_nodes:
                try:
                    values.append(self.eval(a, env, depth))
                except NotConstantError:
                    raise
            if name == "isset":
                return all(v is not None for v in values)
            return not values or not truthy(values[0])
        for a in arg_nodes:
            args.append(self.eval(a, env, depth))
        return self.call(name, args, depth + 1)

    def _cast(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        ctype = node.child_by_field_name("type")
        v = self.eval(node.child_by_field_name("value"), env, depth)
        t = ctype.text.decode("latin-1").lower() if ctype is not None else ""
        if t in ("int", "integer"):
            return to_int(v)
        if t == "string":
            return to_bytes(v)
        if t in ("bool", "boolean"):
            return truthy(v)
        if t in ("float", "double", "real"):
            return float(to_num(v))
        if t == "array":
            return v if isinstance(v, dict) else ({} if v is None else {0: v})
        raise NotConstantError("cast")

    def _array(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        out: dict[Key, Value] = {}
        auto = 0
        for element in node.named_children:
            if element.type == "comment":
                continue
            kids = [c for c in element.named_children if c.type != "comment"]
            if element.type != "array_element_initializer" or not kids:
                raise NotConstantError("array element")
            value = self.eval(kids[-1], env, depth)
            key = _key(self.eval(kids[0], env, depth)) if len(kids) == 2 else auto
            if isinstance(key, int):
                auto = max(auto, key + 1)
            out[key] = value
            if len(out) > MAX_ARRAY:
                raise NotConstantError("array too large")
        return out

    def _sequence(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        value: Value = None
        for child in node.named_children:
            value = self.eval(child, env, depth)
        return value

    def _inner(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        if not node.named_child_count:
            raise NotConstantError(node.type)
        return self.eval(node.named_children[-1], env, depth)

    def _name(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        text = node.text.lower()
        if text in (b"true", b"false", b"null"):
            return {b"true": True, b"false": False, b"null": None}[text]
        value = self.analyser._define_value(node.text, 0)
        if value is None:
            raise NotConstantError("constant")
        return value

    # -- reflection over the file's own classes (names hidden in constants, doc comments) --

    def _new(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        """``new ReflectionClass('C')``: a handle on a class declared in this file."""
        cls = node.named_children[0].text.lower().lstrip(b"\\") if node.named_child_count else b""
        from sscguard.detect.webshell.php import _args

        args = _args(node)
        if cls not in (b"reflectionclass", b"reflectionobject") or not args:
            raise NotConstantError("new")
        target = to_bytes(self.eval(args[0], env, depth)).strip().lstrip(b"\\")
        decl = _class_declaration(self.analyser, target)
        if decl is None:
            raise NotConstantError("class not in file")
        return ReflectedClass(target, decl)

    def _member_call(self, node: Node, env: dict[str, Value], depth: int) -> Value:
        obj = self.eval(node.child_by_field_name("object"), env, depth)
        method = node.child_by_field_name("name")
        if not isinstance(obj, ReflectedClass) or method is None:
            raise NotConstantError("method call")
        name = method.text.lower()
        if name == b"getname":
            return obj.name
        if name in (b"getconstants", b"getconstant"):
            consts = _class_constants(self, obj.decl, depth)
            if name == b"getconstants":
                return consts
            from sscguard.detect.webshell.php import _args

            args = _args(node)
            if not args:
                raise NotConstantError("getConstant")
            key = to_bytes(self.eval(args[0], env, depth))
            return consts.get(key, False)
        if name == b"getdoccomment":
            comment = obj.decl.prev_named_sibling
            if comment is not None and comment.type == "comment":
                text = bytes(comment.text)
                if text.startswith(b"/**"):
                    return text
            return False
        raise NotConstantError("method")


class ReflectedClass:
    """What ``new ReflectionClass('C')`` evaluates to: the class's name and declaration."""

    __slots__ = ("decl", "name")

    def __init__(self, name: bytes, decl: Node) -> None:
        self.name = name
        self.decl = decl


MAX_CLASS_CONSTANTS = 256


def _class_declaration(analyser: PhpAnalyser, name: bytes) -> Node | None:
    """The tree-sitter node of ``class <name>`` in the analysed file, or None."""
    if not name or len(name) > 100 or analyser.root is None:
        return None
    found = re.search(rb"(?i)\bclass\s+" + re.escape(name) + rb"\b", analyser.data)
    if found is None:
        return None
    node = analyser._node_at(found.start())
    for _ in range(4):
        if node is None or node.type == "class_declaration":
            break
        node = node.parent
    return node if node is not None and node.type == "class_declaration" else None


def _class_constants(interp: Interpreter, decl: Node, depth: int) -> dict[Key, Value]:
    """``const a = ...;`` of a class declaration, in order (constant initialisers only)."""
    body = decl.child_by_field_name("body")
    out: dict[Key, Value] = {}
    if body is None:
        return out
    for member in body.named_children:
        if member.type != "const_declaration":
            continue
        for element in member.named_children:
            if element.type != "const_element" or element.named_child_count < 2:
                continue
            key, value = element.named_children[0], element.named_children[-1]
            tree = lite(value, [MAX_FUNCTION_NODES], 0, interp.analyser.parsed)
            out[bytes(key.text)] = interp.eval(tree, {}, depth + 1)
            if len(out) > MAX_CLASS_CONSTANTS:
                raise NotConstantError("too many constants")
    return out


_EXPR: dict[str, Any] = {
    "string": Interpreter._string,
    "encapsed_string": Interpreter._string,
    "heredoc": Interpreter._string,
    "nowdoc": Interpreter._string,
    "integer": Interpreter._integer,
    "float": lambda self, n, env, d: float(n.text.replace(b"_", b"")),
    "boolean": lambda self, n, env, d: n.text.lower() == b"true",
    "null": lambda self, n, env, d: None,
    "name": Interpreter._name,
    "variable_name": Interpreter._variable,
    "assignment_expression": Interpreter._assignment,
    "reference_assignment_expression": Interpreter._assignment,  # a copy: enough for decoders
    "augmented_assignment_expression": Interpreter._augmented,
    "update_expression": Interpreter._update,
    "binary_expression": Interpreter._binary,
    "unary_op_expression": Interpreter._unary,
    "conditional_expression": Interpreter._conditional,
    "subscript_expression": Interpreter._subscript,
    "function_call_expression": Interpreter._call,
    "cast_expression": Interpreter._cast,
    "array_creation_expression": Interpreter._array,
    "sequence_expression": Interpreter._sequence,
    "parenthesized_expression": Interpreter._inner,
    "argument": Interpreter._inner,
    "error_suppression_expression": Interpreter._inner,
    "object_creation_expression": Interpreter._new,
    "member_call_expression": Interpreter._member_call,
}


def _argument_value(analyser: PhpAnalyser, node: Node, scope: int) -> Value:
    value = analyser.value(node, scope)
    if value is not None:
        return value
    pairs = analyser.array_value(node, scope)
    if pairs is not None:
        return {_key(k): v for k, v in pairs}
    raise NotConstantError("argument")


def run_function(analyser: PhpAnalyser, name: str, args: list[Node], scope: int) -> bytes | None:
    """The string a user function returns for constant arguments, or None."""
    interp = analyser.interpreter()
    try:
        values = [_argument_value(analyser, a, scope) for a in args]
    except NotConstantError:
        return None
    # a long blob: decode its prefix only (the full run would not fit the time budget); a
    # decoder that runs out of steps on it is tried again on shorter prefixes
    attempts = [_prefixed(values, n) for n in PREFIXES]
    if attempts[0] is None:
        attempts[0] = values
    else:  # the file's own decoder over a long blob: what packers do; worth more time
        interp.deadline = analyser.budget.grace()
    for attempt in attempts:
        if attempt is None or interp.file_steps <= 0:
            continue
        try:
            result = interp.run(name, attempt)
        except NotConstantError as exc:
            if str(exc) == "steps":
                continue  # a shorter prefix may fit
            return None
        except (RecursionError, ValueError, OverflowError, MemoryError):
            return None
        if isinstance(result, bytes | int | float):
            return to_bytes(result)[:MAX_VALUE_BYTES]
        return None
    return None


def _prefixed(values: list[Value], size: int) -> list[Value] | None:
    """The arguments with long strings cut to ``size`` bytes (None when nothing is longer)."""
    if not any(isinstance(v, bytes) and len(v) > size for v in values):
        return None
    return [v[:size] if isinstance(v, bytes) else v for v in values]


MAX_TOPLEVEL_STATEMENTS = 400  # top-level statements replayed before one sink


def run_toplevel(analyser: PhpAnalyser, before: int, name: str) -> bytes | None:
    """The string ``$name`` holds when the top-level code reaches byte offset ``before``.

    Packers also decode in plain top-level loops (``for (...; $i++) $d .= chr(...);
    eval($d);``). The top-level statements that end before the sink are replayed in order;
    one that cannot be run statically (request input, I/O, a construct not modelled) is
    skipped, and when the step or time budget runs out inside a loop, what the loop has
    built so far is used (for character-wise decoders: a prefix of the payload).
    """
    root = analyser.root
    if root is None:
        return None
    statements = [
        s
        for s in root.named_children
        if s.end_byte <= before
        and s.type not in ("php_tag", "text", "comment", "text_interpolation")
    ]
    if not statements or len(statements) > MAX_TOPLEVEL_STATEMENTS:
        return None
    interp = analyser.interpreter()
    budget = min(MAX_STEPS, interp.file_steps)
    if budget <= 0:
        return None
    interp.steps = budget
    env: dict[str, Value] = {}
    nodes = [MAX_FUNCTION_NODES]
    try:
        for statement in statements:
            if statement.type in ("function_definition", "class_declaration"):
                continue
            try:
                interp.exec(lite(statement, nodes, 0, interp.analyser.parsed), env, 0)
            except NotConstantError as exc:
                if str(exc) in ("steps", "time", "function too large"):
                    break  # keep what the loop built so far
            except (_BreakError, _ContinueError):
                continue
    except (_ReturnError, RecursionError, ValueError, OverflowError, MemoryError):
        return None
    finally:
        interp.file_steps -= budget - max(interp.steps, 0)
    value = env.get(name)
    return value[:MAX_VALUE_BYTES] if isinstance(value, bytes) and value else None
