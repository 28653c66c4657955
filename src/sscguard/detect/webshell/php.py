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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sscguard.detect.webshell import deobfuscate as deob
from sscguard.detect.webshell.flow import (
    MAX_LAYERS,
    MAX_PARSE_BYTES,
    MAX_PARSE_SECONDS,
    MAX_STEPS,
    MAX_VALUE_BYTES,
    Analysis,
    Budget,
    DecodedLayer,
    FlowPath,
    SinkKind,
    Step,
    parse_bounded,
)

Node = Any  # tree_sitter.Node (kept loose: the bindings are typed only partially)

SUPERGLOBALS = {
    "_GET", "_POST", "_REQUEST", "_COOKIE", "_FILES", "_SERVER", "HTTP_RAW_POST_DATA",
    "HTTP_GET_VARS", "HTTP_POST_VARS", "HTTP_COOKIE_VARS", "HTTP_POST_FILES",
}  # fmt: skip
#: Data an attacker stored earlier (a session written by another request): a weaker source.
STORED = {"_SESSION"}
#: Functions that create variables from their (request) argument, register_globals style.
VAR_IMPORTERS = {"extract", "parse_str", "mb_parse_str", "import_request_variables"}
SOCKET_OPENERS = {
    "fsockopen", "pfsockopen", "stream_socket_client", "stream_socket_accept", "socket_create",
    "socket_accept",
}  # fmt: skip
SOCKET_READERS = {"fread", "fgets", "socket_read", "stream_get_contents", "stream_get_line",
                  "fgetc", "socket_recv"}  # fmt: skip
_SERVER_TAINTED = re.compile(r"^(HTTP_\w+|QUERY_STRING|REQUEST_URI|PATH_INFO)$")
SOURCE_FUNCS = {
    "getallheaders", "apache_request_headers", "filter_input", "filter_input_array",
    "exif_read_data",
}  # fmt: skip
#: Functions that hand out a superglobal's entries by position, not by name.
_WHOLE_ARRAY = {"array_values", "array_slice", "end", "reset", "current", "next", "array_pop",
                "array_shift", "implode", "join"}  # fmt: skip
INPUT_READERS = {"file_get_contents", "fopen", "file", "stream_get_contents", "readfile"}
SANITIZERS = {
    "intval", "floatval", "boolval", "count", "strlen", "isset", "empty", "is_numeric",
    "is_string", "is_array", "in_array", "md5", "sha1", "crc32", "hash", "hash_hmac",
    "password_verify", "password_hash", "escapeshellarg", "escapeshellcmd", "htmlspecialchars",
    "htmlentities", "basename", "preg_match", "preg_quote", "strcmp", "hash_equals",
    "array_key_exists", "file_exists", "is_file", "is_dir", "ctype_digit", "ctype_alnum",
    "realpath", "filter_var", "addslashes", "mysql_real_escape_string", "json_encode",
    "strpos", "stripos", "filesize", "time", "abs", "round", "str_contains", "str_starts_with",
    "str_ends_with", "ctype_alpha", "ctype_xdigit", "is_callable", "function_exists",
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
    "iterator_to_array": -1, "spl_autoload_register": 0, "session_set_save_handler": 0,
    "xml_set_element_handler": 1, "xml_set_character_data_handler": 1,
    "xml_set_default_handler": 1, "xml_set_processing_instruction_handler": 1,
    "array_uintersect": -1, "array_diff_uassoc": -1, "array_intersect_uassoc": -1,
    "libxml_set_external_entity_loader": 0,
}  # fmt: skip
FILE_WRITERS = {"file_put_contents": (0, 1), "move_uploaded_file": (1, 0), "copy": (1, 0)}
#: mail functions whose fifth argument is added to sendmail's command line (``-X file``
#: logs the message, request content included, into a file the attacker names)
_MAILERS = {"mail", "mb_send_mail"}
#: COM ProgIDs whose objects run commands (``exec``, ``Run``, ``ShellExecute``).
_COM_SHELLS = {b"wscript.shell", b"wscript.shell.1", b"shell.application"}
#: Functions that parse attacker text and call PHP callbacks for what it asks for (the
#: fourth argument of yaml_parse maps YAML tags to callables).
_TAG_CALLBACKS = {"yaml_parse": 3, "yaml_parse_file": 3, "yaml_parse_url": 3}
STREAM_WRITERS = {"fwrite", "fputs"}
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
_MAX_ARRAY = 4096  # entries of one folded constant array
_MAX_CONCAT = 65_536  # operands of one concatenation chain folded iteratively
_METHOD_ARG_STEPS = 3  # longest call-site path followed into a method parameter


def _array_key(key: bytes) -> bytes:
    """Array keys as the folder compares them: PHP's ``true``/``false`` keys become 1/0."""
    return {b"true": b"1", b"false": b"0"}.get(key.lower(), key)


def _listed(values: list[bytes]) -> list[tuple[bytes, bytes]]:
    return [(str(i).encode(), v) for i, v in enumerate(values)]


def _sprintf(fmt: bytes, args: list[bytes | None]) -> bytes | None:
    """PHP ``sprintf`` for ``%s``/``%d``/``%%`` (and ``%c``) only; None for anything else."""
    out = bytearray()
    it = iter(args)
    pos = 0
    for m in re.finditer(rb"%(?:(\d+)\$)?([sdc%])", fmt):
        out += fmt[pos : m.start()]
        pos = m.end()
        if m.group(2) == b"%":
            out += b"%"
            continue
        if m.group(1):
            i = int(m.group(1)) - 1
            arg = args[i] if 0 <= i < len(args) else None
        else:
            arg = next(it, None)
        if arg is None:
            return None
        if m.group(2) == b"c":
            if not arg.lstrip(b"-").isdigit():
                return None
            out.append(int(arg) % 256)
        elif m.group(2) == b"d":
            digits = re.match(rb"\s*-?\d+", arg)
            out += digits.group(0).strip() if digits else b"0"
        else:
            out += arg
    out += fmt[pos:]
    return bytes(out[:MAX_VALUE_BYTES])


def _strtr_pairs(text: bytes, pairs: list[tuple[bytes, bytes]]) -> bytes:
    """PHP ``strtr($s, array)``: longest match first, no rescanning of replaced text."""
    table = {k: v for k, v in pairs if k}
    if not table:
        return text
    pattern = re.compile(b"|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group(0)], text)[:MAX_VALUE_BYTES]


_MAX_LAYERS_PER_FILE = 16


@lru_cache(maxsize=4096)
def _rx(pattern: bytes) -> re.Pattern[bytes]:
    """Compile a per-name pattern once per process: names repeat across files, and the
    ``re`` module's own cache (512 entries) was recompiling thousands per corpus."""
    return re.compile(pattern)


@lru_cache(maxsize=1)
def php_parser() -> Any:
    """The PHP tree-sitter parser, one per process (the dataflow and capability models)."""
    import tree_sitter
    import tree_sitter_php

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_php.language_php()))


#: larger trees are not kept: the capability model does not parse files this large
#: (capability.MAX_CAPABILITY_BYTES), and a big tree held for nothing costs memory
_SHARE_MAX = 256 << 10


class _LastParse:
    """The last file-level PHP tree and the bytes it was parsed from: the dataflow and the
    capability models parse the same file one after the other, so the second one reuses it
    (trees are never edited). One per process, like the parser."""

    data: bytes = b""
    tree: Any = None


def parse_php(data: bytes, share: bool = False) -> Any | None:
    """``parse_bounded`` with the PHP parser; None when the CPU-time bound stopped it.

    ``share``: a file-level parse, kept for the next caller asking for the same bytes (the
    tree kept before is let go first, so two trees are never held at once)."""
    if share:
        if _LastParse.tree is not None and _LastParse.data == data:
            return _LastParse.tree
        _LastParse.data, _LastParse.tree = b"", None
    tree = parse_bounded(php_parser(), data)
    if share and tree is not None and len(data) <= _SHARE_MAX:
        _LastParse.data, _LastParse.tree = data, tree
    return tree


def _short(node: Node, limit: int = 60) -> str:
    text = node.text.decode("utf-8", "replace")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _line(node: Node) -> int:
    return int(node.start_point[0]) + 1


def _args(node: Node) -> list[Node]:
    """The argument expressions of a call node (empty for other nodes)."""
    arguments = node.child_by_field_name("arguments")
    if arguments is None:  # ``new Foo(...)`` keeps its arguments as an unnamed child
        arguments = next((c for c in node.named_children if c.type == "arguments"), None)
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
    start: int = 0  # byte offsets of the assignment (for the position-based constant fold)
    end: int = 0
    #: ``$name['k'] = ...``: the literal key written (None: the whole variable, or a key
    #: that is not a literal)
    written: bytes | None = None


@dataclass(slots=True)
class _Function:
    scope: int
    name: str
    params: list[str]
    node: Node = None


@dataclass(slots=True)
class _State:
    by_name: dict[str, list[_Assign]] = field(default_factory=dict)
    functions: dict[str, _Function] | None = None
    tainted: dict[tuple[int, str], tuple[Step, ...] | None] = field(default_factory=dict)
    consts_at: dict[tuple[int, str, int], bytes | None] = field(default_factory=dict)
    sources: int = 0


