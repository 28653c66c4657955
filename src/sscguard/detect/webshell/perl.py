"""Perl CGI shells and Perl reverse shells: a small, bounded, line-oriented taint analysis.

No maintained Python parser for Perl exists (Perl's grammar is famously undecidable), so
this is hand-written and deliberately coarse: the file is cleaned (POD, ``__END__``,
heredoc bodies and comments removed), cut into statements at ``;``, ``{`` and ``}``, and
variables are tracked by bare name across the whole file (``$x``, ``@x``, ``%x``,
``$x{..}``, ``$x[..]`` are one name), flow-insensitively, to a fixpoint. Sources are CGI
request input (``param()``, ``$cgi->param``, ``$ENV{QUERY_STRING}``, ``read(STDIN, ..)``,
``ReadParse``'s ``%in``, cookies and headers) and, separately, reads from a socket the
script opened. Sinks are command execution (``system``, ``exec``, backticks, ``qx``,
``readpipe``, ``open`` with a pipe or of a bare tainted name) and code execution
(``eval`` of a string, ``do``/``require`` of a variable). Regex captures (``$1``) of a
tainted match, ``foreach`` over a tainted list, ``$_`` of such loops and the parameters of
a sub called with tainted arguments are tainted too.

Separately, a reverse shell is recognised by its three parts together: a socket, the
standard handles re-opened onto it (``open(STDIN, ">&S")``, ``dup2``) and a shell started.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sscguard.detect.webshell.flow import (
    MAX_SECONDS,
    MAX_STEPS,
    Analysis,
    FlowPath,
    SinkKind,
    Step,
    clock,
)

MAX_BYTES = 256 << 10  # analysed per file (larger Perl is a program, not a dropped shell)
MAX_STATEMENTS = 20_000
MAX_ROUNDS = 8  # fixpoint iterations
MAX_PATHS = 8
MAX_HOPS = 8  # longer explained paths are dropped (shells are direct; see docs/detection.md)

#: Scripts a web server runs; ``.pm`` modules are libraries and are not analysed.
PERL_EXTS = {".pl", ".cgi", ".perl", ".plx"}
_SHEBANG = re.compile(rb"\A(?:\xef\xbb\xbf)?#![^\n]{0,80}\bperl")
#: Each branch starts with a literal character and checks the word boundary after it
#: (``u(?<!\wu)se`` is ``\buse``): a pattern that opens with a set of literals lets the
#: regex engine skip to candidate characters, ~6x faster than a leading ``\b`` (this test
#: runs on every file that is not PHP or ASP).
_PERL_MARKERS = re.compile(
    rb"u(?<!\wu)se\s+(?:strict|warnings|CGI|Socket|IO::Socket|POSIX)\b|m(?<!\wm)y\s*[\$@%]\w"
    rb"|s(?<!\ws)ub\s+\w+\s*\{|\$ENV\{|p(?<!\wp)rint\s+\"Content-type|=~\s*(?:s|tr|m)?/"
    rb"|c(?<!\wc)homp\s*\(|f(?<!\wf)oreach\s+(?:my\s+)?\$"
)
#: Source files of other languages and web assets: a server runs a Perl CGI script by its
#: extension (.pl, .cgi) or its #! line, never a stylesheet or a Java class, so only those
#: two and names outside this set (``x.txt``, no extension) are sniffed for Perl markers.
_FOREIGN = {
    ".php", ".phtml", ".inc", ".asp", ".aspx", ".ascx", ".ashx", ".asmx", ".jsp", ".jspx",
    ".java", ".cs", ".vb", ".js", ".mjs", ".ts", ".css", ".scss", ".less", ".json", ".xml",
    ".xsl", ".svg", ".md", ".rst", ".tpl", ".twig", ".py", ".rb", ".go", ".c", ".h", ".map",
}  # fmt: skip
_PHP_OR_ASP = re.compile(rb"<\?php|<%|<\?=", re.I)

# -- cleaning -------------------------------------------------------------------------------

_POD_START = re.compile(r"^=[a-zA-Z]")
_HEREDOC = re.compile(
    r"<<\s*(?:\"([A-Za-z_]\w*)\"|'([A-Za-z_]\w*)'|([A-Za-z_]\w*)|~\s*\"?(\w+)\"?)"
)
_END = re.compile(r"^__(?:END|DATA)__\s*$")


def _strip_comment(line: str) -> str:
    """Drop a ``#`` comment: one that starts the line or follows white space outside quotes."""
    quote = ""
    prev = " "
    for i, ch in enumerate(line):
        if quote:
            if ch == quote and prev != "\\":
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch == "#" and prev in " \t;{}(" and not line[:i].rstrip().endswith(("$", "s", "q")):
            return line[:i]
        prev = ch if prev != "\\" else " "
    return line


