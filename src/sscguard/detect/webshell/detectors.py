"""Code-aware web-shell detectors that run after the YARA pass, found through ``DETECTORS``.

Each detector is a pure function of a ``FileContext`` (the file's bytes, its shown path and
the YARA hits) returning findings. A cheap atom test decides whether a file is parsed at all,
so the YARA pass stays the fast prefilter: a PHP file is parsed only when it has both a sink
atom (eval, system, a call through a variable ...) and a source or decoder atom.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sscguard import attack
from sscguard.checks import register
from sscguard.detect.webshell import capability, phptools, scoring
from sscguard.detect.webshell.catalogue import CODE_CHECKS
from sscguard.detect.webshell.flow import Analysis, Budget, FlowPath, SinkKind
from sscguard.detect.webshell.stats import Stats, measure
from sscguard.extract.filetype import extension
from sscguard.model import (
    AttackRef,
    Confidence,
    Evidence,
    Finding,
    Location,
    Severity,
    make_fingerprint,
)
from sscguard.rules.yara import RuleHit
from sscguard.textutil import sanitize

MAX_PATH_EVIDENCE = 2  # explained paths kept per finding

REMEDIATION = (
    "Take the file offline or isolate the host, preserve it with the web server's access logs, "
    "compare it with a known-good copy of the application and remove it; then find how it was "
    "written (upload form, vulnerable plugin, stolen credentials) and rotate the credentials "
    "the web server could reach."
)


@dataclass(slots=True)
class FileContext:
    """One file as the detectors see it."""

    path: str
    data: bytes
    hits: Sequence[RuleHit] = ()
    truncated: bool = False
    #: the gate rules the YARA-X pass matched (data/gates); None when no pass ran
    gates: frozenset[str] | None = None
    #: why an analyser stopped early on this file (reported as ``analysis-bounded`` skips)
    bounded: list[str] = field(default_factory=list)
    #: an earlier detector already reported a high or critical finding on this file
    flagged_high: bool = False
    #: the extension the content says it has, when it differs from the name's (sniff.py)
    ext_override: str | None = None
    _stats: Stats | None = field(default=None, repr=False)
    _longest: int = field(default=-1, repr=False)
    _ext: str | None = field(default=None, repr=False)
    _php: bool | None = field(default=None, repr=False)

    @property
    def ext(self) -> str:
        if self._ext is None:  # every detector asks
            self._ext = self.ext_override or extension(self.path)
        return self._ext

    @property
    def stats(self) -> Stats:
        if self._stats is None:
            self._stats = measure(self.data)
        return self._stats

    def scoring_context(self, dual_use: bool = False) -> scoring.Context:
        builtin = sum(1 for h in self.hits if h.rule.builtin)
        # scoring reads the statistics only when they say "packed", which needs a long token
        stats = self.stats if self.maybe_packed() else None
        return scoring.Context(yara_hits=builtin, stats=stats, dual_use=dual_use)

    def maybe_packed(self) -> bool:
        """Cheap pre-test for ``stats.packed``: a very long token exists (the full
        statistics, entropy and blob ratio, cost ~1 ms more per file)."""
        if self._longest < 0:
            self._longest = max(map(len, self.data[: 256 << 10].split()), default=0)
        return self._longest >= 1000


@dataclass(frozen=True, slots=True)
class Detector:
    """An entry of the registry: the IDs it may emit and the function that runs it."""

    name: str
    ids: tuple[str, ...]
    run: Callable[[FileContext], list[Finding]]


# -- language sniffing and atoms -----------------------------------------------------------

PHP_EXTS = {".php", ".php3", ".php4", ".php5", ".php7", ".phtml", ".pht", ".phps", ".inc"}
_PHP_OPEN = re.compile(rb"<\?(php|=|\s)", re.I)
_DANGER = rb"(assert|eval|system|exec|passthru|shell_exec|popen|proc_open|create_function)"
_PHP_SINK = re.compile(
    rb"(?i)(?<![\w$>:])(eval|assert|system|exec|passthru|popen|proc_open|shell_exec|pcntl_exec"
    rb"|create_function|call_user_func(?:_array)?|register_shutdown_function|ReflectionFunction"
    rb"|array_intersect_ukey|array_diff_ukey|iterator_apply|move_uploaded_file"
    rb"|file_put_contents)\s*\("
    rb"|(?<![\w$>:])(preg_replace|preg_filter)\s*\(\s*(\$|['\"](.)[^'\"]{0,300}?\4[a-zA-Z]*e)"
    rb"|(?<![\w$>:])(array_map|ob_start|array_filter|array_walk|usort|uasort|uksort"
    rb"|xml_set_\w{1,30}_handler|array_uintersect|array_\w{4,9}_uassoc|session_set_save_handler"
    rb"|libxml_set_external_entity_loader)\s*\("
    rb"[^;]{0,120}?(\$_|['\"]" + _DANGER + rb"['\"])"
    rb"|(?:[=(;,.]|echo|print|return)\s*`[^`\n]{0,200}\$"
    rb"|(?<![\w$>:])(include|require)(_once)?\s*\(?\s*\$"
    rb"|(?<![\w$>:])(include|require)(_once)?\b[^;\n]{0,80}?\$_(GET|POST|REQUEST|COOKIE)"
    rb"|\$\{|\$\w+\s*\(|\$_\w+\s*\[[^\]]{0,40}\]\s*\("
    rb"|->\s*invoke(args)?\s*\(|(?<![\w$>:])(fwrite|fputs)\s*\("
    rb"|new\s+\\?(splfileobject|com)\s*\(|(?<![\w$>:])(yaml_parse(_file|_url)?|dl)\s*\("
    rb"|(?<![\w$>:])copy\s*\(\s*\$_|->\s*\w+\s*\)\s*\("
    rb"|\$\w+\s*\[[^\]\n]{0,40}\]\s*\(|(?<![\w$>:])(mb_send_)?mail\s*\((\s*[^,;]{1,150},){4}"
)
_PHP_SOURCE = re.compile(
    rb"(?i)\$_(GET|POST|REQUEST|COOKIE|FILES)|php://input"
    rb"|\$_SERVER\s*\[\s*['\"](HTTP_|QUERY_STRING|REQUEST_URI|PATH_INFO)"
    rb"|getallheaders|apache_request_headers|\$\{|base64_decode|gzinflate|gzuncompress"
    rb"|str_rot13|strrev|hex2bin|convert_uudecode|(?:\\x[0-9a-f]{2}){3}|chr\s*\(\s*\d+\s*\)\s*\."
    rb"|create_function|getenv\s*\(\s*['\"]HTTP_|\$HTTP_(GET|POST|COOKIE|RAW_POST)|\$_SESSION"
    rb"|\$GLOBALS\s*\[\s*['\"]_(GET|POST|REQUEST|COOKIE)|(extract|parse_str)\s*\(\s*\$(_|HTTP_)"
    rb"|(import_request_variables|filter_input|exif_read_data)\s*\(|['\"]_(POST|GET|REQUEST|COOKIE)['\"]"
    rb"|\$\$\w+\s*=[^=]|array_values\s*\(\s*\$_SERVER|(fsockopen|stream_socket_(client|server|accept)|socket_(create|accept))\s*\("
    rb"|(gzdecode|rawurldecode|urldecode)\s*\(\s*['\"]%|pack\s*\(\s*['\"](H\*|c\*|C\*)|chr\s*\(\s*\$"
    rb"|\bnew\s+ReflectionFunction|(fputs|fwrite|file_put_contents)\s*\([^;]{0,200}<\?(php|=|\s)"
    rb"|['\"]<\?php\s*@?(eval|assert|system|passthru|exec|shell_exec)"
    rb"|function\s+\w+\s*\([^)]{0,80}\)\s*\{[^}]{0,400}\b(chr|ord)\s*\("
    rb"|(?<![\w$>:])(eval|assert)\s*\(\s*\$[^\s()\[\]{};,.]{1,120}\s*\)"
    rb"|(str_replace|\$\w+)\s*\(\s*['\"][^'\"]{1,16}['\"]\s*,\s*['\"]['\"]\s*,\s*['\"]"
    rb"|\\x[0-9a-f]{2}\\[0-7]{3}\\x[0-9a-f]{2}|\\[0-7]{3}\\x[0-9a-f]{2}\\[0-7]{3}"
    rb"|getDocComment\s*\("
    rb"|(?<![\w$>:])eval\s*\(\s*(\"[^\"\n]{0,60}\"|'[^'\n]{0,60}')\s*\.\s*['\"]"
)
#: Files a built-in YARA rule already flags are parsed only up to this size (for the
#: explained path); bigger ones would cost parse time without changing the verdict.
EXPLAIN_FLAGGED_BELOW = 16 << 10
MAX_ANALYSED = 1 << 20  # the YARA-X gate and the analyser's time budget bound the cost


def is_php(ctx: FileContext) -> bool:
    if ctx._php is None:  # asked by the dataflow and the capability models
        ctx._php = ctx.ext in PHP_EXTS or _PHP_OPEN.search(ctx.data[:65536]) is not None
    return ctx._php


_QUICK_SOURCES = (
    b"$_get", b"$_post", b"$_request", b"$_cookie", b"$_files", b"$_server", b"php://input",
    b"getallheaders", b"apache_request_headers", b"${", b"base64_decode", b"gzinflate",
    b"gzuncompress", b"str_rot13", b"hex2bin", b"convert_uudecode", b"create_function",
    b"\\x", b"chr(", b"strrev", b"getenv", b"$http_", b"$globals", b"extract", b"parse_str",
    b"import_request_variables", b"filter_input", b"exif_read_data", b"_post", b"_get", b"$$",
    b"fsockopen", b"stream_socket_", b"socket_create", b"socket_accept", b"urldecode",
    b"gzdecode", b"pack",
    b"$_session", b"reflectionfunction", b"fputs", b"fwrite", b"file_put_contents", b"'<?php",
    b'"<?php', b"function", b"eval", b"assert", b"str_replace", b"''", b'""', b"getdoccomment",
)  # fmt: skip


_QUICK_SINKS = (
    b"eval", b"assert", b"system", b"exec", b"passthru", b"popen", b"proc_open",
    b"create_function", b"call_user_func", b"register_shutdown_function", b"reflection",
    b"ukey", b"iterator_apply", b"move_uploaded_file", b"file_put_contents", b"preg_",
    b"array_", b"ob_start", b"sort", b"`", b"include", b"require", b"${", b"invoke", b"fwrite",
    b"fputs", b"xml_set_", b"session_set_save_handler", b"libxml_set", b"splfileobject",
    b"com", b"yaml_parse", b"dl", b"copy", b"mail",
)  # fmt: skip


_QUICK_DYNAMIC = re.compile(rb"\$\w+\s*\(|\]\s*\(|->\s*\w+\s*\)\s*\(")


def php_atoms(data: bytes) -> bool:
    """Cheap test: a source or decoder atom and a sink atom are both present.

    Plain substring tests (C speed) reject most files before the precise regexes run.
    """
    lower = data.lower()
    if not any(atom in lower for atom in _QUICK_SOURCES):
        return False
    if not any(atom in lower for atom in _QUICK_SINKS) and not _QUICK_DYNAMIC.search(data):
        return False
    return _PHP_SINK.search(data) is not None and _PHP_SOURCE.search(data) is not None


# -- finding builders ----------------------------------------------------------------------


def _path_evidence(path: str, flow: FlowPath) -> list[Evidence]:
    out = []
    for step in flow.steps:
        out.append(
            Evidence(
                kind="dataflow-step",
                location=Location(path, line=step.line),
                excerpt=sanitize(step.label, 160),
                detail=f"{flow.kind.value} path to {flow.sink}",
            )
        )
    out.append(
        Evidence(
            kind="dataflow-path",
            location=Location(path, line=flow.steps[-1].line if flow.steps else None),
            excerpt=sanitize(flow.explain(), 400),
            detail="authorisation check around the sink"
            if flow.guarded
            else "no authorisation check",
        )
    )
    return out


def _rank(score: scoring.Score) -> tuple[int, int]:
    return (score.severity.rank, score.confidence.rank)


def path_finding(
    ctx: FileContext,
    rule_id: str,
    title: str,
    why: str,
    refs: tuple[AttackRef, ...],
    paths: Sequence[FlowPath],
    sctx: scoring.Context,
    tags: tuple[str, ...],
) -> Finding:
    """One finding for all paths of one kind in a file, ranked by its best path."""
    scored = sorted(((scoring.score_path(p, sctx), p) for p in paths), key=lambda t: _rank(t[0]))
    best_score, _ = scored[-1]
    evidence: list[Evidence] = []
    for _, flow in reversed(scored[-MAX_PATH_EVIDENCE:]):
        evidence.extend(_path_evidence(ctx.path, flow))
    evidence.extend(
        Evidence("score", Location(ctx.path), "", sanitize(r, 300)) for r in best_score.reasons
    )
    subject = Location(ctx.path)
    return Finding(
        rule_id=rule_id,
        title=title,
        subject=subject,
        attack=refs,
        severity=best_score.severity,
        confidence=best_score.confidence,
        why=why,
        remediation=REMEDIATION,
        evidence=tuple(evidence),
        tags=("dataflow", *tags),
        fingerprint=make_fingerprint(rule_id, subject),
    )


def simple_finding(
    ctx: FileContext,
    rule_id: str,
    title: str,
    why: str,
    refs: tuple[AttackRef, ...],
    score: scoring.Score,
    evidence: Sequence[Evidence],
    tags: tuple[str, ...],
    remediation: str = REMEDIATION,
) -> Finding:
    subject = Location(ctx.path)
    extra = tuple(
        Evidence("score", Location(ctx.path), "", sanitize(r, 300)) for r in score.reasons
    )
    return Finding(
        rule_id=rule_id,
        title=title,
        subject=subject,
        attack=refs,
        severity=score.severity,
        confidence=score.confidence,
        why=why,
        remediation=remediation,
        evidence=(*evidence, *extra),
        tags=tags,
        fingerprint=make_fingerprint(rule_id, subject),
    )


WEB_SHELL = attack.ref("T1505.003", "DS0022 File Creation", "M1047", "M1045")
OBFUSCATED = attack.ref("T1027", "DS0022 File Creation", "M1047")
COMMANDS = attack.ref("T1059", "DS0022 File Creation", "M1047")


# -- language analysers -> findings ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LanguageIds:
    """The rule IDs one language's analysis reports under."""

    language: str
    code: str
    command: str


