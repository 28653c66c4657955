"""PHP database tools, shell modules and data-capture injections the other analysers miss.

Three behaviours, each a COMBINATION of facts a legitimate application page does not have
together (nothing keys on names, banners or passwords):

* **database dumper** (SSC-003-500): a stand-alone page that logs in to the database with
  credentials written into the file, has no login of its own, and exports in bulk: every
  table (``SHOW TABLES`` then ``SELECT ... FROM $table`` in a loop), or chunks whose table,
  columns or row range come from the request in a loop of queries (``?t=users&s=0&e=...``).
  Applications export through their admin pages with a session and their configuration;
  backup libraries get their credentials passed in, not written next to the query.
* **module of a multi-file web shell** (SSC-003-502): a file with no request superglobal of
  its own that reads an array the shell's core fills from the request (``$p['mailTo']``);
  the array is never assigned in the file and its keys are the ids of the form controls the
  same file renders. When those values reach mail(), a whole SQL statement, a command or
  code, the file is one tab of a modular shell (mailer, SQL console, terminal).
* **request or payment-card capture** (SSC-003-501): the whole request
  (``serialize($_REQUEST)``, ``json_encode($_POST)`` ...) or card fields (card number,
  CVV) written to a file disguised as an image or script, to /tmp or a dot file, or
  encoded before writing; or card fields mailed to an address written into the code. That
  is what a skimmer injected into a shop's checkout does.

The facts come from the tree-sitter parse and taint engine the capability model uses
(``capability._File``), built only for files that pass cheap byte tests; work is bounded by
the same ``Budget``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sscguard.detect.webshell import capability as cap
from sscguard.detect.webshell.flow import Budget, Step
from sscguard.detect.webshell.php import CODE_SINKS, COMMAND_SINKS
from sscguard.model import Confidence, Finding, Severity

if TYPE_CHECKING:
    from sscguard.detect.webshell.detectors import FileContext

Node = Any  # tree_sitter.Node

DB_DUMP = "SSC-003-500"
DATA_CAPTURE = "SSC-003-501"
SHELL_MODULE = "SSC-003-502"
CGI_ENABLER = "SSC-003-504"
SITE_PACKER = "SSC-003-505"
ALL_IDS = (DB_DUMP, DATA_CAPTURE, SHELL_MODULE, CGI_ENABLER, SITE_PACKER)  # 503: see 492

MAX_BYTES = 128 << 10  # the tools and injected snippets are small pages; bigger = an app
MAX_CAPTURE_BYTES = 256 << 10  # injected core files (a shop's checkout model) are larger
MAX_DUMP_BYTES = 64 << 10  # dumpers are small stand-alone pages
_MAX_NAMES = 40  # variables followed when collecting the text that reaches an argument


@dataclass(frozen=True, slots=True)
class Hit:
    rule_id: str
    line: int
    detail: str
    severity: Severity
    steps: tuple[Step, ...] = ()


# -- shared fact helpers -----------------------------------------------------------------------


def _reaching(f: cap._File, node: Node | None, scope: int, depth: int = 4) -> str:
    """The argument's text plus the right-hand sides of every variable it is built from,
    followed ``depth`` assignments back (breadth first, each variable once; assignments in
    the same function, else at the top level)."""
    if node is None:
        return ""
    parts = [cap._text(node, 2000)]
    seen: set[str] = set()
    frontier = set(re.findall(r"\$(\w+)", parts[0]))
    for _ in range(depth):
        nxt: set[str] = set()
        for name in sorted(frontier - seen):
            if len(seen) >= _MAX_NAMES or not f.budget.spend_nodes(2):
                break
            seen.add(name)
            assigns = [a for a in f.req._assigns(name) if a.value is not None]
            local = [a for a in assigns if a.scope == scope] or [a for a in assigns if a.scope == 0]
            for assign in local[:12]:
                if assign.value is not None:
                    text = cap._text(assign.value, 2000)
                    parts.append(text)
                    nxt.update(re.findall(r"\$(\w+)", text))
        frontier = nxt
    return "\n".join(parts)[:40000]


_CONNECTS = {
    "mysql_connect": (1, 2), "mysql_pconnect": (1, 2), "mysqli_connect": (1, 2),
    "mysqli_real_connect": (2, 3), "pg_connect": (0, 0), "mssql_connect": (1, 2),
    "sqlsrv_connect": (1, 1), "oci_connect": (0, 1),
}  # fmt: skip
_NEW_CONNECTION = re.compile(rb"(?i)\bnew\s+(mysqli|PDO)\s*\(")


def _literal_credentials(f: cap._File) -> Node | None:
    """A connect call whose user and password are written in the file (literals, variables
    or constants holding literals); None when the page gets them from elsewhere."""
    sites: list[tuple[Node, int, tuple[int, int]]] = [
        (n, s, _CONNECTS[name]) for n, s, name in f.calls(*_CONNECTS)
    ]
    for match in list(_NEW_CONNECTION.finditer(f.data))[:20]:
        node = f.root.descendant_for_byte_range(match.start(), match.start() + 1)
        hops = 0
        while node is not None and hops < 4 and node.type != "object_creation_expression":
            node = node.parent
            hops += 1
        if node is not None and node.type == "object_creation_expression":
            sites.append((node, f.req.scope_of(node), (1, 2)))  # (host|dsn, user, password)
    for node, scope, (user_i, pass_i) in sites:
        args = _ctor_or_call_args(node)
        if len(args) <= max(user_i, pass_i):
            continue
        user, password = f.const(args[user_i], scope), f.const(args[pass_i], scope)
        if user is not None and password is not None and user.strip():
            return node
    return None


def _ctor_or_call_args(node: Node) -> list[Node]:
    if node.type == "object_creation_expression":
        arguments = next((c for c in node.named_children if c.type == "arguments"), None)
        if arguments is None:
            return []
        return [a.named_children[-1] if a.type == "argument" and a.named_child_count else a
                for a in arguments.named_children if a.type != "comment"]  # fmt: skip
    return cap._args(node)


_SQL_FUNCS = {
    "mysql_query": 0, "mysql_unbuffered_query": 0, "mysqli_query": 1, "mysqli_real_query": 1,
    "mysql_db_query": 1, "pg_query": -1, "mssql_query": 0, "sqlsrv_query": 1, "oci_parse": 1,
    "sqlite_query": -1, "odbc_exec": 1,
}  # fmt: skip
_SQL_METHODS = {"query": 0, "exec": 0, "prepare": 0, "real_query": 0, "unbuffered_query": 0}


def _sql_sites(f: cap._File) -> Iterator[tuple[Node, int, str, Node]]:
    """Every SQL call with the node of its statement argument."""
    for node, scope, name in f.calls(*_SQL_FUNCS):
        args = cap._args(node)
        index = _SQL_FUNCS[name]
        if args and -len(args) <= index < len(args):
            yield node, scope, name, args[index]
    for node, scope, name in f.calls(*_SQL_METHODS, methods=True):
        args = cap._args(node)
        if args:
            yield node, scope, name, args[0]


_AUTH = re.compile(
    rb"(?i)\$_SESSION\s*\[|password_verify|is_?logged_?in|current_user_can|check_?login"
    rb"|PHP_AUTH_(USER|PW)|WWW-Authenticate|setcookie\s*\([^;]{0,80}(auth|login|pass)"
)


# -- SSC-003-500: database dumper ----------------------------------------------------------

_LIST_TABLES = re.compile(r"(?i)show\s+(full\s+)?tables|information_schema\s*\.\s*tables")
_FROM_VARIABLE = re.compile(r"(?i)\bselect\b.{0,200}?\bfrom\s*`?\s*(?:['\"]\s*\.\s*)?\{?\$")
_LIMIT = re.compile(r"(?i)\blimit\b")
_REQUEST = re.compile(r"\$_(GET|POST|REQUEST|COOKIE)\s*\[|\$HTTP_(GET|POST)_VARS\s*\[")
_LONG_RUN = re.compile(rb"(?i)ignore_user_abort\s*\(|set_time_limit\s*\(\s*0\s*\)")
_ROW_OUT = re.compile(rb"(?i)\b(fwrite|fputs|file_put_contents|echo|print|printf)\b")


def _dumps(f: cap._File, data: bytes) -> list[Hit]:
    if _AUTH.search(data) is not None:
        return []
    sites = list(_sql_sites(f))
    if not sites or _ROW_OUT.search(data) is None:
        return []
    connect = _literal_credentials(f)
    if connect is None:
        return []
    login = cap._at(connect)
    texts = [(node, name, _reaching(f, sql, scope)) for node, scope, name, sql in sites]
    lists = next((n for n, _, t in texts if _LIST_TABLES.search(t)), None)
    for node, name, text in texts:
        if not f.in_loop(node) or f.guarded(node):
            continue
        if lists is not None and _FROM_VARIABLE.search(text):
            return [
                Hit(
                    DB_DUMP, cap._line(node),
                    f"lists every table, then {name}() reads each one in a loop, with "
                    "database credentials written into the page and no login",
                    Severity.HIGH, (login, cap._at(lists), cap._at(node)),
                )
            ]  # fmt: skip
        if (
            _REQUEST.search(text)
            and _LONG_RUN.search(data)
            and (_LIMIT.search(text) or _FROM_VARIABLE.search(text))
        ):
            return [
                Hit(
                    DB_DUMP, cap._line(node),
                    f"{name}() in a loop exports the rows, table or columns the request "
                    "names, as a long-running job, with credentials written into the page "
                    "and no login",
                    Severity.HIGH, (login, cap._at(node)),
                )
            ]  # fmt: skip
    return []


# -- SSC-003-501: request or payment-card capture ----------------------------------------------

_WHOLE_REQUEST = re.compile(
    r"(?i)\b(serialize|json_encode|print_r|var_export|http_build_query|implode|var_dump)\s*\("
    r"\s*(?:['\"][^'\"]{0,8}['\"]\s*,\s*)?\$_(REQUEST|POST|GET|COOKIE)\b(?!\s*\[)"
)
_CARD = re.compile(
    r"(?i)\bcc_?(number|num|cid|cvv2?|cvc|exp_month|exp_year)\b|\bgetCc(Number|Cid|Cvv)\b"
    r"|\bcard_?(number|num)\b|\bcvv2?\b"
)
_HIDDEN_TARGET = re.compile(
    r"(?i)\.(jpe?g|png|gif|bmp|ico|svg|css|js|woff2?|ttf)['\"]|['\"]/tmp/|/\.[\w-]+['\"]"
)
_ENCODED = re.compile(
    r"(?i)\b(base64_encode|str_rot13|openssl_(public_)?encrypt|mcrypt_encrypt|gzdeflate"
    r"|gzcompress|bin2hex|strrev)\s*\("
)
_WRITERS = {"file_put_contents": (0, 1), "fwrite": (0, 1), "fputs": (0, 1), "error_log": (2, 0)}


def _captures(f: cap._File) -> list[Hit]:
    out: list[Hit] = []
    for node, scope, name in f.calls(*_WRITERS):
        args = cap._args(node)
        target_i, data_i = _WRITERS[name]
        if len(args) <= max(target_i, data_i):
            continue
        if name == "error_log" and f.const(args[1], scope) != b"3":
            continue  # error_log(msg, 3, file) is the form that writes a file
        content = _reaching(f, args[data_i], scope)
        what = _WHOLE_REQUEST.search(content) or _CARD.search(content)
        if what is None or f.guarded(node):
            continue
        target = _reaching(f, args[target_i], scope, 3)
        hidden = _HIDDEN_TARGET.search(target)
        encoded = _ENCODED.search(content)
        if hidden is None and encoded is None:
            continue
        how = f"disguised as {hidden.group(0).strip(chr(39) + chr(34))}" if hidden else (
            f"encoded with {encoded.group(1)}()" if encoded else ""
        )  # fmt: skip
        out.append(
            Hit(
                DATA_CAPTURE, cap._line(node),
                f"{name}() stores {what.group(0)} in a file {how}: visitors' form data "
                "(passwords, card numbers) is being collected",
                Severity.HIGH, (cap._at(node),),
            )
        )  # fmt: skip
        break
    for node, scope, name in f.calls("mail", "mb_send_mail"):
        args = cap._args(node)
        if len(args) < 3:
            continue
        recipient = f.const(args[0], scope)
        if recipient is None or b"@" not in recipient:
            continue
        body = "\n".join(_reaching(f, a, scope) for a in args[1:3])
        card = _CARD.search(body)
        if card is None:
            continue
        out.append(
            Hit(
                DATA_CAPTURE, cap._line(node),
                f"{name}() sends card fields ({card.group(0)}) to the address written into "
                f"the code, {recipient.decode('latin-1')[:60]}",
                Severity.HIGH, (cap._at(node),),
            )
        )  # fmt: skip
        break
    return out


# -- SSC-003-502: module of a multi-file shell ---------------------------------------------------

_BAG_READ = re.compile(rb"\$([A-Za-z_]\w{0,30})\s*\[\s*['\"]([A-Za-z_]\w{0,40})['\"]\s*\]")
_CONTROL = re.compile(
    rb"(?i)<(?:input|textarea|select)\b[^>]{0,300}?\b(?:id|name)\s*=\s*\\?['\"]?([A-Za-z_]\w{0,40})"
)
_NOT_BAGS = {"GLOBALS", "this", "_SERVER", "_ENV", "_SESSION", "_FILES", "row", "rows"}
_REQUEST_SUPERGLOBAL = (b"$_GET", b"$_POST", b"$_REQUEST", b"$_COOKIE", b"$HTTP_POST_VARS")


def _bags(data: bytes) -> set[str]:
    """Arrays read with keys that are the ids/names of controls the page renders."""
    controls = {m.group(1) for m in _CONTROL.finditer(data[:MAX_BYTES])}
    if len(controls) < 2:
        return set()
    keys: dict[bytes, set[bytes]] = {}
    for m in _BAG_READ.finditer(data[:MAX_BYTES]):
        if m.group(2) in controls:
            keys.setdefault(m.group(1), set()).add(m.group(2))
    return {
        v.decode("ascii") for v, k in keys.items() if len(k) >= 2
    } - _NOT_BAGS  # fmt: skip


def _module(f: cap._File, bags: set[str]) -> list[Hit]:
    free = {b for b in bags if not f.req._assigns(b)}
    if not free:
        return []
    f.req = cap._Analyser(f.data, f.budget, f.root, f._fields | free, location=False)
    for node, scope, name in f.calls("mail", "mb_send_mail"):
        args = cap._args(node)
        to = f.tainted(args[0], scope) if len(args) >= 3 else None
        if to and any(f.tainted(a, scope) for a in args[1:5]):
            return [
                Hit(
                    SHELL_MODULE, cap._line(node),
                    f"{name}() sends mail to recipients and content the shell's own form "
                    "supplies",
                    Severity.HIGH, (*to[-3:], cap._at(node)),
                )
            ]  # fmt: skip
    for node, scope, name, sql in _sql_sites(f):
        if f.direct(sql, scope):
            sql_chain = f.tainted(sql, scope) or ()
            return [
                Hit(
                    SHELL_MODULE, cap._line(node),
                    f"{name}() runs SQL text typed into the shell's own form",
                    Severity.HIGH, (*sql_chain[-3:], cap._at(node)),
                )
            ]  # fmt: skip
    for node, scope, name in f.calls(*(COMMAND_SINKS | CODE_SINKS)):
        chain: tuple[Step, ...] | None = next(
            (c for a in cap._args(node) if (c := f.tainted(a, scope))), None
        )
        if chain:
            return [
                Hit(
                    SHELL_MODULE, cap._line(node),
                    f"{name}() runs what is typed into the shell's own form",
                    Severity.HIGH, (*chain[-3:], cap._at(node)),
                )
            ]  # fmt: skip
    return []


# -- SSC-003-504: CGI enabled for a dropped script ---------------------------------------------

_CGI_DIRECTIVE = re.compile(
    r"(?i)AddHandler\s+cgi-script|Options\s+\+?ExecCGI|SetHandler\s+cgi-script"
)
_SHEBANG = re.compile(r"#!\s*/(usr/)?(local/)?bin/(env\s+)?(sh|bash|perl|python[0-9.]*|ruby)\b")


def _cgi(f: cap._File) -> list[Hit]:
    """The page writes a web-server configuration that runs a directory's files as CGI
    programs and writes a script there: a way around disable_functions."""
    writes = list(f.calls("fwrite", "fputs", "file_put_contents"))
    config = script = None
    for node, scope, _name in writes:
        args = cap._args(node)
        if len(args) < 2:
            continue
        content = _reaching(f, args[1], scope, 2)
        if config is None and _CGI_DIRECTIVE.search(content):
            config = node
        if script is None and _SHEBANG.search(content):
            script = node
    if config is None or script is None or config.id == script.id:
        return []
    return [
        Hit(
            CGI_ENABLER, cap._line(config),
            "writes a configuration that runs files as CGI programs and writes a "
            "shell-script program for it",
            Severity.HIGH, (cap._at(config), cap._at(script)),
        )
    ]  # fmt: skip


# -- SSC-003-505: site packer -------------------------------------------------------------------

_ZIP_BUILDER = re.compile(rb"(?i)\\x50\\x4b\\x03\\x04|new\s+ZipArchive\b|new\s+PharData\b")
_ROOT_WALK = re.compile(
    rb"(?i)\b(opendir|scandir|RecursiveDirectoryIterator)\s*\(\s*(['\"]\.{1,2}/?['\"]"
    rb"|\$_SERVER\s*\[\s*['\"]DOCUMENT_ROOT|dirname\s*\(\s*__FILE__|getcwd\s*\(|__DIR__)"
)
_ARCHIVE_TO_DISK = re.compile(
    rb"(?i)\bfopen\s*\([^;]{1,120},\s*['\"][wax]b?['\"]|->\s*open\s*\([^;]{1,120}ZipArchive::"
    rb"(CREATE|OVERWRITE)|new\s+PharData\s*\("
)


def _packer(f: cap._File) -> list[Hit]:
    """A page with no login that walks the site from its own directory, the document root or
    a request-chosen directory and writes a zip archive to disk, with files or the archive
    chosen by the request: the site's source and configuration packed for download."""
    data = f.data
    if _AUTH.search(data) is not None or _REQUEST.search(data.decode("latin-1")) is None:
        return []
    builder = _ZIP_BUILDER.search(data)
    sink = _ARCHIVE_TO_DISK.search(data)
    if builder is None or sink is None:
        return []
    walk = _ROOT_WALK.search(data)
    if walk is not None:
        line, label = data.count(b"\n", 0, walk.start()) + 1, walk.group(0).decode("latin-1")
    else:
        chosen = next(
            (n for n, sc, _ in f.calls("opendir", "scandir")
             if cap._args(n) and f.head_direct(cap._args(n)[0], sc)),
            None,
        )  # fmt: skip
        if chosen is None:
            return []
        line, label = cap._line(chosen), cap._short(chosen)
    return [
        Hit(
            SITE_PACKER, line,
            "walks the site (its own directory, the document root or a directory the request "
            "names) and writes a zip archive of it, with no login",
            Severity.MEDIUM,
            (
                Step("directory walk: " + label[:60], line),
                Step("zip archive: " + builder.group(0).decode("latin-1")[:40],
                     data.count(b"\n", 0, builder.start()) + 1),
                Step("written to disk: " + " ".join(sink.group(0).decode("latin-1").split())[:60],
                     data.count(b"\n", 0, sink.start()) + 1),
            ),
        )
    ]  # fmt: skip