def clean(text: str) -> list[str]:
    """Lines of code only: POD, heredoc bodies, comments and everything after __END__ blanked
    (line numbers are kept)."""
    out: list[str] = []
    in_pod = False
    heredoc: list[str] = []
    lines = text.split("\n")
    for raw in lines:
        line = raw.rstrip("\r")
        if heredoc:
            out.append("")
            if line.strip() == heredoc[0]:
                heredoc.pop(0)
            continue
        if in_pod:
            out.append("")
            if line.startswith("=cut"):
                in_pod = False
            continue
        if _POD_START.match(line):
            in_pod = True
            out.append("")
            continue
        if _END.match(line):
            break
        code = _strip_comment(line) if "#" in line else line
        for m in _HEREDOC.finditer(code):
            tag = next(g for g in m.groups() if g)
            if len(heredoc) < 8:
                heredoc.append(tag)
        out.append(code)
    return out


# -- statements and names -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stmt:
    text: str
    line: int
    sub: str  # enclosing named sub, "" at file level


_SUB = re.compile(r"\bsub\s+([A-Za-z_][\w:]*)\s*(?:\([^)]*\)\s*)?\{")


_BLOCK_WORD = re.compile(r"(?:\b(?:else|do|eval|BEGIN|END|sub|continue)|\bsub\s+[\w:]+)\s*$")


def _opens_block(before: str) -> bool:
    """Is a ``{`` after ``before`` a block (a statement boundary) rather than a subscript or
    an anonymous hash?"""
    stripped = before.rstrip()
    if not stripped or stripped[-1] in ");{}":
        return True
    return _BLOCK_WORD.search(stripped) is not None


def statements(lines: list[str]) -> list[Stmt]:
    """Cut cleaned lines into statements at ``;`` and block braces; note the enclosing sub."""
    out: list[Stmt] = []
    braces: list[str] = []  # per open brace: "" subscript/hash, "block", or a sub's name
    pending = ""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        start = 0
        for m in re.finditer(r"[;{}]", line):
            ch = m.group()
            piece = line[start : m.start()]
            if ch == "{":
                head = (pending + " " + piece) if pending else piece
                if not _opens_block(head):
                    braces.append("")
                    continue
                sub = _SUB.search(head.rstrip() + " {")
                braces.append(sub.group(1) if sub else "block")
            elif ch == "}":
                kind = braces.pop() if braces else "block"
                if not kind:
                    continue
            head = ((pending + " " + piece) if pending else piece).strip()
            start = m.end()
            pending = ""
            if head:
                out.append(Stmt(head, number, _current_sub(braces)))
                if len(out) >= MAX_STATEMENTS:
                    return out
            if len(braces) > 4096:
                del braces[:2048]
        rest = line[start:].strip()
        if rest:
            pending = (pending + " " + rest) if pending else rest
            if len(pending) > 4000:  # a runaway statement (unbalanced quotes): cut it
                out.append(Stmt(pending, number, _current_sub(braces)))
                pending = ""
    if pending:
        out.append(Stmt(pending, len(lines), _current_sub(braces)))
    return out


def _current_sub(braces: list[str]) -> str:
    names = [b for b in braces if b not in ("", "block")]
    return names[-1] if names else ""