def analysis_findings(
    ctx: FileContext, analysis: Analysis, ids: LanguageIds, dual_use: bool = False
) -> list[Finding]:
    """Turn one language analysis into findings (paths, decoded layers, packed code)."""
    if analysis.bounded:
        ctx.bounded.append(f"{ids.language} analysis: {analysis.bounded}")
    if not (
        analysis.paths
        or analysis.layers
        or ((analysis.sinks or analysis.dynamic_calls) and ctx.maybe_packed())
    ):
        return []
    sctx = ctx.scoring_context(dual_use)
    lang = ids.language
    out: list[Finding] = []
    code = [p for p in analysis.paths if p.kind is SinkKind.CODE]
    command = [p for p in analysis.paths if p.kind in (SinkKind.COMMAND, SinkKind.SOCKET)]
    writes = [p for p in analysis.paths if p.kind is SinkKind.FILE_WRITE]
    layered = any(p.layer for p in analysis.paths)
    refs = (WEB_SHELL, OBFUSCATED) if layered else (WEB_SHELL,)
    if code:
        out.append(
            path_finding(
                ctx, ids.code, f"Request input reaches code execution ({lang})",
                "Data from the HTTP request flows into a code-execution sink, so whoever can "
                "reach this page can run arbitrary code on the server.",
                refs, code, sctx, (lang,),
            )
        )  # fmt: skip
    if command:
        out.append(
            path_finding(
                ctx, ids.command, f"Request input reaches command execution ({lang})",
                "Data from the HTTP request flows into an operating-system command, so whoever "
                "can reach this page can run commands as the web server user.",
                (*refs, COMMANDS), command, sctx, (lang,),
            )
        )  # fmt: skip
    if writes and not (code or command):
        dropper = any(p.to_script for p in writes)
        out.append(
            path_finding(
                ctx, "SSC-003-402",
                f"Request content written into a server script ({lang})" if dropper
                else f"Request input written to a request-chosen file ({lang})",
                "This page writes content taken whole from the request into a file the web "
                "server runs as code, which lets a visitor install any web shell." if dropper
                else "Both the name and the content of a file written by this page come from "
                "the request, which lets a visitor drop a new web shell anywhere the server "
                "can write.",
                refs, writes, sctx, (lang,),
            )
        )  # fmt: skip
    executed = [layer for layer in analysis.layers if layer.executed]
    if executed and not (code or command):
        layer = executed[0]
        out.append(
            simple_finding(
                ctx, "SSC-003-403", f"Decoded payload executed as code ({lang})",
                "The file decodes a hidden string (" + "/".join(layer.chain) + ") and runs it as "
                "code; legitimate applications do not hide their own source this way.",
                (WEB_SHELL, OBFUSCATED), scoring.score_decoded_execution(sctx),
                [
                    Evidence(
                        "decoded-layer", Location(ctx.path, line=layer.line),
                        sanitize(layer.preview, 160),
                        f"{layer.size} bytes decoded via {'/'.join(layer.chain)}",
                    )
                ],
                ("deobfuscation", lang),
            )
        )  # fmt: skip
    packed = ctx.maybe_packed() and ctx.stats.packed  # the cheap test first
    if not out and packed and (analysis.dynamic_calls or analysis.sinks):
        sinks = analysis.sinks or ("call through a computed name",)
        out.append(
            simple_finding(
                ctx, "SSC-003-411", f"Packed code with execution capability ({lang})",
                "Most of the file is one encoded blob and it can execute code, the shape of a "
                "packed web shell; packed application code is rare and worth a look.",
                (WEB_SHELL, OBFUSCATED), scoring.score_packed(sctx, sinks),
                [
                    Evidence(
                        "statistics", Location(ctx.path), "",
                        f"entropy {ctx.stats.entropy} bits/byte, longest token "
                        f"{ctx.stats.longest_token}, encoded-blob ratio {ctx.stats.blob_ratio}",
                    )
                ],
                ("statistics", lang),
            )
        )  # fmt: skip
    return out