# -- the detector ----------------------------------------------------------------------------


_DUMP_WORDS = (b"show tables", b"show full tables", b"information_schema.tables")
_JOB_WORDS = (b"ignore_user_abort", b"set_time_limit(0)")
_TABLE_LIST_BYTES = re.compile(rb"(?i)show\s+(full\s+)?tables|information_schema\s*\.\s*tables")
_DUMP_CASED = (
    b"show tables",
    b"SHOW TABLES",
    b"show full tables",
    b"SHOW FULL TABLES",
    b"information_schema",
    b"INFORMATION_SCHEMA",
    b"Show Tables",
    b"SHOW tables",
)
_REQUEST_WORDS = (b"$_get", b"$_post", b"$_request")


@dataclass(frozen=True, slots=True)
class Wants:
    """Which rules a file is worth parsing for (from the gate rules and byte tests)."""

    dump: bool = False
    capture: bool = False
    bags: set[str] = field(default_factory=set)
    cgi: bool = False
    pack: bool = False

    def __bool__(self) -> bool:
        return self.dump or self.capture or bool(self.bags) or self.cgi or self.pack


_GATES = frozenset(
    {
        "phptools_dump",
        "phptools_capture",
        "phptools_form",
        "phptools_cgi",
        "phptools_pack",
    }
)