_VAR = r"[\$@%]\{?\^?([A-Za-z_]\w*(?:::\w+)*|\d)\}?"
_ASSIGN = re.compile(
    r"(?:\bmy|\bour|\blocal)?\s*(\((?:\s*[\$@%]\w+\s*,)*\s*[\$@%]\w+\s*\)|[\$@%]\{?[A-Za-z_]\w*\}?"
    r"(?:\s*(?:->)?\s*[\[{][^=;]{0,80}?[\]}])?)\s*(?:\.|\|\||//|\+)?=(?![=~>])"
)
_NAME_IN = re.compile(_VAR)
_CGI_SOURCE = re.compile(
    r"(?<![\w>$])param\s*\(|->\s*(?:param|url_param|Vars|cookie|multi_param|upload)\b"
    r"|\$ENV\s*\{\s*['\"]?(?:QUERY_STRING|CONTENT_LENGTH|HTTP_\w+|REQUEST_URI|PATH_INFO"
    r"|COOKIE)\b|\bread\s*\(\s*STDIN\b|\bsysread\s*\(\s*STDIN\b|\bCGI::Vars\b"
    r"|\$in\s*\{|\bReadParse\b"
)
_STDIN_LINE = re.compile(r"<\s*STDIN\s*>")
_CGI_CONTEXT = re.compile(
    r"Content-[Tt]ype:|\buse\s+CGI\b|\bCGI\s*->\s*new\b|\bnew\s+CGI\b|QUERY_STRING"
    r"|REQUEST_METHOD|CONTENT_LENGTH|\bReadParse\b|->\s*header\s*\("
)
_SOCKET_HANDLE = re.compile(
    r"(?:(?<![\w$])([\$]?\w+)\s*=\s*(?:new\s+IO::Socket(?:::\w+)?|IO::Socket(?:::\w+)?\s*->\s*new)"
    r"|\bsocket\s*\(\s*([\$]?\w+)|\baccept\s*\(\s*(?:my\s+)?([\$]?\w+)"
    r"|([\$]\w+)\s*=\s*\$\w+\s*->\s*accept\b)"
)
_SINKS: tuple[tuple[re.Pattern[str], SinkKind, str], ...] = (
    (re.compile(r"(?<![\w>$&:])system\b\s*\(?"), SinkKind.COMMAND, "system"),
    (re.compile(r"(?<![\w>$&:])exec\b\s*(?=[\s(\"'$])"), SinkKind.COMMAND, "exec"),
    (
        re.compile(r"(?:^|[=(,;!{]|\breturn|\bprint|\bpush\s*\(?\s*@\w+\s*,|\bcho?m?p)\s*`"),
        SinkKind.COMMAND,
        "backticks",
    ),
    (re.compile(r"(?<![\w>$&:])qx\s*[\W]"), SinkKind.COMMAND, "qx"),
    (re.compile(r"(?<![\w>$&:])readpipe\b"), SinkKind.COMMAND, "readpipe"),
    (re.compile(r"(?<![\w>$&:])open\b\s*\(?"), SinkKind.COMMAND, "open"),
    (
        re.compile(r"(?<![\w>$&:])eval\b\s*(?!\{)\(?(?!\s*[\"'](?:require|use)\s)"),
        SinkKind.CODE,
        "eval",
    ),
    (re.compile(r"(?<![\w>$&:])(?:do|require)\s+\$"), SinkKind.CODE, "do/require"),
)
_PIPE_OPEN = re.compile(r"""['"]\s*\||\|\s*['"]|['"]\s*-\||['"]\|-['"]""")
_MATCH = re.compile(r"([\$@%]\{?\w+\}?)\s*=~\s*(?:m|s)?\s*[/{(#!|]")
_FOREACH = re.compile(r"\bfor(?:each)?\s+(?:my\s+|our\s+)?(\$\w+)?\s*\((.*)\)")
_WHILE_READ = re.compile(r"\bwhile\s*\(\s*(?:(?:my\s+)?(\$\w+)\s*=\s*)?<\s*(\$?\w+)\s*>")
_CALL = re.compile(r"(?:&\s*|\b)([A-Za-z_]\w*)\s*\(")
_READ_INTO = re.compile(
    r"\b(?:sys)?read\s*\(\s*(\*?\$?\w+)\s*,\s*(?:my\s+)?\$(\w+)"
    r"|\brecv\s*\(\s*(\$?\w+)\s*,\s*(?:my\s+)?\$(\w+)"
)
_OPENED = re.compile(r"\bopen(?:dir)?\s*\(?\s*(?:my\s+)?\$(\w+)")
_SUB_ARGS = re.compile(r"\bshift\b|@_|\$_\s*\[")
_SPLIT_DEFAULT = re.compile(r"\bsplit\s*\(?\s*/[^/]*/\s*\)?\s*$|\bsplit\s*\(?\s*/[^/]*/\s*\)")