def _worth_parsing(ctx: FileContext) -> bool:
    """Parse what YARA did not already flag, and small flagged files for the explanation."""
    if len(ctx.data) > MAX_ANALYSED:
        return False
    flagged = any(h.rule.builtin and h.rule.severity >= Severity.MEDIUM for h in ctx.hits)
    return not flagged or len(ctx.data) < EXPLAIN_FLAGGED_BELOW


_DUAL_USE_FEATURES = (
    rb"move_uploaded_file", rb"ZipArchive|gzopen|PharData", rb"\bchmod\s*\(", rb"\brename\s*\(",
    rb"\bunlink\s*\(", rb"\bmkdir\s*\(", rb"mysqli?_connect|new\s+PDO|pg_connect",
    rb"<textarea", rb"\bscandir\s*\(|\bopendir\s*\(",
)  # fmt: skip
_DUAL_USE_AUTH = re.compile(
    rb"password_verify|password_hash|\$_SESSION\s*\[[^\]]*(logged|auth|user)"
)
#: an identity header near the top: licence, version, copyright, project link
_PUBLISHED_IDENTITY = re.compile(
    rb"(?i)(@license|@link|@version|copyright|licen[cs]ed under|\(c\) \d{4}|github\.com/)"
)


def is_published_tool(data: bytes, login: re.Pattern[bytes], min_size: int = 40_000) -> bool:
    """The shape every language's dual-use category shares: a large page with an identity
    header near the top and its own login (``login`` is the language's login test)."""
    return (
        len(data) >= min_size
        and _PUBLISHED_IDENTITY.search(data[:4096]) is not None
        and login.search(data) is not None
    )