def _python_gates(data: bytes) -> frozenset[str]:
    """The verdict of data/gates/phptools.yar when no YARA-X pass ran (library callers)."""
    lower = data[:MAX_CAPTURE_BYTES].lower()
    out = set()
    if (
        len(data) <= MAX_DUMP_BYTES
        and _CONNECT_WORDS.search(lower)
        and (
            any(w in lower for w in _DUMP_WORDS)
            or (any(w in lower for w in _JOB_WORDS) and any(w in lower for w in _REQUEST_WORDS))
        )
    ):
        out.add("phptools_dump")
    if _CARD_BYTES.search(lower) or _WHOLE_REQUEST_BYTES.search(lower):
        out.add("phptools_capture")
    if len(data) <= MAX_BYTES and (b"<input" in lower or b"<textarea" in lower):
        out.add("phptools_form")
    if b"execcgi" in lower or b"cgi-script" in lower:
        out.add("phptools_cgi")
    if (
        len(data) <= MAX_DUMP_BYTES
        and any(z in lower for z in (b"\\x50\\x4b\\x03\\x04", b"ziparchive", b"phardata"))
        and any(w in lower for w in (b"opendir", b"scandir", b"recursivedirectoryiterator"))
    ):
        out.add("phptools_pack")
    return frozenset(out)