_SHELL_EXEC = re.compile(
    r"(?:\bexec|\bsystem)\b[^;]{0,80}?(?:/bin/(?:ba|z|k|c|tc|da)?sh\b|\bcmd(?:\.exe)?\b|\bsh\s+-i)"
    r"|(?:\bexec|\bsystem)\s*\{?\s*['\"]?\$(?:shell|sh|cmd)\b",
    re.I,
)
_DUP = re.compile(
    r"\bopen\s*\(?\s*\*?STD(?:IN|OUT|ERR)\s*,\s*(?:['\"][<>+]*&=?\s*['\"]?\s*,?|['\"][<>+]*&)"
    r"|\bdup2\s*\(|\bfdopen\s*\("
)
_SOCKET = re.compile(r"\bsocket\s*\(|IO::Socket|\bconnect\s*\(")


#: Object receivers: tainting one would taint every method's result (coarse by-name tracking).
_RECEIVERS = frozenset({"self", "this", "class", "pkg", "package", "proto", "obj"})


@dataclass(slots=True)
class _Taint:
    origin: dict[str, tuple[str, int, str]] = field(
        default_factory=dict
    )  # name -> (label, line, from)

    def add(self, name: str, label: str, line: int, source: str) -> bool:
        if name in self.origin or name in _RECEIVERS:
            return False
        self.origin[name] = (label, line, source)
        return True

    def chain(self, name: str) -> list[Step]:
        steps: list[Step] = []
        seen: set[str] = set()
        while name in self.origin and name not in seen and len(steps) < MAX_STEPS - 1:
            seen.add(name)
            label, line, source = self.origin[name]
            steps.append(Step(label, line))
            name = source
        return list(reversed(steps))


def is_perl(path: str, data: bytes) -> bool:
    dot = path.rfind(".")
    ext = path[dot:].lower() if dot > path.rfind("/") else ""
    if ext == ".pm":
        return False
    if ext in PERL_EXTS or _SHEBANG.match(data):
        return True
    if ext in _FOREIGN:
        return False
    head = data[:65536]
    if _PHP_OR_ASP.search(head):
        return False
    kinds: set[bytes] = set()
    for m in _PERL_MARKERS.finditer(head):  # stop at the third kind of marker
        kinds.add(m.group(0)[:6])
        if len(kinds) >= 3:
            return True
    return False


def _names(text: str, scope: dict[str, str] | None = None) -> Iterator[str]:
    """Variable names used in ``text``; a sub's ``my`` variables are qualified with it."""
    for m in _NAME_IN.finditer(text):
        name = m.group(1)
        yield scope.get(name, name) if scope else name


_MY = re.compile(r"\bmy\s*(\([^)=;]{0,400}\)|[\$@%]\w+)")


def _my_scopes(stmts: list[Stmt]) -> dict[str, dict[str, str]]:
    """For each sub: its ``my`` names -> ``sub::name`` (so two subs' $x stay apart)."""
    scopes: dict[str, dict[str, str]] = {}
    for s in stmts:
        if s.sub:
            for m in _MY.finditer(s.text):
                for n in _NAME_IN.finditer(m.group(1)):
                    scopes.setdefault(s.sub, {})[n.group(1)] = f"{s.sub}::{n.group(1)}"
    return scopes