_SINK_CALL = re.compile(
    rb"(?i)(?<![\w$>:])(eval|assert|system|exec|passthru|popen|proc_open|shell_exec|pcntl_exec"
    rb"|expect_popen|create_function|preg_replace|preg_filter|mb_ereg_replace|file_put_contents"
    rb"|move_uploaded_file|copy|mail|mb_send_mail|" + "|".join(CALLBACKS).encode() + rb")\s*\("
)
#: ``\$\w+\s*\(|[\])}]\s*\(`` (a call through a variable or an expression), written to start with
#: one character class so that ``re`` skips ahead to the candidates
_DYNAMIC_CALL = re.compile(rb"[$\])}](?:(?<=\$)\w+|(?<!\$))\s*\(")
# sorted: the order decides which of several equal paths a report shows, and set order
# changes with the interpreter's hash seed (reports must not change from run to run)
_SINK_WORDS = tuple(
    w.encode()
    for w in sorted({
        *CODE_SINKS, *COMMAND_SINKS, *CALLBACKS, *FILE_WRITERS, *STREAM_WRITERS,
        *_TAG_CALLBACKS, "preg_replace", "preg_filter", "mb_ereg_replace", "dl", *_MAILERS,
    })
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
        if rest.startswith(b"/*"):  # ``eval/* junk */(...)``: a comment before the arguments
            close = lower.find(b"*/", start, start + 200)
            rest = lower[close + 2 : close + 10].lstrip() if close >= 0 else b""
        if rest.startswith(b"("):
            found += 1
            yield at


def _fast_words(words: tuple[bytes, ...], not_after: bytes) -> bytes:
    """``(?<!not_after)(w1|w2|...)`` for lower-case text, written so every alternative starts
    with a literal (each word, then a look-behind at the byte before it): the ``re`` module
    then skips ahead to the possible first bytes instead of trying every offset."""
    return b"|".join(re.escape(w) + rb"(?<!" + not_after + re.escape(w) + rb")" for w in words)


#: Matched on the lower-cased text (same offsets): ``(?i)`` would defeat the skip-ahead.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPACE_BYTES = frozenset(b" \t\n\r\f\v")  # ``\s`` of a bytes pattern
_NOT_BEFORE_CALL = _WORD_BYTES | frozenset(b"$>")
#: Sites of one name are found with ``bytes.find`` and byte tests, the same offsets as the
#: per-name regular expressions they replace, without compiling one per name (~0.4 ms each,
#: thousands per corpus); a name this frequent goes back to the compiled form (C speed).
_FIND_BELOW = 2000


_VARIABLE_WORD = re.compile(rb"\$(\w+)")
_MEMBER_WORD = re.compile(rb"->(\w+)")


def _name_sites(data: bytes, needle: bytes, boundary: bool, limit: int) -> list[int] | None:
    r"""Offsets where ``re.escape(needle) + (rb"\b" if boundary else rb"(?!\w)")`` matches
    (``finditer`` order, at most ``limit``); None when the needle is too frequent."""
    if data.count(needle) >= _FIND_BELOW:
        return None
    out: list[int] = []
    start, size = 0, len(data)
    last_word = needle[-1] in _WORD_BYTES
    while len(out) < limit:
        at = data.find(needle, start)
        if at < 0:
            break
        end = at + len(needle)
        next_word = end < size and data[end] in _WORD_BYTES
        if (next_word != last_word) if boundary else not next_word:
            out.append(at)
            start = end
        else:
            start = at + 1
    return out


def _call_sites(lower: bytes, name: bytes, method: bool, limit: int) -> list[int] | None:
    r"""Offsets of the ``(`` where ``(?<![\w$>])name\s*\(`` (a function call) or
    ``(->|::)\s*name\s*\(`` (a method call) matches in ``lower`` (``finditer`` order, at
    most ``limit``); ``name`` is a lower-case identifier. None when it is too frequent."""
    if lower.count(name) >= _FIND_BELOW:
        return None
    out: list[int] = []
    start, size = 0, len(lower)
    while len(out) < limit:
        at = lower.find(name, start)
        if at < 0:
            break
        end = at + len(name)
        while end < size and lower[end] in _SPACE_BYTES:
            end += 1
        ok = end < size and lower[end] == 0x28  # "("
        if ok and method:
            before = at
            while before > 0 and lower[before - 1] in _SPACE_BYTES:
                before -= 1
            ok = before >= 2 and lower[before - 2 : before] in (b"->", b"::")
        elif ok:
            ok = at == 0 or lower[at - 1] not in _NOT_BEFORE_CALL
        if ok:
            out.append(end)
            start = end + 1
        else:
            start = at + 1
    return out


#: Keyword-like sinks, ``(?i)(?<![\w$>:])(include|require)(_once)?\b|`|\bnew\s+\\?reflection
#: |->\s*invoke(args)?\s*\(`` on the lower-cased text, as one pattern per alternative, each
#: starting with a literal (the ``re`` module finds a literal prefix with a fast search; one
#: alternation tries every ``i``, ``r``, ``n``, ``-``). No match of one can start inside a
#: match of another, so their starts, merged, are the starts of the one pattern's matches.
_KEYWORD_PARTS = tuple(
    re.compile(part)
    for part in (
        _fast_words((b"include",), rb"[\w$>:]") + rb"(_once)?\b",
        _fast_words((b"require",), rb"[\w$>:]") + rb"(_once)?\b",
        rb"`",
        _fast_words((b"new",), rb"\w") + rb"\s+\\?reflection",
        rb"->\s*invoke(args)?\s*\(",
    )
)


#: Methods of objects that write files or run commands (``SplFileObject``, COM shells).
_OBJECT_SINK_CLASS = re.compile(rb"new\s+\\?(splfileobject|com)\s*\(")
_OBJECT_SINK_CALL = re.compile(rb"->\s*(fwrite|exec|run|shellexecute)\s*\(")


def _keyword_sites(lower: bytes) -> list[int]:
    """The first ``_MAX_MATCHES`` starts of keyword-like sinks in ``lower`` (lower-cased)."""
    starts = [m.start() for part in _KEYWORD_PARTS for m in part.finditer(lower)]
    starts.sort()
    return starts[:_MAX_MATCHES]


#: Where request input may become variables, ``(?i)(?<![\w$>:])(extract|parse_str|
#: mb_parse_str|import_request_variables)\s*\(|\$\$\w+\s*=[^=]|\$\{[^}\n]{1,80}\}\s*=[^=]``
#: on the lower-cased text, one pattern per alternative, each starting with a literal (see
#: _KEYWORD_PARTS); the word alternatives keep the word as group 1.
_IMPORTER_PARTS = tuple(
    re.compile(part)
    for part in (
        *(
            rb"(" + _fast_words((word,), rb"[\w$>:]") + rb")\s*\("
            for word in (b"extract", b"parse_str", b"mb_parse_str", b"import_request_variables")
        ),
        rb"\$\$\w+\s*=[^=]",
        rb"\$\{[^}\n]{1,80}\}\s*=[^=]",
    )
)


def _importer_sites(lower: bytes, limit: int) -> list[tuple[int, bytes | None]]:
    """The first ``limit`` matches of the alternation of ``_IMPORTER_PARTS`` in ``lower``, in
    ``finditer`` order (non-overlapping, leftmost first), as (start, the word or None).

    Each part is searched on its own from where the last match ended, the leftmost next match
    is taken (no two parts can match at one offset: their first bytes differ, or for ``$$``
    and ``${`` their second), and a part's next match is kept while it lies ahead."""
    ahead = [part.search(lower) for part in _IMPORTER_PARTS]
    out: list[tuple[int, bytes | None]] = []
    pos = 0
    while len(out) < limit:
        best: re.Match[bytes] | None = None
        for i, part in enumerate(_IMPORTER_PARTS):
            match = ahead[i]
            if match is not None and match.start() < pos:
                match = ahead[i] = part.search(lower, pos)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        if best is None:
            break
        out.append((best.start(), best.group(1) if best.re.groups else None))
        pos = best.end()
    return out


_DECODERS = (
    b"base64_decode", b"gzinflate", b"gzuncompress", b"gzdecode", b"str_rot13", b"strrev",
    b"hex2bin", b"convert_uudecode", b"urldecode", b"rawurldecode",
)  # fmt: skip
_DECODER_CALL = re.compile(rb"(?:" + _fast_words(_DECODERS, rb"[\w$>:]") + rb")\s*\(")
#: ``(?i)\bfunction\s+&?\s*(\w+)\s*\(`` for the lower-cased text, literal first
_FUNC_DEF = re.compile(_fast_words((b"function",), rb"\w") + rb"\s+&?\s*(\w+)\s*\(")
_SUPERGLOBAL_RE = re.compile(rb"\$_(GET|POST|REQUEST|COOKIE|FILES|SERVER)\b")
_MAX_MATCHES = 400
#: The written path ends in a literal extension (``"$dir/$id.archive"``): the request does
#: not choose the file type.
#: Calls that decode or trim a value without adding text of their own.
_DECODING = {
    "base64_decode", "gzinflate", "gzuncompress", "gzdecode", "str_rot13", "strrev",
    "hex2bin", "urldecode", "rawurldecode", "stripslashes", "trim", "convert_uudecode",
    "html_entity_decode", "htmlspecialchars_decode",
}  # fmt: skip
#: A file the web server runs as code, by its name.
_SCRIPT_FILE = re.compile(rb"(?i)\.(php\d?|phtml|phar|inc|jspx?|aspx?|ashx|asmx|cer|shtml|pl|cgi)$")
_FIXED_EXTENSION = re.compile(rb"\.[A-Za-z0-9]{1,8}['\"]\s*\)?\s*$")
#: Any file-type or name validation in the file (upload forms in applications have one).
_TYPE_CHECK = re.compile(
    rb"(?i)pathinfo|PATHINFO_EXTENSION|getimagesize|finfo_|mime_content_type|\[['\"]type['\"]\]"
    rb"|image/|\.(jpe?g|png|gif|zip)\b|allowed|extension|strrchr|preg_match|in_array"
    rb"|preg_replace"
)
_WHITELIST_CLASS = re.compile(
    rb"^(.)(\[\^[A-Za-z0-9_\\\-]{1,40}\]|\[?\\W\]?)[+*]?\1[a-zA-Z]*$"
)  # ``[^a-z0-9_-]`` or ``\W``: only word characters survive
#: A command interpreter (what a proc_open'd process must be for its stdin to be commands).
_SHELL = re.compile(
    rb"(?i)(^|[/\\\s'\"])(ba|da|z|k|c|tc|a)?sh(\.exe)?(\s+-i)?\s*$|(^|[/\\\s'\"])cmd(\.exe)?\b"
    rb"|powershell|COMSPEC"
)
#: Pure interpreter built-ins the folder may call on folded scalars (string positions,
#: case, radix, padding); the decoders in ``deob.UNARY`` and the rest are folded above.
_PURE_SCALAR = {
    "strpos", "stripos", "strlen", "ucfirst", "ltrim", "rtrim", "dechex", "hexdec", "octdec",
    "decoct", "bindec", "decbin", "intval", "strval", "bin2hex", "abs",
}  # fmt: skip
_SCOPE_HOPS = 400  # parent hops scope_of climbs at most
_NO_FUNCTION = 1 << 30  # distance to the enclosing function when there is none
_ASSIGN_TYPES = {
    "assignment_expression", "augmented_assignment_expression", "reference_assignment_expression",
}  # fmt: skip
#: the parents of a variable that bind it (see _assigns); any other parent only reads it
_BINDING_TYPES = frozenset({*_ASSIGN_TYPES, "pair", "foreach_statement"})
#: built-ins that write a by-reference argument from another one: name -> (index of the
#: written argument, index of the argument its value comes from); -1: from any later one
_OUT_ARGUMENTS = {
    "parse_str": (1, 0), "mb_parse_str": (1, 0), "preg_match": (2, 1),
    "preg_match_all": (2, 1), "array_push": (0, -1), "array_unshift": (0, -1),
}  # fmt: skip


def _out_argument(argument: Node, target: Node) -> tuple[Node, Node] | None:
    """(call, value) when ``target``, the whole of ``argument``, is the argument a built-in
    in ``_OUT_ARGUMENTS`` writes (``parse_str($_GET["q"], $out)``), else None."""
    if argument.named_child_count == 0 or argument.named_children[-1] != target:
        return None
    arguments = argument.parent
    call = arguments.parent if arguments is not None else None
    if call is None or call.type != "function_call_expression":
        return None
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "name":
        return None
    spec = _OUT_ARGUMENTS.get(fn.text.decode("latin-1").lower() if fn.text else "")
    if spec is None:
        return None
    args = _args(call)
    written, source = spec
    if written >= len(args) or args[written] != target:
        return None
    if source >= 0:
        return (call, args[source]) if source < len(args) else None
    later = [a for a in args[written + 1 :] if a != target]
    return (call, later[0]) if len(later) == 1 else None


#: ``define('NAME', ...)``: the constant's name (case-insensitive call, as PHP's)
_DEFINE = re.compile(rb"(?<![\w$>:])define\s*\(\s*['\"](\w+)['\"]\s*,")  # on lowered text
_SCALAR_CASTS = frozenset({b"int", b"integer", b"float", b"double", b"bool", b"boolean"})


def _scalar_cast(cast: Node) -> bool:
    """``(int) $x`` and the other casts to a number or a boolean."""
    kind = cast.child_by_field_name("type")
    return kind is not None and bytes(kind.text).strip().lower() in _SCALAR_CASTS


def _literal_key(subscript: Node) -> bytes | None:
    """The key of ``$a['k']`` / ``$a[3]`` when it is a plain literal, else None."""
    if subscript.named_child_count < 2:
        return None
    index = subscript.named_children[1]
    if index.type == "integer":
        return bytes(index.text)
    if index.type in ("string", "encapsed_string") and index.named_child_count <= 1:
        inner = index.named_children[0] if index.named_child_count else None
        if inner is None:
            return b""
        if inner.type == "string_content" or inner.type == "string_value":
            return bytes(inner.text)
    return None


class PhpAnalyser:
    """One file (or one decoded layer) of PHP, analysed on demand from the sinks backwards.

    Only the syntax nodes around regex hits for sinks, decoders and the variables they use
    are visited, so cost grows with what matters, not with the size of the file.
    """

    def __init__(self, data: bytes, budget: Budget, layer: int = 0) -> None:
        self.data = data[:MAX_PARSE_BYTES]
        #: the bytes the tree was parsed from (``data`` with NUL bytes replaced), once parsed
        self.parsed: bytes | None = None
        self._lower: bytes | None = None
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
        self._interp: Any = None
        self._by_scope: dict[int, _Function] = {}
        self._interp_cache: dict[int, bytes | None] = {}
        self._importers: dict[int, tuple[Step, ...]] | None = None
        self._written: dict[bytes, tuple[Step, ...]] = {}
        #: variables also changed by ``+=``, ``++`` ...: not foldable to one constant
        self._mutated: set[tuple[int, str]] = set()
        #: node id -> (enclosing function id or 0, parent hops to it), see scope_of
        self._scopes: dict[int, tuple[int, int]] = {}
        self._site_index: dict[bool, dict[bytes, list[int]]] = {}
        #: constant name -> offsets of its ``define()`` calls, found on first use
        self._define_sites: dict[str, list[int]] | None = None

    # -- locating nodes --------------------------------------------------------------------

    def source(self, node: Node) -> bytes:
        """The original bytes of ``node`` (the tree is built from a copy whose NUL bytes,
        which stop the PHP grammar inside string literals, are replaced)."""
        return self.data[node.start_byte : node.end_byte]

    @property
    def lower(self) -> bytes:
        """``data`` lower-cased (same offsets), for the searches that ignore case."""
        if self._lower is None:
            self._lower = self.data.lower()
        return self._lower

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

    def scope_of(self, node: Node) -> int:
        """The function or method around ``node`` (its id) within 400 parent hops, else 0.

        Climbs are remembered per node: ``Node.parent`` walks down from the root (tree-sitter
        keeps no parent links), and the sinks, calls and assignments of one function share
        most of their climb."""
        known = self._scopes
        hit = known.get(node.id)
        if hit is None:
            chain = [node.id]
            parent = node.parent
            while True:
                if parent is None:
                    hit = (0, _NO_FUNCTION)
                    break
                if parent.type in _FUNC_TYPES:
                    hit = (int(parent.id), 1)
                    break
                above = known.get(parent.id)
                if above is not None:
                    hit = (above[0], above[1] + 1)
                    break
                if len(chain) >= _SCOPE_HOPS:
                    return 0  # deeper than the bound: not remembered
                chain.append(parent.id)
                parent = parent.parent
            function, distance = hit
            for i, key in enumerate(reversed(chain)):  # the node itself is chain[0]
                known[key] = (function, distance + i)
            hit = (function, distance + len(chain) - 1)
        return hit[0] if hit[1] <= _SCOPE_HOPS else 0

    def interpreter(self) -> Any:
        if self._interp is None:
            from sscguard.detect.webshell.phpinterp import Interpreter

            self._interp = Interpreter(self)
        return self._interp

    def array_value_of_global(self, name: str) -> list[tuple[bytes, bytes]] | None:
        assigns = [a for a in self._assigns(name) if a.scope == 0 and a.value is not None]
        if len(assigns) != 1 or assigns[0].append:
            return None
        return self.array_value(assigns[0].value, 0)

    def _function_at(self, scope: int) -> _Function | None:
        self._functions()
        return self._by_scope.get(scope)

    def _functions(self) -> dict[str, _Function]:
        if self.state.functions is None:
            found: dict[str, _Function] = {}
            for match in list(_FUNC_DEF.finditer(self.lower))[:_MAX_MATCHES]:
                node = self._climb(self._node_at(match.start(1)), _FUNC_TYPES, 3)
                if node is None:
                    continue
                params = node.child_by_field_name("parameters")
                names = []
                for p in params.named_children if params is not None else []:
                    var = next((c for c in p.named_children if c.type == "variable_name"), None)
                    names.append((_var_name(var) or "") if var is not None else "")
                name = match.group(1).decode("latin-1").lower()
                fn = _Function(int(node.id), name, names, node)
                found.setdefault(name, fn)
                self._by_scope[fn.scope] = fn
            self.state.functions = found
        return self.state.functions

    def _name_index(self, member: bool) -> dict[bytes, list[int]]:
        r"""Where each ``$name`` (or ``->name``) occurs, by name, built once per file: the
        offsets of ``re.escape(b"$" + name) + rb"(?!\w)"`` (``rb"->" ... rb"\b"``) for a
        name of word bytes are those where the whole word after the sign is that name."""
        index = self._site_index.get(member)
        if index is None:
            index = self._site_index[member] = {}
            for match in (_MEMBER_WORD if member else _VARIABLE_WORD).finditer(self.data):
                index.setdefault(match.group(1), []).append(match.start())
        return index

    def _assigns(self, name: str) -> list[_Assign]:
        """Every assignment (or foreach binding) to ``$name`` anywhere in the file."""
        cached = self.state.by_name.get(name)
        if cached is not None:
            return cached
        out: list[_Assign] = []
        self.state.by_name[name] = out
        member = name.startswith("->")
        needle = (
            b"->" + name[2:].encode("utf-8", "replace")
            if member
            else b"$" + name.encode("utf-8", "replace")
        )
        word = needle[2:] if member else needle[1:]
        sites: list[int] | None
        if word and _WORD_BYTES.issuperset(word):
            sites = self._name_index(member).get(word, [])[:_MAX_MATCHES]
        else:
            sites = _name_sites(self.data, needle, member, _MAX_MATCHES)
        if sites is None:
            pattern = _rx(re.escape(needle) + (rb"\b" if member else rb"(?!\w)"))
            sites = [m.start() for m in pattern.finditer(self.data)][:_MAX_MATCHES]
        for site in sites:
            node = self._node_at(site + (2 if member else 1))
            var = self._climb(
                node,
                ("variable_name", "member_access_expression", "scoped_property_access_expression"),
                2,
            )
            if var is None:
                continue
            if (
                var.type == "variable_name"
                and var.parent is not None
                and var.parent.type == "scoped_property_access_expression"
                and var.parent.child_by_field_name("name") == var
            ):
                var = var.parent  # ``Cls::$name = ...`` (read back by _static_taint)
            target = var
            parent = target.parent
            written_key = (
                _literal_key(parent)
                if parent is not None and parent.type == "subscript_expression"
                else None
            )
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
            kind = parent.type
            if kind == "update_expression":
                # ``$i++``: a counter, never one constant
                self._mutated.add((self.scope_of(parent), name))
                continue
            if kind == "argument":
                bound = _out_argument(parent, target)
                if bound is not None:
                    call, value = bound
                    scope = self.scope_of(call)
                    out.append(
                        _Assign(
                            (scope, name), value, _line(call), False, scope, None,
                            int(call.start_byte), int(call.end_byte),
                        )
                    )  # fmt: skip
                continue
            if kind not in _BINDING_TYPES:
                continue  # a read: no climb to the scope (most sites are reads)
            scope = self.scope_of(parent)
            if kind in _ASSIGN_TYPES and parent.child_by_field_name("left") == target:
                op = parent.children[1].type if parent.child_count > 2 else "="
                right = parent.child_by_field_name("right")
                if op not in ("=", ".=", "??="):
                    self._mutated.add((scope, name))
                    continue  # ``&=``, ``+=`` ...: the result is a number
                out.append(
                    _Assign(
                        (scope, name), right, _line(parent), op == ".=", scope, None,
                        int(parent.start_byte), int(parent.end_byte), written_key,
                    )
                )  # fmt: skip
            elif (
                parent.type == "pair"
                and parent.parent is not None
                and parent.parent.type == "foreach_statement"
            ):
                loop = parent.parent
                out.append(
                    _Assign(
                        (scope, name),
                        None,
                        _line(loop),
                        False,
                        scope,
                        loop.named_children[0],
                        int(loop.start_byte),
                        int(loop.start_byte),
                    )
                )
            elif (
                parent.type == "foreach_statement"
                and parent.named_child_count >= 2
                and parent.named_children[1] == target
            ):
                out.append(
                    _Assign(
                        (scope, name),
                        None,
                        _line(parent),
                        False,
                        scope,
                        parent.named_children[0],
                        int(parent.start_byte),
                        int(parent.start_byte),
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

        lower = self.lower
        for word in _SINK_WORDS:
            for offset in _word_offsets(lower, word):
                add(self._climb(self._node_at(offset), _CALL_TYPES, 3))
        for match in list(_DYNAMIC_CALL.finditer(self.data))[:_MAX_MATCHES]:
            node = self._node_at(match.end() - 1)
            add(self._climb(node, ("function_call_expression",), 2))
        for start in _keyword_sites(lower):
            add(self._climb(self._node_at(start), _CALL_TYPES, 3))
        if _OBJECT_SINK_CLASS.search(lower):  # ``->exec(`` is common: only with such a class
            for match in list(_OBJECT_SINK_CALL.finditer(lower))[:_MAX_MATCHES]:
                add(self._climb(self._node_at(match.start()), _CALL_TYPES, 3))
        return out

    def _user_calls(self, name: str, fn_node: Node = None) -> list[tuple[Node, int]]:
        """Calls of a user function; for a method also ``->name(``/``::name(`` calls, and for
        a constructor ``new Class(...)`` and ``ReflectionClass::newInstance(...)``."""
        method = fn_node is not None and fn_node.type == "method_declaration"
        # matched on the lower-cased text, literal first (see _fast_words): same offsets as
        # ``(?i)`` on the text, without trying every offset
        raw = name.encode("utf-8", "replace").lower()
        word = re.escape(raw)
        if method and name == "__construct":
            cls = self._climb(fn_node, ("class_declaration",), 3)
            cname = cls.child_by_field_name("name") if cls is not None else None
            target = re.escape(cname.text.lower()) if cname is not None else rb"\w+"
            pattern = (
                _fast_words((b"new",), rb"\w") + rb"\s+" + target + rb"\s*\(|->\s*newinstance\s*\("
            )
            types: tuple[str, ...] = ("object_creation_expression", "member_call_expression")
        elif method:
            pattern = rb"(->|::)\s*" + word + rb"\s*\("
            types = ("member_call_expression", "scoped_call_expression",
                     "nullsafe_member_call_expression")  # fmt: skip
        else:
            pattern = _fast_words((raw,), rb"[\w$>]") + rb"\s*\("
            types = ("function_call_expression",)
        constructor = method and name == "__construct"
        sites = None if constructor else _call_sites(self.lower, raw, method, _MAX_MATCHES)
        if sites is None:
            sites = [m.end() - 1 for m in _rx(pattern).finditer(self.lower)][:_MAX_MATCHES]
        out = []
        for site in sites:
            node = self._climb(self._node_at(site), types, 4)
            if node is not None:
                out.append((node, self.scope_of(node)))
        return out

    def variable_taint(self, key: tuple[int, str]) -> tuple[Step, ...] | None:
        return self._memo_taint(key, lambda: self._variable_chain(key))

    def _variable_chain(self, key: tuple[int, str]) -> tuple[Step, ...] | None:
        """How request input reaches variable ``key`` (scope, name): an assignment in its
        scope, a parameter's call sites, or a scope that imports request variables."""
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
            fn = self._function_at(scope)
            if fn is not None and name in fn.params:
                index = fn.params.index(name)
                method = fn.node is not None and fn.node.type == "method_declaration"
                for call, call_scope in self._user_calls(fn.name, fn.node):
                    args = _args(call)
                    found = self.taint(args[index], call_scope) if index < len(args) else None
                    # methods are matched by name only (no types): follow them only when
                    # request input is passed almost directly, as shells do, not through
                    # a router's chain of helpers
                    if found and (not method or len(found) <= _METHOD_ARG_STEPS):
                        step = Step(f"{fn.name}() parameter ${name}", _line(call))
                        chain = (*found, step)[-MAX_STEPS:]
                        break
        if chain is None and not any(a.scope == scope for a in self._assigns(name)):
            imported = self._imported_vars().get(scope)
            if imported and name not in ("this", "GLOBALS"):
                chain = (*imported, Step(f"${name} (created from the request)", imported[-1].line))
        return chain

    def _imported_vars(self) -> dict[int, tuple[Step, ...]]:
        """Scopes where request input becomes variables: ``extract($_GET)``, ``parse_str``
        without a result array, ``$$key = $value`` with request data."""
        if self._importers is not None:
            return self._importers
        self._importers = found = {}
        for start, word in _importer_sites(self.lower, 64):
            node = self._node_at(start + (1 if word is None else 0))
            if word:
                call = self._climb(node, ("function_call_expression",), 3)
                args = _args(call) if call is not None else []
                if not args or (word.endswith(b"parse_str") and len(args) > 1):
                    continue
                scope = self.scope_of(call)
                chain = self.taint(args[0], scope)
                where = call
            else:
                assign = self._climb(node, ("assignment_expression",), 4)
                if assign is None:
                    continue
                scope = self.scope_of(assign)
                if self._fixed_names(assign.child_by_field_name("left"), scope):
                    continue  # ``foreach (array('_GET', ...) as $k) $$k = ...``: fixed names
                chain = self.taint(assign.child_by_field_name("right"), scope)
                where = assign
            if chain and scope not in found:
                found[scope] = (*chain, Step(_short(where), _line(where)))[-MAX_STEPS:]
        return found

    def _fixed_names(self, target: Node | None, scope: int) -> bool:
        """``$$k`` where ``$k`` only takes constant values (a literal, or a loop over a
        constant array): the assignment writes a few known variables, it does not let the
        request create arbitrary ones."""
        if target is None or target.type != "dynamic_variable_name" or not target.named_child_count:
            return False
        name = _var_name(target.named_children[0])
        loop = target.parent
        for _ in range(8):  # the nearest enclosing ``foreach (<constant array> as $name)``
            if loop is None or loop.type in _FUNC_TYPES:
                break
            if (
                loop.type == "foreach_statement"
                and loop.named_child_count >= 2
                and _var_name(loop.named_children[1]) == name
            ):
                return self.array_value(loop.named_children[0], scope) is not None
            loop = loop.parent
        assigns = [a for a in self._assigns(name or "") if a.scope == scope]
        if not name or not assigns:
            return False
        for assign in assigns:
            if assign.value is None and assign.source is not None:
                if self.array_value(assign.source, scope) is None:
                    return False
            elif self.value(assign.value, scope) is None:
                return False
        return True

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
                    out += self.source(child)[1:]
                else:
                    out += self.source(child)
            return bytes(out)
        if kind in ("encapsed_string", "heredoc", "heredoc_body", "nowdoc", "nowdoc_body"):
            out = bytearray()
            for child in node.named_children:
                if child.type in ("heredoc_start", "heredoc_end"):
                    continue
                if child.type in ("string_content", "nowdoc_string"):
                    out += self.source(child)
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
            if op.type == ".":
                return self._concat_value(node, scope, depth)
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
            return self._const_var((scope, name), depth, int(node.start_byte)) if name else None
        if kind == "function_call_expression":
            return self._call_value(node, scope, depth)
        if kind == "member_call_expression":
            return self._doc_comment(node, scope, depth)
        if kind == "member_access_expression":
            return self._property_value(node, depth)
        if kind == "subscript_expression" and node.named_child_count == 2:
            return self._subscript_value(node, scope, depth)
        if kind == "name":
            return self._define_value(node.text, depth)
        if kind in ("error_suppression_expression", "cast_expression") and node.named_child_count:
            return self.value(node.named_children[-1], scope, depth + 1)
        return None

    def _concat_value(self, node: Node, scope: int, depth: int) -> bytes | None:
        """``'a' . 'b' . ... . 'z'``: a left-deep chain walked iteratively, so a blob split
        into thousands of concatenated pieces folds without deep recursion."""
        parts: list[Node] = []
        cur = node
        while cur.type == "binary_expression" and len(parts) < _MAX_CONCAT:
            op = cur.child_by_field_name("operator")
            left, right = cur.child_by_field_name("left"), cur.child_by_field_name("right")
            if op is None or op.type != "." or left is None or right is None:
                break
            parts.append(right)
            cur = left
        parts.append(cur)
        out = bytearray()
        for part in reversed(parts):
            value = self.value(part, scope, depth + 1)
            if value is None:
                return None
            out += value
            if len(out) > MAX_VALUE_BYTES:
                return bytes(out[:MAX_VALUE_BYTES])
        return bytes(out)

    def _doc_comment(self, node: Node, scope: int, depth: int) -> bytes | None:
        """``(new ReflectionClass('C'))->getDocComment()`` (or ``ReflectionFunction``): the
        ``/** ... */`` comment written above that class or function in this file. Shells
        hide their payload there; the file's own text is all it takes to read it."""
        method = node.child_by_field_name("name")
        obj = node.child_by_field_name("object")
        if method is None or obj is None or method.text.lower() != b"getdoccomment":
            return None
        while obj.type == "parenthesized_expression" and obj.named_child_count:
            obj = obj.named_children[-1]
        creations = [obj] if obj.type == "object_creation_expression" else []
        if (var := _var_name(obj)) is not None:
            creations += [a.value for a in self._assigns(var) if a.scope == scope and a.value]
        for new in creations:
            if new.type != "object_creation_expression" or not new.named_child_count:
                continue
            cls = new.named_children[0].text.lower().lstrip(b"\\")
            args = _args(new)
            target = self.value(args[0], scope, depth + 1) if args else None
            if cls not in (b"reflectionclass", b"reflectionfunction") or not target:
                continue
            keyword = rb"class" if cls == b"reflectionclass" else rb"function"
            found = re.search(
                rb"(?i)\b" + keyword + rb"\s+" + re.escape(target.strip().lstrip(b"\\")) + rb"\b",
                self.data,
            )
            if found is None:
                continue
            decl = self._climb(
                self._node_at(found.start()), ("class_declaration", "function_definition"), 3
            )
            comment = decl.prev_named_sibling if decl is not None else None
            if comment is not None and comment.type == "comment":
                text = self.source(comment)
                if text.startswith(b"/**"):
                    return text
        return None

    def _property_value(self, node: Node, depth: int) -> bytes | None:
        """``$this->p`` when the file assigns ``->p`` exactly once, a constant (a packer's
        class keeps its payload and its decoded form in properties)."""
        prop = node.child_by_field_name("name")
        if prop is None or prop.type != "name":
            return None
        key = "->" + prop.text.decode("utf-8", "replace")
        assigns = self._assigns(key)
        if len(assigns) != 1 or assigns[0].append or assigns[0].value is None:
            return None
        return self.value(assigns[0].value, assigns[0].scope, depth + 1)

    def _subscript_value(self, node: Node, scope: int, depth: int) -> bytes | None:
        base, index = node.named_children
        key = self.value(index, scope, depth + 1)
        if key is None:
            return None
        if _var_name(base) == "GLOBALS":
            value = self._const_var((0, key.decode("latin-1")), depth + 1)
            if value is not None or not self._assigns("GLOBALS"):
                return value
            # ``$GLOBALS = array('c' => ..., 'e' => ...)``: a name table, not the globals
        items = self.array_value(base, scope, depth + 1)
        if items is not None:
            want = _array_key(key)
            return next((v for k, v in items if k == want), None)
        text = self.value(base, scope, depth + 1)
        if text is None or not key.lstrip(b"-").isdigit():
            return None
        i = int(key)
        return text[i : i + 1 or None] if -len(text) <= i < len(text) else None

    def _define_value(self, name: bytes, depth: int) -> bytes | None:
        """A constant from ``define('NAME', <constant>)`` somewhere in the file."""
        pattern = _rx(rb"(?i)\bdefine\s*\(\s*['\"]" + re.escape(name) + rb"['\"]\s*,")
        match = pattern.search(self.data)
        if match is None:
            return None
        call = self._climb(self._node_at(match.start()), ("function_call_expression",), 3)
        args = _args(call) if call is not None else []
        return self.value(args[1], 0, depth + 1) if len(args) >= 2 else None

    def array_value(
        self, node: Node | None, scope: int, depth: int = 0
    ) -> list[tuple[bytes, bytes]] | None:
        """The constant array (key/value pairs in order) an expression evaluates to, or None."""
        if node is None or depth > _MAX_DEPTH or not self.budget.spend_nodes():
            return None
        kind = node.type
        if kind in ("parenthesized_expression", "argument", "error_suppression_expression"):
            return (
                self.array_value(node.named_children[-1], scope, depth + 1)
                if (node.named_child_count)
                else None
            )
        if kind == "array_creation_expression":
            out: list[tuple[bytes, bytes]] = []
            auto = 0
            for element in node.named_children[:_MAX_ARRAY]:
                if element.type == "comment":
                    continue
                kids = [c for c in element.named_children if c.type != "comment"]
                if element.type != "array_element_initializer" or not kids:
                    return None
                v = self.value(kids[-1], scope, depth + 1)
                if v is None:
                    return None
                if len(kids) == 2:
                    k = self.value(kids[0], scope, depth + 1)
                    if k is None:
                        return None
                    key = _array_key(k)
                else:
                    key = str(auto).encode()
                if key.lstrip(b"-").isdigit():
                    auto = max(auto, int(key) + 1)
                out = [(a, b) for a, b in out if a != key]
                out.append((key, v))
            return out
        if kind == "variable_name":
            name = _var_name(node)
            assigns = [a for a in self._assigns(name or "") if a.scope == scope]
            before = [a for a in assigns if a.end <= node.start_byte] or assigns
            if not before or before[-1].value is None or before[-1].append:
                return None
            if any(
                a.value is not None
                and a.value.type == "array_creation_expression"
                and a is not before[-1]
                for a in assigns
            ):
                return None  # rebuilt in place: not one constant
            return self.array_value(before[-1].value, scope, depth + 1)
        if kind == "function_call_expression":
            return self._call_array(node, scope, depth)
        return None

    def _call_array(self, node: Node, scope: int, depth: int) -> list[tuple[bytes, bytes]] | None:
        name = self.callee_name(node, scope)
        args = _args(node)
        if not args or name is None:
            return None
        if name == "explode" and len(args) >= 2:
            sep = self.value(args[0], scope, depth + 1)
            text = self.value(args[1], scope, depth + 1)
            if not sep or text is None:
                return None
            return _listed(text.split(sep)[:_MAX_ARRAY])
        if name == "str_split":
            text = self.value(args[0], scope, depth + 1)
            size = self.value(args[1], scope, depth + 1) if len(args) > 1 else b"1"
            if text is None or size is None or not size.isdigit() or int(size) < 1:
                return None
            n = int(size)
            return _listed([text[i : i + n] for i in range(0, min(len(text), _MAX_ARRAY * n), n)])
        lists = [self.array_value(a, scope, depth + 1) for a in args[:4]]
        if any(x is None for x in lists):
            return None
        first = lists[0]
        assert first is not None
        if name == "array_values":
            return _listed([v for _, v in first])
        if name == "array_keys":
            return _listed([k for k, _ in first])
        if name == "array_reverse":
            return _listed([v for _, v in reversed(first)])
        if name == "array_flip":
            return [(_array_key(v), k) for k, v in first]
        if name == "array_diff":
            drop = {v for other in lists[1:] for _, v in other or ()}
            return [(k, v) for k, v in first if v not in drop]
        if name == "array_merge":
            return _listed([v for items in lists for _, v in items or ()])
        return None

    def _const_var(self, key: tuple[int, str], depth: int, at: int | None = None) -> bytes | None:
        """The constant value of ``$name`` where it is read (byte offset ``at``).

        The assignments to the variable in its scope are taken in source order, the last one
        that ended before ``at`` gives the value (``.=`` appends to the one before), so
        ``$a = 'x'; $a = $a . 'y'; $a($_GET[1])`` folds as PHP runs it. With no assignment
        before ``at`` (a function defined above its use, a loop), all assignments are folded
        in order as before. Control flow is ignored: a value computed in a loop is not
        constant anyway because the loop variable is not.
        """
        assigns = [a for a in self._assigns(key[1]) if a.scope == key[0]]
        if not assigns or len(assigns) > 64 or key in self._mutated:
            return None
        end = len(assigns) - 1
        if at is not None:
            before = [i for i, a in enumerate(assigns) if a.end <= at]
            if before:
                end = before[-1]
            elif any(a.start <= at < a.end for a in assigns):
                return b""  # ``$x = $x . '...'`` before any value: PHP reads null as ''
        return self._const_upto(key, assigns, end, depth)

    def _const_upto(
        self, key: tuple[int, str], assigns: list[_Assign], end: int, depth: int
    ) -> bytes | None:
        cache = self.state.consts_at
        ck = (key[0], key[1], end)
        if ck in cache:
            return cache[ck]
        cache[ck] = None  # breaks cycles
        first = end
        while first > 0 and assigns[first].append:
            first -= 1
        acc = b""
        value: bytes | None = None
        for assign in assigns[first : end + 1]:
            part = self.value(assign.value, assign.scope, depth + 1)
            if part is None or assign.value is None:
                value = None
                break
            acc = (acc + part) if assign.append else part
            value = acc = acc[:MAX_VALUE_BYTES]
        cache[ck] = value
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
        elif name in ("implode", "join") and 1 <= len(args) <= 2:
            glue = vals[0] if len(args) == 2 else b""
            pairs = self.array_value(args[-1], scope, depth + 1)
            if pairs is None and len(args) == 2:
                pairs, glue = self.array_value(args[0], scope, depth + 1), vals[1]
            if glue is not None and pairs is not None:
                result = glue.join(v for _, v in pairs)
        elif name == "sprintf" and vals and vals[0] is not None:
            rest = [self.value(a, scope, depth + 1) for a in args[1:16]]
            result = _sprintf(vals[0], rest)
        elif name == "strtr" and len(args) == 3 and None not in vals:
            a, b, c = vals
            assert a is not None and b is not None and c is not None
            n = min(len(b), len(c))
            result = a.translate(bytes.maketrans(b[:n], c[:n])) if n else a
        elif name == "strtr" and len(args) == 2 and vals[0] is not None:
            pairs = self.array_value(args[1], scope, depth + 1)
            if pairs is not None:
                result = _strtr_pairs(vals[0], pairs)
        elif name in ("str_replace", "str_ireplace") and len(args) == 3 and vals[2] is not None:
            result = self._replace(name, args, vals[2], scope, depth)
        elif name in ("pack",) and vals and vals[0] in (b"c*", b"C*"):
            codes = [self.value(a, scope, depth + 1) for a in args[1:4096]]
            try:
                result = bytes(int(c, 0) % 256 for c in codes if c is not None)
            except ValueError:
                return None
            if len(result) != len(codes):
                return None
        elif name == "ord" and vals and vals[0]:
            result = str(vals[0][0]).encode()
        elif name in self._functions() and len(args) <= 8:
            result = self._interpret(name, args, scope, depth, node)
        elif name == "substr" and len(vals) >= 2 and vals[0] is not None and vals[1]:
            try:
                start = int(vals[1])
                length = int(vals[2]) if len(vals) > 2 and vals[2] else None
            except ValueError:
                return None
            s = vals[0][start:] if start >= -len(vals[0]) else vals[0]
            result = s[:length] if length is not None else s
        elif name == "str_repeat" and len(vals) == 2 and vals[0] is not None and vals[1]:
            try:
                result = vals[0] * min(int(vals[1]), MAX_VALUE_BYTES // max(1, len(vals[0])))
            except ValueError:
                return None
        elif name in _PURE_SCALAR and args and len(args) <= 3 and None not in vals:
            result = self._builtin(name, [v for v in vals if v is not None])
        if result is None:
            return None
        result = result[:MAX_VALUE_BYTES]
        if not self.budget.spend_bytes(len(result)):
            return None
        if name in deob.UNARY and name not in ("strtolower", "strtoupper", "trim"):
            self._maybe_layer(result, node, (name,), executed=False)
        return result

    @staticmethod
    def _builtin(name: str, values: list[bytes]) -> bytes | None:
        """A pure built-in of the interpreter on folded scalar arguments (``strpos`` ...)."""
        from sscguard.detect.webshell.phpinterp import BUILTINS, NotConstantError, to_bytes

        try:
            out = BUILTINS[name](list(values))
        except (NotConstantError, ValueError, OverflowError, IndexError, TypeError):
            return None
        if out is False or out is None or isinstance(out, dict):
            return None
        return to_bytes(out)

    def _replace(
        self, name: str, args: list[Node], subject: bytes, scope: int, depth: int
    ) -> bytes | None:
        """``str_replace``/``str_ireplace`` with string or array search and replacement."""
        search = self.value(args[0], scope, depth + 1)
        repl = self.value(args[1], scope, depth + 1)
        searches = [search] if search is not None else None
        if searches is None and (pairs := self.array_value(args[0], scope, depth + 1)):
            searches = [v for _, v in pairs]
        if searches is None:
            return None
        if repl is not None:
            repls = [repl] * len(searches)
        elif (rpairs := self.array_value(args[1], scope, depth + 1)) is not None:
            repls = [v for _, v in rpairs] + [b""] * len(searches)
        else:
            return None
        out = subject
        for needle, new in zip(searches, repls, strict=False):
            if not needle:
                continue
            if name == "str_ireplace":
                out = re.sub(re.escape(needle), new.replace(b"\\", b"\\\\"), out, flags=re.I)
            else:
                out = out.replace(needle, new)
            if len(out) > MAX_VALUE_BYTES:
                return None
        return out

    def _toplevel_value(self, node: Node, scope: int) -> bytes | None:
        """``eval($d)`` at the top level where ``$d`` is built by top-level code the folder
        cannot follow (loops): replay that code in the interpreter (see ``run_toplevel``)."""
        while node.type in ("parenthesized_expression", "argument") and node.named_child_count:
            node = node.named_children[-1]
        name = _var_name(node)
        if scope != 0 or not name or self.budget.exhausted:
            return None
        key = (-1, name, int(node.start_byte))
        if key not in self.state.consts_at:
            from sscguard.detect.webshell.phpinterp import run_toplevel

            self.state.consts_at[key] = None
            self.state.consts_at[key] = run_toplevel(self, int(node.start_byte), name)
        return self.state.consts_at[key]

    def _interpret(
        self, name: str, args: list[Node], scope: int, depth: int, node: Node
    ) -> bytes | None:
        """Run a pure user function of this file on constant arguments (see ``phpinterp``)."""
        if depth > _MAX_DEPTH // 2 or self.budget.exhausted:
            return None
        from sscguard.detect.webshell.phpinterp import run_function

        key = int(node.id)
        if key not in self._interp_cache:
            self._interp_cache[key] = None
            self._interp_cache[key] = run_function(self, name, args, scope)
        return self._interp_cache[key]

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
        ):
            return
        code_like = deob.looks_like_code(decoded)  # asked twice below: one scan
        if not (executed or code_like):
            return
        self._decoded_seen.add(decoded)
        if deob.mostly_binary(decoded):
            # an encrypted or wrongly decoded blob is not PHP, and parsing random bytes is
            # tree-sitter's slowest case (error recovery, up to ~90 ms for 60 KB)
            inner = Analysis("php")
        else:
            code = decoded if b"<?" in decoded[:64] else b"<?php " + decoded
            inner = analyse_php(code, self.budget, self.layer + 1)
        if not (code_like or inner.sinks or inner.paths or inner.dynamic_calls or inner.layers):
            return  # ``eval('return 0b0;')``: evaluated code that can do nothing
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
            if name in STORED:
                return (Step(f"${name} (data stored by an earlier request)", _line(node)),)
            if not name:
                return None
            return self.variable_taint((scope, name)) or (
                self.variable_taint((0, name)) if scope else None
            )
        if kind == "dynamic_variable_name":
            inner = node.named_children[0] if node.named_child_count else None
            value = self.value(inner, scope) if inner is not None else None
            if value is None:
                return self._dynamic_taint(node, scope) or self.taint(inner, scope, depth + 1)
            name = value.decode("latin-1")
            if name in SUPERGLOBALS:
                return (Step(f"${{{_short(inner, 30)}}} = ${name}", _line(node)),)
            return self.variable_taint((scope, name))
        if kind == "subscript_expression" and node.named_child_count:
            base = node.named_children[0]
            name = _var_name(base)
            if name == "GLOBALS" and node.named_child_count > 1:
                key = self.value(node.named_children[1], scope)
                label = key.decode("latin-1") if key else ""
                if label in SUPERGLOBALS and label != "_SERVER":
                    return (Step(_short(node), _line(node)),)
                return self.variable_taint((0, label)) if label else None
            if name == "_SERVER":
                key = (
                    self.value(node.named_children[1], scope)
                    if node.named_child_count > 1
                    else None
                )
                if key is None or not _SERVER_TAINTED.match(key.decode("latin-1")):
                    return None  # environment lookups by computed name are not request input
                return (Step(_short(node), _line(node)),)
            if node.named_child_count > 1 and self._defined_vars(base, scope):
                key = self.value(node.named_children[1], scope)
                label = key.decode("latin-1") if key else ""
                if label in SUPERGLOBALS and label != "_SERVER":
                    return (Step(_short(node), _line(node)),)
            if (
                name
                and base.type == "variable_name"
                and name not in SUPERGLOBALS
                and name not in STORED
                and name != "GLOBALS"
                and (read_key := _literal_key(node)) is not None
            ):
                return self._keyed_taint(scope, name, read_key, depth)
            chain = self.taint(base, scope, depth + 1)
            if chain and len(chain) == 1 and name in SUPERGLOBALS:
                return (Step(_short(node), _line(node)),)
            return chain
        if kind == "scoped_property_access_expression":
            prop = node.child_by_field_name("name")
            name = _var_name(prop) if prop is not None else None
            if name:  # ``Cls::$prop``: a class-wide variable, set anywhere in the file
                return self._static_taint(name, depth)
        if kind == "name" and self._defines():
            return self._constant_taint(node.text.decode("latin-1"), depth)
        if kind in ("member_access_expression", "scoped_property_access_expression"):
            prop = node.child_by_field_name("name")
            chain = (
                self.variable_taint((0, "->" + prop.text.decode("utf-8", "replace")))
                if prop is not None
                else None
            )
            return chain or self._cast_object_taint(node.child_by_field_name("object"), scope)
        if kind in _ASSIGN_TYPES:
            return self.taint(node.child_by_field_name("right"), scope, depth + 1)
        if kind == "cast_expression" and _scalar_cast(node):
            return None  # ``(int) $_GET['w']`` is a number whatever was sent
        if kind in _CALL_TYPES:
            return self._call_taint(node, scope, depth)
        if kind in _PASS_TYPES:
            for child in node.named_children:
                chain = self.taint(child, scope, depth + 1)
                if chain:
                    return chain
        return None

    def _memo_taint(
        self, key: tuple[int, str], find: Callable[[], tuple[Step, ...] | None]
    ) -> tuple[Step, ...] | None:
        """``find()`` once per key; None while it is being computed (a cycle such as
        ``self::$x = f(self::$x)`` or ``define('A', A . 'x')``)."""
        st = self.state
        if key in st.tainted:
            return st.tainted[key]
        if key in self._in_progress:
            return None
        self._in_progress.add(key)
        chain = find()
        self._in_progress.discard(key)
        st.tainted[key] = chain
        return chain

    def _keyed_taint(
        self, scope: int, name: str, key: bytes, depth: int
    ) -> tuple[Step, ...] | None:
        """``$name['key']``: as ``$name``, except that writes of another literal key do not
        reach it (``$cfg['GET'] = &$_GET[...]`` does not taint ``$cfg['charset']``). Where the
        variable is a parameter or only assigned elsewhere, it is ``$name`` as a whole."""
        here = self.variable_taint((scope, name))
        whole = here or (self.variable_taint((0, name)) if scope else None)
        if whole is None:
            return None  # no key of an untainted array is tainted (the common case: cheap)
        fn = self._function_at(scope) if scope else None
        if fn is not None and name in fn.params:
            return whole

        def find() -> tuple[Step, ...] | None:
            for where in (scope, 0) if scope else (0,):
                own = [a for a in self._assigns(name) if a.scope == where]
                if not own:
                    if where == scope and here is not None:
                        return here  # created from the request in this scope (extract ...)
                    continue
                for assign in own:
                    if assign.written is not None and assign.written != key:
                        continue
                    source = assign.value if assign.value is not None else assign.source
                    found = self.taint(source, where, depth + 1)
                    if found:
                        label = f"${name}[{key.decode('latin-1')!r}]"
                        return (*found, Step(label, assign.line))[-MAX_STEPS:]
                return None
            return whole

        return self._memo_taint((scope, f"{name}[{key.decode('latin-1')}]"), find)

    def _static_taint(self, name: str, depth: int) -> tuple[Step, ...] | None:
        """``Cls::$name``: request input any ``Cls::$name = ...`` in the file assigns."""

        def find() -> tuple[Step, ...] | None:
            pattern = _rx(rb"[\\\w]+\s*::\s*\$" + re.escape(name.encode("utf-8")) + rb"(?!\w)")
            for assign in self._assigns(name):
                if assign.value is None or not pattern.match(self.data, assign.start):
                    continue
                found = self.taint(assign.value, assign.scope, depth + 1)
                if found:
                    return (*found, Step(f"::${name}", assign.line))[-MAX_STEPS:]
            return None

        return self._memo_taint((0, "::" + name), find)

    def _defines(self) -> dict[str, list[int]]:
        """Where each constant is ``define()``-d (at most 8 sites per name), found once."""
        if self._define_sites is None:
            self._define_sites = {}
            for match in _DEFINE.finditer(self.lower):  # the name as written, not lowered
                name = self.data[match.start(1) : match.end(1)].decode("latin-1")
                sites = self._define_sites.setdefault(name, [])
                if len(sites) < 8:
                    sites.append(match.start())
        return self._define_sites

    def _constant_taint(self, name: str, depth: int) -> tuple[Step, ...] | None:
        """A constant ``define()``-d from request input (``define('C', $_POST['c'])``)."""
        if not name.isidentifier() or name.lower() in ("true", "false", "null"):
            return None

        sites = self._defines().get(name)
        if not sites:
            return None

        def find() -> tuple[Step, ...] | None:
            for at in sites:
                call = self._climb(self._node_at(at), ("function_call_expression",), 3)
                args = _args(call) if call is not None else []
                if len(args) < 2:
                    continue
                found = self.taint(args[1], self.scope_of(call), depth + 1)
                if found:
                    return (*found, Step(f"define('{name}')", _line(call)))[-MAX_STEPS:]
            return None

        return self._memo_taint((0, "define:" + name), find)

    def _defined_vars(self, node: Node, scope: int) -> bool:
        """``get_defined_vars()``, or a variable holding it: at the top level it holds the
        superglobals under their names (``get_defined_vars()['_POST']``)."""
        if node.type == "function_call_expression":
            return self.callee_name(node, scope) == "get_defined_vars"
        name = _var_name(node)
        return bool(name) and any(
            a.scope == scope
            and a.value is not None
            and a.value.type == "function_call_expression"
            and self.callee_name(a.value, scope) == "get_defined_vars"
            for a in self._assigns(name or "")
        )

    def _cast_object_taint(self, obj: Node | None, scope: int) -> tuple[Step, ...] | None:
        """``$o->f`` where ``$o = (object) [... request input ...]``: the cast makes the
        array's entries properties. Only a cast: an object a constructor built from request
        input (a framework's request object) may well expose fixed properties."""
        name = _var_name(obj) if obj is not None else None
        if not name:
            return None
        for assign in self._assigns(name):
            value = assign.value
            if assign.scope != scope or value is None or value.type != "cast_expression":
                continue
            cast = value.child_by_field_name("type")
            if cast is not None and cast.text.strip().lower() == b"object":
                chain = self.taint(value, scope)
                if chain:
                    return (*chain, Step(f"(object) ${name}", assign.line))[-MAX_STEPS:]
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
        if name in SOCKET_READERS and args and self._is_socket(args[0], scope):
            return (Step(f"network input: {_short(node)}", _line(node)),)
        if name in _WHOLE_ARRAY and args and _var_name(args[0]) == "_SERVER":
            return (Step(_short(node), _line(node)),)
        if name in SANITIZERS:
            return None
        if name in ("preg_replace", "preg_filter") and len(args) >= 3:
            pattern = self.value(args[0], scope)
            if pattern is not None and _WHITELIST_CLASS.match(pattern):
                return None  # strips everything outside a fixed character class
        if name is not None and (ret := self._return_taint(name, node)):
            return ret
        for arg in args:
            chain = self.taint(arg, scope, depth + 1)
            if chain:
                return (*chain, Step(_short(node), _line(node)))[-MAX_STEPS:]
        return None

    def _return_taint(self, name: str, call: Node) -> tuple[Step, ...] | None:
        """Request input a user function returns whatever its arguments are."""
        fn = self._functions().get(name)
        if fn is None or fn.node is None:
            return None
        key = (fn.scope, "<return>")
        if key in self.state.tainted:
            return self.state.tainted[key]
        self.state.tainted[key] = None
        chain = None
        body = fn.node.child_by_field_name("body")
        for match in list(re.finditer(rb"\breturn\b", body.text if body else b""))[:16]:
            node = self._climb(self._node_at(body.start_byte + match.start()),
                               ("return_statement",), 2)  # fmt: skip
            if node is not None and node.named_child_count:
                found = self.taint(node.named_children[0], fn.scope)
                if found and not any("() parameter $" in st.label for st in found):
                    chain = (*found, Step(f"returned by {fn.name}()", _line(node)))[-MAX_STEPS:]
                    break
        self.state.tainted[key] = chain
        return chain

    def _dynamic_taint(self, node: Node, scope: int) -> tuple[Step, ...] | None:
        """``$$name`` where ``$name`` loops over literal superglobal names
        (``foreach (array('_POST') as $n) ... $$n``)."""
        inner = node.named_children[0] if node.named_child_count else None
        name = _var_name(inner) if inner is not None else None
        if not name:
            return None
        for assign in self._assigns(name):
            if assign.scope != scope or assign.value is not None or assign.source is None:
                continue
            for _, item in self.array_value(assign.source, scope) or ():
                label = item.decode("latin-1")
                if label in SUPERGLOBALS and label != "_SERVER":
                    return (Step(f"${{${name}}} = ${label}", _line(node)),)
        return None

    def _is_socket(self, node: Node, scope: int) -> bool:
        """``node`` is a variable holding a network connection (fsockopen, socket_create ...)."""
        name = _var_name(node)
        if not name:
            return False
        for assign in self._assigns(name):
            if assign.scope != scope or assign.value is None:
                continue
            value = assign.value
            if value.type == "error_suppression_expression" and value.named_child_count:
                value = value.named_children[-1]
            if (
                value.type == "function_call_expression"
                and self.callee_name(value, scope) in SOCKET_OPENERS
            ):
                return True
        return False

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
        if (
            chain
            and "(data stored by an earlier request)" in chain[0].label
            and (kind is SinkKind.FILE_WRITE or sink.startswith(("include", "require")))
        ):
            return  # a session value picking a language file or upload name is application code
        if chain and chain[0].label.startswith("network input") and kind is not SinkKind.FILE_WRITE:
            kind, sink = SinkKind.SOCKET, f"{sink} fed from a network connection"
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
            path = self.value(target, scope)
            if path and (written := self._written.get(path.strip().lstrip(b"./"))):
                label = kind.split("_expression")[0]
                self._report(SinkKind.CODE, f"{label} of a file written from the request",
                             written, node)  # fmt: skip
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
        if kind == "member_call_expression":
            self._check_invoke(node, scope, args)
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
            if name is None and scope == 0 and args:
                name = self._toplevel_callee(fn, args, scope)
        if name is None:
            return
        if name in CODE_SINKS or name in COMMAND_SINKS:
            self.sinks.append(name)
            sink_kind = SinkKind.CODE if name in CODE_SINKS else SinkKind.COMMAND
            if name in CODE_SINKS and args:
                code_arg = args[-1] if name == "create_function" else args[0]
                decoded = self.value(code_arg, scope) or self._toplevel_value(code_arg, scope)
                if decoded:
                    self._maybe_layer(decoded, node, (name,), executed=True)
            # the command itself, not output or option arguments (``exec($cmd, $out)``)
            checked = args if name in CODE_SINKS or name == "pcntl_exec" else args[:1]
            for arg in checked:
                chain = self.taint(arg, scope)
                if chain:
                    label = name if not dynamic else f"{name} (called as {_short(fn, 30)})"
                    self._report(sink_kind, label, chain, node)
                    return
            return
        if name == "dl" and args and (chain := self.taint(args[0], scope)):
            self.sinks.append(name)
            self._report(SinkKind.CODE, "dl (loads a request-named PHP extension)", chain, node)
            return
        if name in _MAILERS and len(args) >= 5 and self._whole_request(args[4], scope):
            # a contact form's ``"-f" . $from`` is not taken whole; a shell passes it through
            self.sinks.append(name)
            if chain := self.taint(args[4], scope):
                self._report(SinkKind.COMMAND, f"{name} with request-chosen sendmail options",
                             chain, node)  # fmt: skip
            return
        if name in _TAG_CALLBACKS and len(args) > _TAG_CALLBACKS[name]:
            self.sinks.append(name)
            if chain := self.taint(args[0], scope):
                self._report(SinkKind.CODE, f"{name} with tag callbacks", chain, node)
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
                code = self.value(args[1], scope)
                if code:
                    self._maybe_layer(code, node, (f"{name}/e",), executed=True)
            elif (
                pattern is None
                and not self._fixed_delimiters(args[0], scope)
                and (chain := self.taint(args[0], scope))
            ):
                self._report(SinkKind.CODE, f"{name} with a request-chosen pattern", chain, node)
            return
        if name in CALLBACKS and args:
            index = CALLBACKS[name]
            callable_arg = args[index] if -len(args) <= index < len(args) else None
            if callable_arg is None:
                return
            chain = (
                None if self._fixed_prefix(callable_arg, scope) else self.taint(callable_arg, scope)
            )
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
        if (name in FILE_WRITERS or name in STREAM_WRITERS) and len(args) >= 2:
            self._check_write(name, node, scope, args)

    def _toplevel_callee(self, fn: Node, args: list[Node], scope: int) -> str | None:
        """``$f($_POST[1])`` where top-level code builds ``$f`` in a way the folder cannot
        follow (a loop over reflected class constants ...): replayed by the interpreter,
        only when request input is passed, so only such calls pay for it."""
        if fn.type != "variable_name" or not any(self.taint(a, scope) for a in args):
            return None
        value = self._toplevel_value(fn, scope)
        if not value or len(value) >= 64:
            return None
        return value.decode("latin-1").strip().lstrip("\\").lower()

    def _fixed_prefix(self, node: Node, scope: int) -> bool:
        """``'update_' . $x``: the request picks only among functions with a fixed prefix."""
        while node.type in ("parenthesized_expression", "argument") and node.named_child_count:
            node = node.named_children[-1]
        if node.type == "encapsed_string" and node.named_child_count:
            first = node.named_children[0]
            return first.type == "string_content" and bool(first.text.strip())
        left = node.child_by_field_name("left") if node.type == "binary_expression" else None
        op = node.child_by_field_name("operator") if left is not None else None
        if left is None or op is None or op.type != ".":
            return False
        while left.type == "binary_expression" and left.child_by_field_name("left") is not None:
            left = left.child_by_field_name("left")
        prefix = self.value(left, scope)
        return bool(prefix and prefix.strip())

    def _fixed_delimiters(self, node: Node, scope: int) -> bool:
        """A regex built as ``'~^' . $x . '$~i'``: the file fixes the delimiters and the
        modifiers (no ``e``), so the request only supplies part of the pattern (a search
        term), it cannot turn the replacement into code."""
        head = self._const_edge(node, scope, first=True)
        tail = self._const_edge(node, scope, first=False)
        if not head or not tail or head[:1].isalnum() or head[:1] in b"\\ \t\r\n":
            return False
        close = {b"(": b")", b"{": b"}", b"[": b"]", b"<": b">"}.get(head[:1], head[:1])
        flags = re.search(re.escape(close) + rb"([a-zA-Z]*)$", tail)
        return flags is not None and b"e" not in flags.group(1)

    def _const_edge(self, node: Node, scope: int, first: bool, depth: int = 0) -> bytes | None:
        """The constant text a string expression always starts (``first``) or ends with."""
        while node.type in ("parenthesized_expression", "argument") and node.named_child_count:
            node = node.named_children[-1]
        if depth > 64:
            return None
        if node.type == "encapsed_string" and node.named_child_count:
            edge = node.named_children[0 if first else -1]
            return self.source(edge) if edge.type == "string_content" else None
        if node.type == "binary_expression":
            op = node.child_by_field_name("operator")
            if op is None or op.type != ".":
                return None
            side = node.child_by_field_name("left" if first else "right")
            return self._const_edge(side, scope, first, depth + 1) if side is not None else None
        return self.value(node, scope)

    def _check_write(self, name: str, node: Node, scope: int, args: list[Node]) -> None:
        """A request-named file written with request data; a constant web shell dropped to
        disk (its code is analysed as a layer); request data written to a fixed file (kept
        for an ``include`` of the same file)."""
        if name in STREAM_WRITERS:
            shell = self._shell_stdin(args[0], scope)
            if shell is not None and (chain := self.taint(args[1], scope)):
                self.sinks.append("proc_open")
                self._report(SinkKind.COMMAND, f"standard input of {shell}", chain, node)
                return
            path_node = self._opened_path(args[0], scope)
            data_node = args[1]
            if (
                path_node is not None
                and (data_chain := self.taint(data_node, scope))
                and self.taint(path_node, scope)
            ):
                self.sinks.append(name)
                self._report(SinkKind.FILE_WRITE, f"{name} to a request-named file",
                             data_chain, node)  # fmt: skip
                if not _FIXED_EXTENSION.search(path_node.text) and not _TYPE_CHECK.search(
                    self.data
                ):
                    self.paths[-1] = dataclasses.replace(self.paths[-1], unchecked=True)
                return
        else:
            path_i, data_i = FILE_WRITERS[name]
            path_node, data_node = args[path_i], args[data_i]
        if name in FILE_WRITERS:
            path_chain = self.taint(path_node, scope)
            data_chain = self.taint(data_node, scope)
            if path_chain and data_chain:
                self.sinks.append(name)
                self._report(SinkKind.FILE_WRITE, name, data_chain, node)
                if (
                    path_node is not None
                    and not _FIXED_EXTENSION.search(path_node.text)
                    and not _TYPE_CHECK.search(self.data)
                ):
                    self.paths[-1] = dataclasses.replace(self.paths[-1], unchecked=True)
                return
        else:
            data_chain = self.taint(data_node, scope)
        if data_chain and path_node is not None and name != "move_uploaded_file":
            target = self._const_edge(path_node, scope, first=False)
            if (
                target
                and _SCRIPT_FILE.search(target.strip())
                and (name == "copy" or self._whole_request(data_node, scope))
            ):
                self.sinks.append(name)
                what = "copied" if name == "copy" else "written"
                step = Step(f"{what} to {target.strip()[-60:].decode('latin-1')}", _line(node))
                self._report(SinkKind.FILE_WRITE, f"{name} of request content into a script",
                             (*data_chain, step)[-MAX_STEPS:], node)  # fmt: skip
                self.paths[-1] = dataclasses.replace(self.paths[-1], to_script=True)
        if name == "move_uploaded_file" or name == "copy":
            return
        if data_chain and path_node is not None:
            path = self.value(path_node, scope)
            if path:
                step = Step(f"written to {path[:60].decode('latin-1')} by {name}", _line(node))
                self._written.setdefault(path.strip().lstrip(b"./"), (*data_chain, step))
            return
        data = self.value(data_node, scope)
        if data and deob.looks_like_code(data):
            self._maybe_layer(data, node, (f"{name} (code written to a file)",), executed=False)

    def _whole_request(self, node: Node, scope: int, depth: int = 0) -> bool:
        """The whole value is request input, at most decoded (``$_POST['d']``,
        ``base64_decode($x)`` of it): not a template with request values filled in (an
        installer writing ``config.php``)."""
        while node.type in ("parenthesized_expression", "argument") and node.named_child_count:
            node = node.named_children[-1]
        if depth > 8:
            return False
        if node.type == "subscript_expression" or node.type == "variable_name":
            base = node
            while base.type == "subscript_expression" and base.named_child_count:
                base = base.named_children[0]
            name = _var_name(base)
            if name in SUPERGLOBALS:
                return True
            if base is not node or not name:
                return False
            values = [a.value for a in self._assigns(name) if a.scope == scope and a.value]
            return any(self._whole_request(v, scope, depth + 1) for v in values)
        if node.type in _ASSIGN_TYPES:
            right = node.child_by_field_name("right")
            return right is not None and self._whole_request(right, scope, depth + 1)
        if node.type == "function_call_expression":
            name = self.callee_name(node, scope)
            args = _args(node)
            if name in SOURCE_FUNCS or (name in INPUT_READERS and self.taint(node, scope)):
                return True
            return bool(
                name in _DECODING and args and self._whole_request(args[0], scope, depth + 1)
            )
        return False

    def _shell_stdin(self, handle: Node, scope: int) -> str | None:
        """``$pipes[0]`` where ``$pipes`` came from ``proc_open(<a shell>, $spec, $pipes)``:
        what is written there is typed into a command interpreter."""
        if handle.type != "subscript_expression" or handle.named_child_count != 2:
            return None
        pipes = _var_name(handle.named_children[0])
        if not pipes or self.value(handle.named_children[1], scope) != b"0":
            return None
        pattern = re.compile(rb"(?i)(?<![\w$>:])proc_open\s*\(")
        for match in list(pattern.finditer(self.data))[:16]:
            call = self._climb(self._node_at(match.start()), ("function_call_expression",), 3)
            args = _args(call) if call is not None else []
            if len(args) < 3 or _var_name(args[2]) != pipes or self.scope_of(call) != scope:
                continue
            command = self.value(args[0], scope)
            text = command if command is not None else bytes(args[0].text)
            if _SHELL.search(text[:200]):
                return f"proc_open({_short(args[0], 30)})"
        return None

    def _check_com_shell(self, node: Node, scope: int, args: list[Node], obj: Node) -> None:
        for new in self._creations(obj, scope, "com"):
            progid = self.value(_args(new)[0], scope) if _args(new) else None
            if progid is None or progid.strip().lower() not in _COM_SHELLS:
                continue
            label = f"COM {progid.decode('latin-1')} {_short(node.child_by_field_name('name'))}"
            self.sinks.append(label)
            for arg in args:
                chain = self.taint(arg, scope)
                if chain:
                    self._report(SinkKind.COMMAND, label, chain, node)
                    return
            return

    def _opened_path(self, handle: Node, scope: int) -> Node | None:
        """The path argument of the ``fopen`` (or ``new SplFileObject``) that produced
        ``$handle``."""
        for new in self._creations(handle, scope, "splfileobject"):
            return _args(new)[0] if _args(new) else None
        if handle.type == "function_call_expression":
            call = handle
        else:
            name = _var_name(handle)
            assigns = [a for a in self._assigns(name or "") if a.scope == scope and a.value]
            call = assigns[-1].value if assigns else None
        while call is not None and call.type == "error_suppression_expression":
            call = call.named_children[-1] if call.named_child_count else None
        if call is None or call.type != "function_call_expression":
            return None
        if self.callee_name(call, scope) != "fopen":
            return None
        args = _args(call)
        return args[0] if args else None

    def _creations(self, obj: Node | None, scope: int, cls: str) -> list[Node]:
        """The ``new <cls>(...)`` expressions a method's receiver comes from: the receiver
        itself or the assignments of the variable it is (``cls`` lower case, unqualified)."""
        while obj is not None and obj.type == "parenthesized_expression" and obj.named_child_count:
            obj = obj.named_children[-1]
        found = [obj] if obj is not None and obj.type == "object_creation_expression" else []
        if obj is not None and (name := _var_name(obj)):
            found += [a.value for a in self._assigns(name) if a.scope == scope and a.value]
        return [
            new
            for new in found
            if new.type == "object_creation_expression"
            and new.named_child_count
            and new.named_children[0].text.decode("utf-8", "replace").lower().lstrip("\\") == cls
        ]

    def _check_invoke(self, node: Node, scope: int, args: list[Node]) -> None:
        """Methods that run or write: ``(new ReflectionFunction('system'))->invoke($_GET[1])``
        and ``invokeArgs``; ``SplFileObject::fwrite``; ``exec``/``Run``/``ShellExecute`` of a
        ``new COM('WScript.Shell')`` (or ``Shell.Application``) object."""
        method_node = node.child_by_field_name("name")
        method = method_node.text.lower() if method_node is not None else b""
        obj = node.child_by_field_name("object")
        if method == b"fwrite" and args and self._creations(obj, scope, "splfileobject"):
            self._check_write("fwrite", node, scope, [obj, *args])
            return
        if method in (b"exec", b"run", b"shellexecute") and args:
            self._check_com_shell(node, scope, args, obj)
            return
        if method not in (b"invoke", b"invokeargs"):
            return
        for new in self._creations(obj, scope, "reflectionfunction"):
            target_args = _args(new)
            if not target_args:
                continue
            target = self.value(target_args[0], scope)
            target_name = target.decode("latin-1").strip().lower() if target else ""
            if target_name not in CODE_SINKS and target_name not in COMMAND_SINKS:
                continue
            self.sinks.append(f"ReflectionFunction:{target_name}")
            for arg in args:
                chain = self.taint(arg, scope)
                if chain:
                    kind_ = SinkKind.CODE if target_name in CODE_SINKS else SinkKind.COMMAND
                    self._report(kind_, f"ReflectionFunction({target_name})->invoke", chain, node)
                    return


def analyse_php(data: bytes, budget: Budget | None = None, layer: int = 0) -> Analysis:
    """Parse ``data`` as PHP and return the request-input paths into sinks it contains."""
    budget = budget or Budget()
    from sscguard.detect.webshell.phpobf import ascii_identifiers  # emoji variable names

    analyser = PhpAnalyser(ascii_identifiers(data) or data, budget, layer)
    # a NUL byte inside a string literal (binary packed payloads) breaks the grammar and
    # turns the whole file into one error node: parse a same-length copy without them
    analyser.parsed = analyser.data.replace(b"\x00", b"\x01")
    tree = parse_php(analyser.parsed, share=layer == 0)
    if tree is None:
        budget.exhausted = f"parse took longer than {MAX_PARSE_SECONDS:g} CPU-s"
        return Analysis(language="php", bounded=budget.exhausted)
    analyser.root = tree.root_node
    analyser.state.sources = len(_SUPERGLOBAL_RE.findall(analyser.data))
    analyser.check_sinks()
    for match in list(_DECODER_CALL.finditer(analyser.lower))[:64]:
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