def is_dual_use(data: bytes) -> bool:
    """A published PHP administration tool: a file manager or database client with a login.

    Large, many administration features, its own authentication, and an identity header
    (licence, version, project link) near the top; web shells rarely carry all four.
    """
    if not is_published_tool(data, _DUAL_USE_AUTH):
        return False
    return sum(1 for f in _DUAL_USE_FEATURES if re.search(f, data)) >= 5


PHP_IDS = LanguageIds("php", "SSC-003-400", "SSC-003-401")


#: Gate shapes tested here instead of in data/gates/php.yar (see the note there): their
#: only YARA-X atoms are frequent short strings, which made them the costliest gate strings.
#: Same semantics as the YARA-X expressions, arranged for Python's literal-prefix search:
#: the source shape is matched case-sensitively on the lower-cased bytes (only A-Z change,
#: none of its classes), the backtick shape as "backtick ... $" forwards, then its prefix
#: ``([=(;,.]|echo|print|return)\s*`` by looking back from the backtick.
_GATE_SOURCE_RX = re.compile(rb"function\s+\w+\s*\([^)]{0,80}\)\s*\{[^}]{0,400}\b(?:chr|ord)\s*\(")
_GATE_SINK_CALL_RX = re.compile(rb"\$\w+\s*\(")
_GATE_TICK_RX = re.compile(rb"`[^`\n]{0,200}\$")
_SPACE = frozenset(b" \t\n\r\f\v")