def _lhs_names(lhs: str) -> list[str]:
    return (
        [m.group(1) for m in _NAME_IN.finditer(lhs)][:8]
        if lhs.startswith("(")
        else [m.group(1) for m in _NAME_IN.finditer(lhs)][:1]
    )


def _taints(
    text: str, taint: _Taint, sources: re.Pattern[str] | None, scope: dict[str, str] | None = None
) -> str | None:
    """The tainted name (or source text) the expression uses, else None."""
    if sources is not None:
        m = sources.search(text)
        if m:
            return "<source>" + m.group(0)
    for name in _names(text, scope):
        if name in taint.origin:
            return name
    return None


@dataclass(frozen=True, slots=True)
class PerlAnalysis:
    """Request-input paths (``analysis``) and network-input paths (``network``)."""

    analysis: Analysis
    network: tuple[FlowPath, ...] = ()


def analyse_perl(data: bytes) -> PerlAnalysis:
    """Request-input and socket-input paths to command/code sinks in a Perl file."""
    text = data[:MAX_BYTES].decode("latin-1")
    stmts = statements(clean(text))
    joined = "\n".join(s.text for s in stmts)
    cgi = _CGI_CONTEXT.search(joined) is not None
    sock_names = {g.lstrip("$") for m in _SOCKET_HANDLE.finditer(joined) for g in m.groups() if g}
    sock_alt = "|".join(re.escape(n) for n in sorted(sock_names) if n)
    net_src = (
        re.compile(
            rf"<\s*\$?(?:{sock_alt})\s*>|\$(?:{sock_alt})\s*->\s*(?:getline|getlines|recv)\b"
            rf"|\b(?:recv|sysread|read)\s*\(\s*\$?(?:{sock_alt})\b"
        )
        if sock_alt
        else None
    )
    cgi_src = re.compile(_CGI_SOURCE.pattern + (("|" + _STDIN_LINE.pattern) if cgi else ""))
    paths: list[FlowPath] = []
    net_paths: list[FlowPath] = []
    sinks: set[str] = set()
    uses_socket = bool(sock_names) or any(_SOCKET.search(s.text) for s in stmts)
    net_reads = frozenset({"*"}) if uses_socket else frozenset()
    if net_src is None and uses_socket:
        net_src = re.compile(r"(?!)")  # only read(h, $buf) on a non-file handle
    runs = ((cgi_src, paths, frozenset({"STDIN"}) if cgi else frozenset()),
            (net_src, net_paths, net_reads))  # fmt: skip
    for source_re, out, reads in runs:
        if source_re is not None:
            taint = _propagate(stmts, source_re, reads)
            out.extend(_sink_paths(stmts, taint, source_re, sinks))
    shell = reverse_shell(stmts)
    if shell is not None:
        net_paths.insert(0, FlowPath(SinkKind.SOCKET, "exec of a shell", shell))
    analysis = Analysis("perl", paths=tuple(paths[:MAX_PATHS]), sinks=tuple(sorted(sinks)))
    return PerlAnalysis(analysis, tuple(net_paths[:MAX_PATHS]))