def _wants(data: bytes, gates: frozenset[str] | None = None, modules: bool = True) -> Wants:
    """Cheap tests: (dumper worth parsing, capture worth parsing, bag arrays); ``modules``
    False skips the shell-module test (the file does not have a PHP extension)."""
    if gates is None:
        gates = _python_gates(data)
    dump = (
        "phptools_dump" in gates
        and (
            any(s in data for s in _REQUEST_SUPERGLOBAL)
            or _TABLE_LIST_BYTES.search(data) is not None
        )
        and _AUTH.search(data) is None
    )
    capture = "phptools_capture" in gates
    bags: set[str] = set()
    if modules and "phptools_form" in gates and not any(s in data for s in _REQUEST_SUPERGLOBAL):
        bags = _bags(data)
    return Wants(dump, capture, bags, "phptools_cgi" in gates, "phptools_pack" in gates)


_CARD_BYTES = re.compile(rb"cc_?(number|cid|cvv)|getcc(number|cid)")  # on lower-case bytes
_WHOLE_REQUEST_BYTES = re.compile(
    rb"(serialize|json_encode|print_r|var_export|http_build_query|implode|var_dump)\s*\("
    rb"\s*(['\"][^'\"]{0,8}['\"]\s*,\s*)?\$_(request|post|get|cookie)\b"
)
_CONNECT_WORDS = re.compile(  # on lower-case bytes
    rb"(mysqli?|pg|mssql|sqlsrv|oci)_p?connect|new (pdo|mysqli)\b"
)