def _tick_sink(data: bytes) -> bool:
    """``/([=(;,.]|echo|print|return)\\s*`[^`\\n]{0,200}\\$/ nocase`` (PHP's shell-exec
    operator fed a variable)."""
    for match in _GATE_TICK_RX.finditer(data):
        end = match.start() - 1
        while end >= 0 and data[end] in _SPACE:  # runs before two backticks never overlap
            end -= 1
        if end < 0:
            continue
        if data[end] in b"=(;,." or data[max(0, end - 5) : end + 1].lower().endswith(
            (b"echo", b"print", b"return")
        ):
            return True
    return False


def php_gate(data: bytes, gates: frozenset[str]) -> bool:
    """The PHP gate from the YARA-X gate rules that matched plus the three shapes kept in
    Python; each of those runs only when its half of the gate is still undecided."""
    if "php_sink" not in gates and not (
        _GATE_SINK_CALL_RX.search(data) or (b"`" in data and _tick_sink(data))
    ):
        return False
    return "php_source" in gates or _GATE_SOURCE_RX.search(data.lower()) is not None


def _php_gate(ctx: FileContext) -> bool:
    """A source or decoder and a sink: from the YARA-X gate rules when the scan ran them,
    else from the (slower) regular expressions of ``php_atoms``."""
    if ctx.gates is not None:
        return php_gate(ctx.data, ctx.gates)
    return php_atoms(ctx.data)


