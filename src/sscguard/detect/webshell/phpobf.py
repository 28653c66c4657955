"""PHP obfuscation shapes the dataflow analysis cannot see through on its own.

Four behaviours, each behind a cheap byte test so ordinary files cost one or two C-speed
searches:

* SSC-003-480 non-alphanumeric code: the PHP code (strings and comments blanked out) is
  built from ``$_``/``$__`` variables, operators and punctuation only (strings XOR-ed or
  incremented into names), and either calls through such a variable or is nothing else.
  Nobody writes application code without letters; a code generator that hides names does.
* SSC-003-481 source stored reversed: ``;)]'a'[TSOP_$ ... (lave`` is a whole PHP file run
  through ``strrev``, read back and evaluated by a loader. The reversed text is analysed as
  PHP and its request-to-sink paths reported at the original line numbers.
* SSC-003-482 XSLT or XPath that calls PHP: a stylesheet or XPath expression calling
  ``php:function('system'|'assert'|...)``, or ``registerPHPFunctions`` with a query the
  request supplies: code execution through the XSL/DOM extensions, with no eval in sight.
* SSC-003-483 runtime name table: many variables named by the file's own decoder
  (``${f("x#1")}``) or an indexed name table (``$GLOBALS['k'][3](...)``) and then called;
  a packer's output, the names of the functions it calls exist only at run time.

Also two helpers for the PHP analyser: ``ascii_identifiers`` maps variable names built of
characters the parser does not accept (emoji and other astral-plane characters) to ASCII
names of the same byte length, so ``$😭($_GET['👽'])`` is analysed like ``$x($_GET['y'])``;
``extra_gate`` passes files whose only sink the main gate cannot see (``preg_replace`` with
a decoded pattern, ``eval/* junk */(...)``) to the PHP analysis.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from sscguard import attack
from sscguard.detect.webshell import scoring
from sscguard.detect.webshell.detectors import (
    MAX_ANALYSED,
    OBFUSCATED,
    PHP_IDS,
    WEB_SHELL,
    FileContext,
    analysis_findings,
    is_php,
    php_atoms,
    php_gate,
    simple_finding,
)
from sscguard.detect.webshell.flow import Budget, SinkKind
from sscguard.model import Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import sanitize as _sanitize

IDS = ("SSC-003-480", "SSC-003-481", "SSC-003-482", "SSC-003-483", "SSC-003-484")
COMMANDS = attack.ref("T1059", "DS0022 File Creation", "M1047")

# -- a same-length blanking tokeniser ------------------------------------------------------

#: string literals and comments of PHP code; heredocs are left alone (rare in such code)
_LEXEMES = re.compile(
    rb"'(?:[^'\\]|\\.)*(?:'|\Z)"
    rb'|"(?:[^"\\]|\\.)*(?:"|\Z)'
    rb"|/\*.*?(?:\*/|\Z)"
    rb"|(?://|#)[^\n]*?(?=\?>|\n|\Z)",
    re.S,
)
_NOT_NEWLINE = re.compile(rb"[^\n]")


def _blank(match: re.Match[bytes]) -> bytes:
    text = match.group(0)
    if text[:1] in (b"'", b'"'):  # keep the quotes: a string is still an operand
        inner = _NOT_NEWLINE.sub(b" ", text[1:-1]) if len(text) > 1 else b""
        return text[:1] + inner + (text[-1:] if len(text) > 1 else b"")
    return _NOT_NEWLINE.sub(b" ", text)


def blank_literals(code: bytes) -> bytes:
    """``code`` with every string literal's content and every comment replaced by spaces
    (newlines kept): same length and same line numbers, letters left only in code."""
    return _LEXEMES.sub(_blank, code)


def php_regions(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(offset, code) of each ``<?php ... ?>`` region (``?>`` inside a string ends it early:
    the regions are for statistics, not for parsing)."""
    at = data.find(b"<?")
    while at >= 0:
        start = at + 2
        if data[start : start + 3].lower() == b"php":
            start += 3
        elif data[start : start + 1] == b"=":
            start += 1
        end = data.find(b"?>", start)
        if end < 0:
            yield start, data[start:]
            return
        yield start, data[start:end]
        at = data.find(b"<?", end + 2)