def analyse(
    data: bytes, budget: Budget | None = None, gates: frozenset[str] | None = None
) -> tuple[list[Hit], str]:
    """Every hit of one PHP file and the bound that stopped the analysis (or ""); ``gates``
    are the YARA-X gate rules that matched (None: test the same shapes in Python)."""
    return _analyse(data, budget or Budget(), _wants(data, gates))


def _analyse(data: bytes, budget: Budget, wants: Wants) -> tuple[list[Hit], str]:
    if not wants:
        return [], ""
    try:
        f = cap._File(data, budget)
    except cap._ParseStoppedError:
        return [], "parse took too long"
    hits: list[Hit] = []
    steps = (
        (wants.capture, _captures), (wants.dump, lambda f: _dumps(f, f.data)),
        (bool(wants.bags), lambda f: _module(f, wants.bags)),
        (wants.cgi, _cgi), (wants.pack, _packer),
    )  # fmt: skip
    for wanted, rule in steps:
        if wanted and not budget.exhausted:
            hits += rule(f)
    return hits, budget.exhausted


@dataclass(frozen=True, slots=True)
class RuleInfo:
    title: str
    why: str
    related: tuple[str, ...]


RULES: dict[str, RuleInfo] = {
    DB_DUMP: RuleInfo(
        "Database dumper: bulk export with credentials in the page and no login (php)",
        "The page logs in to the database with credentials written into it and exports "
        "every table, or the table, columns and row ranges the request names, to whoever "
        "calls it: a tool for stealing the database, not an application page.",
        ("T1213",),
    ),
    DATA_CAPTURE: RuleInfo(
        "Captures visitors' form or payment-card data (php)",
        "The page stores the whole request or card fields in a file disguised as an image, "
        "script or hidden file (often encoded), or mails card fields to an address written "
        "into the code: a credential logger or card skimmer injected into the site.",
        ("T1048", "T1566"),
    ),
    SHELL_MODULE: RuleInfo(
        "Module of a multi-file web shell (php)",
        "The file renders a form and passes the values its shell core collects from the "
        "request (an array never filled in this file, keyed by the form's control ids) to "
        "mail, a whole SQL statement, a command or code: one tab of a modular web shell.",
        ("T1059",),
    ),
    CGI_ENABLER: RuleInfo(
        "Enables CGI for a script it drops (php)",
        "The page writes a web-server configuration (.htaccess) that runs files as CGI "
        "programs and writes a shell script to run that way, getting commands past PHP's "
        "disable_functions.",
        ("T1059",),
    ),
    SITE_PACKER: RuleInfo(
        "Site packer: zips the web site for download (php)",
        "The page has no login, walks the site from its own directory and writes a zip "
        "archive of the files the request picks: the site's source and configuration "
        "(database passwords) packed for theft.",
        ("T1083", "T1552"),
    ),
}
REMEDIATION = (
    "Take the file offline, preserve it with the web server's access logs and compare it with "
    "a known-good copy of the application; remove it (or restore the clean file), find the "
    "rest of the tool or injection on the server, rotate the database and mail credentials "
    "it could reach, and, for captured card or login data, follow your breach procedure."
)