def detect_php(ctx: FileContext) -> list[Finding]:
    if not is_php(ctx) or not _worth_parsing(ctx) or not _php_gate(ctx):
        return []
    from sscguard.detect.webshell.php import analyse_php

    analysis = analyse_php(ctx.data, Budget())
    dual_use = not analysis.layers and is_dual_use(ctx.data)
    out = analysis_findings(ctx, analysis, PHP_IDS, dual_use)
    if dual_use:
        out.append(
            simple_finding(
                ctx, "SSC-003-412", "Dual-use administration tool (file manager, database client)",
                "The file is a published administration tool with its own login; it is "
                "legitimate software that attackers also drop, so confirm someone installed it "
                "on purpose.",
                (WEB_SHELL,),
                scoring.score_simple(Severity.LOW, Confidence.MEDIUM, "dual-use category: low"),
                [Evidence("dual-use", Location(ctx.path), "", "large, own login, identity header, "
                          ">= 5 administration features")],
                ("dual-use", "php"),
                remediation="Confirm with the site owner that the tool was installed on purpose; "
                "if not, remove it; if so, restrict it by IP and strong authentication.",
            )
        )  # fmt: skip
    return out


def _detect_jsp(ctx: FileContext) -> list[Finding]:
    from sscguard.detect.webshell.jsp import detect_jsp  # imports this module: load it late

    return detect_jsp(ctx)