def sanitize(raw: bytes, limit: int) -> str:
    return _sanitize(raw.decode("utf-8", "replace"), limit)


def _flagged(ctx: FileContext) -> bool:
    """Already flagged (a built-in YARA rule of medium or more, or a high finding): the
    second-chance analysis would only add an explanation, at the cost of a parse."""
    return ctx.flagged_high or any(
        h.rule.builtin and h.rule.severity >= Severity.MEDIUM for h in ctx.hits
    )


def _gated(ctx: FileContext, gate: str) -> bool | None:
    """Whether the YARA-X gate rule ``gate`` (data/gates/phpobf.yar) matched the file, or
    None when no YARA-X pass ran (the caller then tests the atoms itself)."""
    return None if ctx.gates is None else gate in ctx.gates


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# -- SSC-003-480 non-alphanumeric code -----------------------------------------------------

_USCORE_VAR = re.compile(rb"\$_+(?![\w\x80-\xff])")
_USCORE_CALL = re.compile(
    rb"\$_+\s*(?:(?:\[(?:[^\[\]\n]|\[[^\]\n]{0,20}\]){0,60}\]|\{[^}\n]{0,60}\})\s*)*\("
)
_ALNUM = re.compile(rb"[A-Za-z0-9\x80-\xff]")
_SPACE = re.compile(rb"\s")
MIN_USCORE = 4
#: a variable named only with underscores being assigned, indexed or read indirectly
_USCORE_ATOMS = (b"$__", b"$_=", b"$_ =", b"$_[", b"${$_", b"$_.", b"$_(")
MAX_BYTES_PER_USCORE = 60  # region bytes per ``$_``-only variable, at most
MIN_CODE = 40  # non-blank code bytes
MAX_ALNUM = 0.08  # share of letters and digits in the code


@dataclass(frozen=True, slots=True)
class NonAlnum:
    line: int
    call_line: int | None
    code: int
    alnum: int
    excerpt: bytes


def non_alphanumeric(data: bytes, gated: bool | None = None) -> NonAlnum | None:
    """The region of PHP code written without letters, or None (``gated``: whether the
    YARA-X gate saw an atom, None when no YARA-X pass ran)."""
    if gated is False or (gated is None and not any(a in data for a in _USCORE_ATOMS)):
        return None
    if len(_USCORE_VAR.findall(data, 0, MAX_ANALYSED)) < MIN_USCORE:
        return None
    best: NonAlnum | None = None
    for offset, code in php_regions(data[:MAX_ANALYSED]):
        if len(_USCORE_VAR.findall(code)) * MAX_BYTES_PER_USCORE < len(code.strip()):
            continue  # a few such names in a large region: not code written without letters
        blanked = blank_literals(code)
        if len(_USCORE_VAR.findall(blanked)) < MIN_USCORE:
            continue
        size = len(blanked) - len(_SPACE.findall(blanked))
        alnum = len(_ALNUM.findall(blanked))
        if size < MIN_CODE or alnum > MAX_ALNUM * size:
            continue
        call = _USCORE_CALL.search(blanked)
        found = NonAlnum(
            line=_line(data, offset + len(code) - len(code.lstrip())),
            call_line=_line(data, offset + call.start()) if call else None,
            code=size,
            alnum=alnum,
            excerpt=code.strip()[:120],
        )
        if best is None or (found.call_line, found.code) > (best.call_line, best.code):
            best = found
    if best is None or (best.call_line is None and best.alnum > 0.02 * best.code):
        return None  # neither a call through such a name nor nothing but such code
    return best


# -- helpers for the PHP analyser ----------------------------------------------------------

_ASTRAL_VAR = re.compile(rb"\$[\w\x80-\xff]*[\xf0-\xf4][\x80-\xbf]{3}[\w\x80-\xff]*")
_ASTRAL_CHAR = re.compile(rb"[\xf0-\xf4][\x80-\xbf]{3}")
_B36 = b"0123456789abcdefghijklmnopqrstuvwxyz"