def refs_for(rule_id: str) -> tuple[Any, ...]:
    from sscguard import attack

    component = "DS0022 File Creation"
    out = [attack.ref("T1505.003", component, "M1047", "M1045")]
    out += [attack.ref(t, component, "M1047") for t in RULES[rule_id].related]
    return tuple(out)


def detect(ctx: FileContext) -> list[Finding]:
    """The registry entry: PHP files no earlier detector or built-in rule flagged."""
    if len(ctx.data) > MAX_CAPTURE_BYTES or ctx.flagged_high:
        return []
    if ctx.gates is not None and ctx.gates.isdisjoint(_GATES):
        return []  # the usual case: decided by the YARA-X pass, nothing imported or scanned
    if any(h.rule.builtin and h.rule.severity >= Severity.MEDIUM for h in ctx.hits):
        return []
    from sscguard.detect.webshell import detectors as d
    from sscguard.detect.webshell import scoring

    wants = _wants(ctx.data, ctx.gates, ctx.ext in d.PHP_EXTS)
    if not wants or not d.is_php(ctx):
        return []
    hits, bounded = _analyse(ctx.data, Budget(), wants)
    if bounded:
        ctx.bounded.append(f"php tool analysis: {bounded}")
    out: list[Finding] = []
    for rule_id in ALL_IDS:
        mine = [h for h in hits if h.rule_id == rule_id]
        if not mine:
            continue
        hit = mine[0]
        info = RULES[rule_id]
        evidence = cap.behaviour_evidence(ctx.path, rule_id, hit.line, hit.detail, hit.steps)
        score = scoring.Score(
            hit.severity, Confidence.MEDIUM, (f"capability {hit.detail}: {hit.severity.value}",)
        )
        out.append(
            d.simple_finding(
                ctx, rule_id, info.title, info.why, refs_for(rule_id), score, evidence,
                ("capability", "php"), remediation=REMEDIATION,
            )
        )  # fmt: skip
    return out