def _detect_dotnet(ctx: FileContext) -> list[Finding]:
    from sscguard.detect.webshell.dotnet import detect_dotnet

    return detect_dotnet(ctx)


def detect_asp(ctx: FileContext) -> list[Finding]:
    """Classic ASP (VBScript/JScript): see asp_detect.py (imported when first needed)."""
    from sscguard.detect.webshell.asp_detect import detect_asp as run

    return run(ctx)


def detect_polyglot(ctx: FileContext) -> list[Finding]:
    """.htaccess/.user.ini and image polyglots (polyglot.py imports this module: lazy)."""
    from sscguard.detect.webshell.polyglot import detect

    return detect(ctx)


PERL_IDS = LanguageIds("perl", "SSC-003-470", "SSC-003-471")
_PERL_SINK_ATOMS = (b"system", b"exec", b"`", b"qx", b"open", b"eval", b"readpipe", b"require")


PYTHON_IDS = LanguageIds("python", "SSC-003-473", "SSC-003-474")
_PYTHON_SINK_ATOMS = (b"system", b"popen", b"subprocess", b"eval", b"exec", b"spawn",
                      b"pickle", b"marshal", b"import", b"yaml.load")  # fmt: skip
_PYTHON_SOURCE_ATOMS = (
    b"FieldStorage", b"QUERY_STRING", b"HTTP_", b"REQUEST_URI", b"PATH_INFO", b"wsgi.input",
    b"stdin", b"recv", b"request.args", b"request.form", b"request.values", b"request.GET",
    b"request.POST", b"request.cookies", b"request.headers", b"request.data", b"request.json",
    b"request.get_json", b"request.files", b"request.body", b"request.query", b"request.params",
    b"request.COOKIES", b"request.META", b"request.FILES", b"request.stream",
    b"request.get_data", b"request.query_string",
)  # fmt: skip


def detect_python(ctx: FileContext) -> list[Finding]:
    """Python CGI/WSGI scripts: request input to code or command execution."""
    from sscguard.detect.webshell import pyscript

    if not _worth_parsing(ctx) or not pyscript.is_python(ctx.path, ctx.data):
        return []
    data = ctx.data
    if not any(a in data for a in _PYTHON_SINK_ATOMS) or not any(
        a in data for a in _PYTHON_SOURCE_ATOMS
    ):
        return []
    return analysis_findings(ctx, pyscript.analyse_python(data, Budget()), PYTHON_IDS)


def _detect_sniffed(ctx: FileContext) -> list[Finding]:
    """UTF-16 text and pages of another server language than the name says (sniff.py)."""
    from sscguard.detect.webshell.sniff import detect

    return detect(ctx)


def _detect_obf(ctx: FileContext) -> list[Finding]:
    """Non-alphanumeric, reversed, XSLT and name-table obfuscation (phpobf.py)."""
    from sscguard.detect.webshell.phpobf import detect

    return detect(ctx)


def detect_perl(ctx: FileContext) -> list[Finding]:
    """Perl CGI shells (request input to commands/eval) and Perl reverse shells or bots."""
    from sscguard.detect.webshell import perl

    if not _worth_parsing(ctx) or not perl.is_perl(ctx.path, ctx.data):
        return []
    if not any(a in ctx.data for a in _PERL_SINK_ATOMS):
        return []
    result = perl.analyse_perl(ctx.data)
    out = analysis_findings(ctx, result.analysis, PERL_IDS)
    if result.network:
        out.append(
            path_finding(
                ctx, "SSC-003-472", "Network connection drives a shell (Perl reverse shell or bot)",
                "The script opens a socket and either hands the standard handles of a shell to "
                "it or runs commands it reads from it, so whoever is at the other end controls "
                "the server.",
                (WEB_SHELL, COMMANDS), result.network, ctx.scoring_context(), ("perl", "network"),
            )
        )  # fmt: skip
    return out