def _propagate(
    stmts: list[Stmt], source_re: re.Pattern[str], reads: frozenset[str] = frozenset()
) -> _Taint:
    """Taint to a fixpoint; ``reads``: handles whose read(h, $buf) fills $buf with input
    ("*" for any handle not opened as a file)."""
    taint = _Taint()
    deadline = clock() + MAX_SECONDS
    scopes = _my_scopes(stmts)
    files = {m.group(1) for s in stmts for m in _OPENED.finditer(s.text)} if reads else set()
    tainted_subs: set[str] = set()
    for _ in range(MAX_ROUNDS):
        changed = False
        if clock() > deadline:
            break
        for s in stmts:
            t = s.text
            sc = scopes.get(s.sub)

            def q(name: str, sc: dict[str, str] | None = sc) -> str:
                return sc.get(name, name) if sc else name

            src_re: re.Pattern[str] | None = source_re
            if s.sub in tainted_subs:
                src_re = re.compile(source_re.pattern + "|" + _SUB_ARGS.pattern)
            for m in _ASSIGN.finditer(t):
                rhs = t[m.end() :]
                if "_" in taint.origin and _SPLIT_DEFAULT.search(rhs):
                    rhs += " $_"
                via = _taints(rhs, taint, src_re, sc)
                if via is None:
                    continue
                for name in _lhs_names(m.group(1)):
                    if via.startswith("<source>"):
                        label = f"${name} = {_short(via[8:])}..."
                        changed |= taint.add(q(name), label, s.line, "")
                    else:
                        changed |= taint.add(q(name), f"${name} = ...${via}...", s.line, via)
            for m in _READ_INTO.finditer(t) if reads else ():
                handle = (m.group(1) or m.group(3) or "").lstrip("*$")
                if handle in reads or ("*" in reads and handle not in files | {"STDIN"}):
                    buf = m.group(2) or m.group(4) or ""
                    changed |= taint.add(q(buf), f"read from {handle} into ${buf}", s.line, "")
            for m in _WHILE_READ.finditer(t):
                via = _taints(m.group(0), taint, src_re, sc)
                if via is not None:
                    changed |= taint.add(q((m.group(1) or "$_")[1:]), m.group(0)[:60], s.line, "")
            for m in _MATCH.finditer(t):
                lhs = next(_names(m.group(1), sc), "")
                if lhs in taint.origin or (src_re and src_re.search(m.group(1))):
                    for n in range(1, 10):
                        changed |= taint.add(str(n), f"${n} captured from ${lhs}", s.line, lhs)
            fe = _FOREACH.search(t)
            if fe:
                via = _taints(fe.group(2), taint, src_re, sc)
                if via is not None:
                    var = (fe.group(1) or "$_")[1:]
                    came = via if not via.startswith("<") else ""
                    label = f"foreach over {_short(via.removeprefix('<source>'))}"
                    changed |= taint.add(q(var), label, s.line, came)
            for m in _CALL.finditer(t):
                name = m.group(1)
                if name in tainted_subs or name in ("my", "if", "while", "print", "open"):
                    continue
                if _taints(t[m.end() : m.end() + 400], taint, src_re, sc) is not None:
                    tainted_subs.add(name)
                    changed = True
        if not changed:
            break
    return taint


def _sink_paths(
    stmts: list[Stmt], taint: _Taint, source_re: re.Pattern[str], sinks: set[str]
) -> list[FlowPath]:
    out: list[FlowPath] = []
    scopes = _my_scopes(stmts)
    for s in stmts:
        t = s.text
        for rx, kind, name in _SINKS:
            for m in rx.finditer(t):
                arg = t[m.end() :]
                if name == "backticks":
                    end = arg.find("`")
                    if end == -1:
                        continue
                    arg = arg[:end]
                elif name == "qx":
                    arg = t[m.end() - 1 :]
                elif name == "open" and not _PIPE_OPEN.search(arg):
                    continue
                sinks.add(name)
                via = _taints(arg, taint, source_re, scopes.get(s.sub))
                if via is None:
                    continue
                steps = [Step(via[8:], s.line)] if via.startswith("<source>") else taint.chain(via)
                steps.append(Step(f"{name}({_short(arg)})", s.line))
                if len(steps) > MAX_HOPS:
                    continue  # by-name tracking over this many hops is more guess than flow
                out.append(FlowPath(kind, name, tuple(steps[-MAX_STEPS:])))
                if len(out) >= MAX_PATHS:
                    return out
                break
    return out


def _short(text: str) -> str:
    return text.strip()[:60]


def reverse_shell(stmts: list[Stmt]) -> tuple[Step, ...] | None:
    """Socket + standard handles duplicated onto it + a shell started: the three lines."""
    parts = []
    for rx, label in ((_SOCKET, "socket"), (_DUP, "standard handles onto it"),
                      (_SHELL_EXEC, "shell started")):  # fmt: skip
        found = next(((s, m) for s in stmts if (m := rx.search(s.text))), None)
        if found is None:
            return None
        stmt, match = found
        parts.append(Step(f"{label}: {_short(match.group(0))}", stmt.line))
    return tuple(parts)