def ascii_identifiers(data: bytes) -> bytes | None:
    """``data`` with each astral-plane character (4 UTF-8 bytes: emoji ...) inside a variable
    name replaced by a unique 4-byte ASCII name part, or None when there is none to replace.

    tree-sitter's PHP grammar rejects these characters (PHP accepts any byte >= 0x80 in a
    name), which broke the parse of whole statements. Only variables used at least twice
    are touched, so binary payloads in string literals stay intact in practice."""
    if b"$" not in data or _ASTRAL_CHAR.search(data) is None:
        return None
    names: dict[bytes, int] = {}
    for match in _ASTRAL_VAR.finditer(data):
        names[match.group(0)] = names.get(match.group(0), 0) + 1
    used = {name for name, count in names.items() if count >= 2}
    if not used:
        return None
    codes: dict[bytes, bytes] = {}

    def code(char: re.Match[bytes]) -> bytes:
        got = codes.get(char.group(0))
        if got is None:
            n = len(codes)
            got = b"Z" + bytes((_B36[n // 1296 % 36], _B36[n // 36 % 36], _B36[n % 36]))
            codes[char.group(0)] = got
        return got

    def rename(match: re.Match[bytes]) -> bytes:
        name = match.group(0)
        return _ASTRAL_CHAR.sub(code, name) if name in used else name

    return _ASTRAL_VAR.sub(rename, data)


_DECODED_PATTERN = re.compile(
    rb"(?i)(?<![\w$>:])(?:preg_replace|preg_filter|mb_ereg_replace)\s*\(\s*@?\s*"
    rb"(?:base64_decode|str_rot13|strrev|gzinflate|gzuncompress|hex2bin|urldecode"
    rb"|rawurldecode|convert_uudecode|pack|chr)\s*\("
)


_SPLIT_SINK = re.compile(
    rb"(?i)(?<![\w$>:])(?:eval|assert|system|exec|passthru|shell_exec|popen|proc_open"
    rb"|create_function|call_user_func)\s*/\*[^*]{0,200}\*/\s*\("
)


_TABLE_CALL = re.compile(
    rb"\$GLOBALS\s*\[[^\]\n]{1,40}\]\s*(?:\[[^\]\n]{1,20}\]\s*)?\(|"
    rb"\$[\w\x80-\xff]*[\xf0-\xf4][\x80-\xbf]{3}[\w\x80-\xff]*\s*\("
)


def extra_gate(ctx: FileContext) -> bool:
    """A file the main PHP gate skipped that still has a sink: a ``preg_replace`` whose
    pattern is itself decoded at run time (``/e`` hidden in base64), a sink call with a
    comment between the name and its arguments (``eval/* junk */(...)``), or a call through
    ``$GLOBALS['name']`` or an emoji-named variable."""
    data = ctx.data
    if _gated(ctx, "phpobf_extra") is False:
        return False
    pattern = b"preg_" in data or b"ereg_" in data
    table = b"$GLOBALS" in data or _ASTRAL_CHAR.search(data) is not None
    if not pattern and not table and b"*/" not in data:
        return False
    if ctx.gates is not None and php_gate(data, ctx.gates):
        return False  # the PHP detector analysed it already
    if ctx.gates is None and php_atoms(data):
        return False
    if pattern and _DECODED_PATTERN.search(data) is not None:
        return True
    if table and _TABLE_CALL.search(data) is not None:
        return True
    return b"*/" in data and _SPLIT_SINK.search(data) is not None


# -- SSC-003-481 reversed source -----------------------------------------------------------

_REV_SOURCE = re.compile(rb"\](?:[^\[\n]{0,60})\[\s*(?:TSOP|TEG|TSEUQER|EIKOOC|SELIF)_\$")
_REV_SINK = re.compile(
    rb"\(\s*(?:lave|tressa|metsys|cexe|cexe_llehs|urhtssap|nepop|nepo_corp"
    rb"|cnuf_resu_llac|yarra_cnuf_resu_llac|noitcnuf_etaerc)(?![\w$])"
    rb"|php\?<"
)
MAX_REV_EVIDENCE = 3


def _reversed_findings(ctx: FileContext) -> list[Finding]:
    data = ctx.data
    head = data  # detect() passes files up to MAX_ANALYSED only
    if _gated(ctx, "phpobf_reversed") is False or b"_$" not in head:
        return []
    sources = list(_REV_SOURCE.finditer(head))
    if not sources or _REV_SINK.search(head) is None:
        return []
    from sscguard.detect.webshell.php import analyse_php

    text = head[::-1]
    total = head.count(b"\n") + 1
    analysis = analyse_php(text, Budget())
    if analysis.bounded:
        ctx.bounded.append(f"reversed php analysis: {analysis.bounded}")

    def original(line: int | None) -> int | None:
        return None if line is None else max(1, total - line + 1)

    evidence = [
        Evidence(
            "reversed-source", Location(ctx.path, line=_line(data, m.start())),
            sanitize(m.group(0)[::-1], 120), "request input written backwards",
        )
        for m in sources[:MAX_REV_EVIDENCE]
    ]  # fmt: skip
    paths = [p for p in analysis.paths if p.kind in (SinkKind.CODE, SinkKind.COMMAND)]
    for flow in paths[:2]:
        evidence.extend(
            Evidence(
                "dataflow-step", Location(ctx.path, line=original(step.line)),
                _sanitize(step.label, 160),
                f"{flow.kind.value} path to {flow.sink} (reversed text)",
            )
            for step in flow.steps
        )  # fmt: skip
    if paths:
        score = scoring.score_simple(
            Severity.HIGH, Confidence.HIGH, "reversed text: request input reaches a sink: high"
        )
    else:
        score = scoring.score_simple(
            Severity.MEDIUM, Confidence.MEDIUM,
            "reversed request input and reversed sink names, no path resolved: medium",
        )  # fmt: skip
    return [
        simple_finding(
            ctx, "SSC-003-481", "PHP source stored reversed (strrev)",
            "The file is PHP code written backwards, with request input and execution "
            "functions reversed, which a loader turns around with strrev and runs; "
            "applications never store their source this way.",
            (WEB_SHELL, OBFUSCATED), score, evidence, ("obfuscation", "php"),
        )
    ]  # fmt: skip


# -- SSC-003-482 XSLT / XPath calling PHP --------------------------------------------------

_SINK_NAMES = (
    rb"assert|system|exec|passthru|shell_exec|popen|proc_open|pcntl_exec|eval|create_function"
    rb"|call_user_func|call_user_func_array|file_put_contents|include|require"
)
_XSL_PHP_CALL = re.compile(
    rb"(?i)\b[\w.-]{1,20}:function(?:String)?\s*\(\s*(?:&apos;|&quot;|['\"])\s*\\?(?:"
    + _SINK_NAMES
    + rb")\s*(?:&apos;|&quot;|['\"])"
)
_PHP_NS = re.compile(rb"(?i)http://php\.net/(?:xsl|xpath)")
_REGISTER = re.compile(rb"(?i)registerphpfunctions")
_REQUEST_QUERY = re.compile(
    rb"(?i)->\s*(?:query|evaluate|transformTo(?:Xml|Doc|Uri))\s*\(\s*[^;]{0,80}?"
    rb"\$_(?:GET|POST|REQUEST|COOKIE)\b"
)


def _xslt_findings(ctx: FileContext) -> list[Finding]:
    data = ctx.data
    if _gated(ctx, "phpobf_xslt") is False:
        return []
    register = _REGISTER.search(data)
    namespace = _PHP_NS.search(data)
    if register is None and namespace is None:
        return []
    call = _XSL_PHP_CALL.search(data)
    query = _REQUEST_QUERY.search(data) if register is not None else None
    if call is None and query is None:
        return []
    evidence = []
    for match, what in (
        (call, "XSL/XPath expression calls a PHP execution function"),
        (query, "request input is the XPath/XSL the document runs"),
        (register, "PHP functions are callable from XPath/XSL"),
    ):
        if match is not None:
            evidence.append(
                Evidence(
                    "xslt-php", Location(ctx.path, line=_line(data, match.start())),
                    sanitize(match.group(0), 120), what,
                )
            )  # fmt: skip
    score = scoring.score_simple(
        Severity.HIGH,
        Confidence.MEDIUM,
        "XSLT/XPath made to call PHP execution functions: high",
    )
    return [
        simple_finding(
            ctx, "SSC-003-482", "XSLT or XPath runs PHP execution functions",
            "The XSL or DOM extension is made to call PHP functions such as system or assert "
            "from a stylesheet or XPath expression (php:function), code execution that never "
            "names eval in PHP code.",
            (WEB_SHELL, COMMANDS), score, evidence, ("obfuscation", "php", "xslt"),
        )
    ]  # fmt: skip


# -- SSC-003-483 runtime name table --------------------------------------------------------

_DECODED_NAME = re.compile(
    rb"\$\{\s*@?[A-Za-z_\x80-\xff][\w\x80-\xff]{0,60}\s*\(\s*(?:\"[^\"\n]{1,80}\"|'[^'\n]{1,80}')"
    rb"\s*\)\s*\}"
)
_GLOBAL_TABLE_CALL = re.compile(
    rb"\$GLOBALS\s*\[\s*['\"][^'\"\n]{1,40}['\"]\s*\]\s*\[\s*\d{1,5}\s*\]\s*\("
)
MIN_NAMES = 8
MIN_CALLS = 3


def _name_table_findings(ctx: FileContext) -> list[Finding]:
    if _gated(ctx, "phpobf_table") is False:
        return []
    data = ctx.data
    names = b"${" in data and data.count(b"${", 0, MAX_ANALYSED) >= MIN_NAMES
    tables = b"$GLOBALS[" in data and data.count(b"$GLOBALS", 0, MAX_ANALYSED) >= MIN_NAMES
    if not names and not tables:
        return []
    decoded = _DECODED_NAME.findall(data) if names else []
    called = []
    if len(decoded) >= MIN_NAMES:
        called = [
            m
            for m in _DECODED_NAME.finditer(data)
            if data[m.end() : m.end() + 8].lstrip()[:1] == b"("
        ]
    table = _GLOBAL_TABLE_CALL.findall(data) if tables else []
    if not (len(decoded) >= MIN_NAMES and len(called) >= MIN_CALLS) and len(table) < MIN_NAMES:
        return []
    first = called[0] if called else _GLOBAL_TABLE_CALL.search(data)
    assert first is not None
    detail = (
        f"{len(decoded)} variables named by a decoder call, {len(called)} of them called"
        if called
        else f"{len(table)} calls through an indexed name table"
    )
    score = scoring.score_simple(
        Severity.MEDIUM, Confidence.MEDIUM, "function names exist only at run time: medium"
    )
    return [
        simple_finding(
            ctx, "SSC-003-483", "Functions called through a runtime-decoded name table (PHP)",
            "The file calls functions through names that its own decoder or an indexed table "
            "produces only at run time, the output of a packer hiding which functions run; "
            "application code names what it calls.",
            (WEB_SHELL, OBFUSCATED),
            score,
            [Evidence("name-table", Location(ctx.path, line=_line(data, first.start())),
                      sanitize(first.group(0), 120), detail)],
            ("obfuscation", "php"),
        )
    ]  # fmt: skip


# -- SSC-003-484 machine-named encoded code ------------------------------------------------

_VAR_NAME = re.compile(rb"\$([A-Za-z_\x80-\xff][\w\x80-\xff]{0,80})")
_HIGH = re.compile(rb"[\x80-\xff]")
_HIGH_NAME = re.compile(rb"\$[\x80-\xff][\w\x80-\xff]{0,80}")
_EXEC = re.compile(
    rb"(?i)(?<![\w$>:])(?:eval|assert|create_function)\s*\(|\$[\w\x80-\xff]*[\x80-\xff]"
    rb"[\w\x80-\xff]*\s*\("
)
MIN_HIGH_NAMES = 12
MACHINE_HEAD = 32 << 10
HIGH_SHARE = 0.7


def _machine_named_findings(ctx: FileContext) -> list[Finding]:
    if ctx.data.isascii():
        return []
    data = ctx.data
    head = data[:MACHINE_HEAD]  # an encoder stub names its variables near the top
    counts = Counter(_HIGH_NAME.findall(head))
    if sum(1 for c in counts.values() if c >= 2) < MIN_HIGH_NAMES:
        return []  # an encoder reuses its names; "$<bytes>" in a binary literal does not
    # count names in code only: a binary blob in a string literal is full of "$<bytes>"
    code = blank_literals(head)
    names = set(_VAR_NAME.findall(code))
    high = [n for n in names if _HIGH.search(n)]
    if len(high) < MIN_HIGH_NAMES or len(high) < HIGH_SHARE * len(names):
        return []
    run = _EXEC.search(code)
    if run is None:
        return []
    score = scoring.score_simple(
        Severity.MEDIUM, Confidence.MEDIUM,
        "encoder output (names of non-ASCII bytes) that executes code: medium",
    )  # fmt: skip
    return [
        simple_finding(
            ctx, "SSC-003-484", "Encoded PHP with machine-generated names runs code",
            "Nearly every variable in the code is named with non-ASCII bytes, the output of an "
            "encoder that hides a program, and the code evaluates or calls what it decodes; "
            "review what the file runs before trusting it.",
            (WEB_SHELL, OBFUSCATED), score,
            [
                Evidence("statistics", Location(ctx.path), "",
                         f"{len(high)} of {len(names)} variable names are non-ASCII"),
                Evidence("code-execution", Location(ctx.path, line=_line(data, run.start())),
                         sanitize(run.group(0), 80), "runs decoded code"),
            ],
            ("obfuscation", "php"),
        )
    ]  # fmt: skip


# -- the detector --------------------------------------------------------------------------


def _non_alnum_findings(ctx: FileContext) -> list[Finding]:
    found = non_alphanumeric(ctx.data, _gated(ctx, "phpobf_uscore"))
    if found is None:
        return []
    what = (
        "ends in a call through a variable named only with underscores"
        if found.call_line is not None
        else "the code is nothing but such expressions"
    )
    score = scoring.score_simple(
        Severity.HIGH if found.call_line is not None else Severity.MEDIUM,
        Confidence.MEDIUM,
        f"non-alphanumeric code that {what}",
    )
    evidence = [
        Evidence(
            "statistics", Location(ctx.path, line=found.line), sanitize(found.excerpt, 120),
            f"{found.alnum} letters or digits in {found.code} bytes of code (strings and "
            "comments excluded)",
        )
    ]  # fmt: skip
    if found.call_line is not None:
        evidence.append(
            Evidence("dynamic-call", Location(ctx.path, line=found.call_line), "",
                     "call through a computed name")
        )  # fmt: skip
    return [
        simple_finding(
            ctx, "SSC-003-480", "Non-alphanumeric PHP code (names built from punctuation)",
            "The PHP code is written without letters: function names are assembled from "
            "XOR-ed, OR-ed or incremented punctuation and called through variables named only "
            "with underscores, which hides what runs from every name-based check.",
            (WEB_SHELL, OBFUSCATED), score, evidence, ("obfuscation", "php"),
        )
    ]  # fmt: skip


_XSL_EXTS = {".xsl", ".xslt", ".xml"}


_GATES = frozenset(
    ("phpobf_uscore", "phpobf_reversed", "phpobf_xslt", "phpobf_table", "phpobf_extra")
)


def detect(ctx: FileContext) -> list[Finding]:
    if len(ctx.data) > MAX_ANALYSED:
        return []
    if ctx.gates is not None and ctx.gates.isdisjoint(_GATES):
        # no atom of any shape: only the encoder-name statistics can still apply
        if ctx.data.isascii() or not is_php(ctx):
            return []
        return _machine_named_findings(ctx)
    if not is_php(ctx):
        return _xslt_findings(ctx) if ctx.ext in _XSL_EXTS else []
    out = _non_alnum_findings(ctx)
    out += _reversed_findings(ctx)
    out += _xslt_findings(ctx)
    out += _name_table_findings(ctx)
    if not out:
        out += _machine_named_findings(ctx)
    if not out and not _flagged(ctx) and extra_gate(ctx):
        from sscguard.detect.webshell.php import analyse_php

        out += analysis_findings(ctx, analyse_php(ctx.data, Budget()), PHP_IDS)
    return out


__all__ = [
    "IDS",
    "ascii_identifiers",
    "blank_literals",
    "detect",
    "extra_gate",
    "non_alphanumeric",
    "php_regions",
]