#: The registry, in the order detectors run. IDs must be unique across entries.
DETECTORS: tuple[Detector, ...] = (
    Detector(
        "php-dataflow",
        ("SSC-003-400", "SSC-003-401", "SSC-003-402", "SSC-003-403", "SSC-003-411", "SSC-003-412"),
        detect_php,
    ),
    Detector(
        "jsp-dataflow",
        (
            "SSC-003-404",
            "SSC-003-420",
            "SSC-003-421",
            "SSC-003-422",
            "SSC-003-423",
            "SSC-003-424",
            "SSC-003-425",
            "SSC-003-426",
            "SSC-003-403",
            "SSC-003-411",
        ),
        _detect_jsp,
    ),
    Detector(
        "aspx-dataflow",
        ("SSC-003-405", "SSC-003-430", "SSC-003-402", *(f"SSC-003-{n}" for n in range(431, 439))),
        _detect_dotnet,
    ),
    Detector(
        "asp-dataflow",
        ("SSC-003-406", *(f"SSC-003-{n}" for n in range(440, 448)), "SSC-003-403", "SSC-003-411"),
        detect_asp,
    ),
    Detector("config-and-polyglot", ("SSC-003-408", "SSC-003-409"), detect_polyglot),
    Detector(
        "perl-taint", ("SSC-003-470", "SSC-003-471", "SSC-003-472", "SSC-003-411"), detect_perl
    ),
    Detector("python-taint", ("SSC-003-473", "SSC-003-474", "SSC-003-411"), detect_python),
    Detector("php-capability", capability.ALL_IDS, capability.detect),
    Detector("php-tools", phptools.ALL_IDS, phptools.detect),
    Detector("content-sniff", (), _detect_sniffed),  # reports the other detectors' IDs
    Detector("php-obfuscation", tuple(f"SSC-003-{n}" for n in range(480, 485)), _detect_obf),
)


def check_registry(detectors: Sequence[Detector] = DETECTORS) -> None:
    """Raise ``ValueError`` when two detectors claim the same ID (a coding error)."""
    seen: dict[str, str] = {}
    for det in detectors:
        for rule_id in det.ids:
            if rule_id in seen and seen[rule_id] != det.name:
                shared = {"SSC-003-402", "SSC-003-403", "SSC-003-411"}
                if rule_id not in shared:
                    raise ValueError(
                        f"duplicate detector id {rule_id} ({seen[rule_id]}, {det.name})"
                    )
            seen.setdefault(rule_id, det.name)


for _rule_id in dict.fromkeys(i for det in DETECTORS for i in det.ids):
    register(CODE_CHECKS[_rule_id], "code-analysis")  # KeyError: add it to catalogue.py


def run_detectors(
    path: str,
    data: bytes,
    hits: Sequence[RuleHit],
    truncated: bool = False,
    gates: frozenset[str] | None = None,
    bounded: list[str] | None = None,
) -> list[Finding]:
    """Every registered detector on one file; a detector's own bounds keep this cheap.

    When an analyser stops at a bound (time, nodes, decoded bytes, parse time) the reason is
    appended to ``bounded``: the file was still matched by every YARA rule, but its code was
    not analysed to the end, and a report should say so."""
    ctx = FileContext(path, data, hits, truncated, gates)
    out: list[Finding] = []
    for det in DETECTORS:
        found = det.run(ctx)
        out.extend(found)
        if not ctx.flagged_high:
            ctx.flagged_high = any(f.severity >= Severity.HIGH for f in found)
    if bounded is not None:
        bounded.extend(dict.fromkeys(ctx.bounded))
    return out


__all__ = ["DETECTORS", "Detector", "FileContext", "Severity", "run_detectors"]
