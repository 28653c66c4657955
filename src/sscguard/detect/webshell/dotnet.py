"""ASP.NET pages (ASPX, ASCX, ASHX, ASMX): C# dataflow, VB.NET/JScript.NET token analysis,
and the capability findings SSC-003-405 and SSC-003-430 ... 438.

The C# of a page goes through the tree-sitter analyser in ``csharp.py``. VB.NET and
JScript.NET pages get a tokenised analysis here: tree-sitter-vb-dotnet (PyPI) was evaluated
and misparses common page code (``Dim p As New Process()`` as an array type, property
assignments as comparisons), and no maintained JScript.NET grammar exists. The token analysis
strips comments, follows ``x = <request>`` assignments to a fixed point, and tests each sink
line; a "squashed" view with quotes, ``+``/``&`` and non-ASCII bytes removed undoes string
splitting such as ``"ev"+"al("+"Req"+"uest..."``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sscguard import attack
from sscguard.detect.webshell import scoring
from sscguard.detect.webshell.aspx_extract import CSHARP, JSCRIPT, ServerCode, extract
from sscguard.detect.webshell.csharp import Capability, DotnetAnalysis, analyse_csharp
from sscguard.detect.webshell.detectors import WEB_SHELL, FileContext, simple_finding
from sscguard.detect.webshell.flow import MAX_STEPS, Analysis, Budget, FlowPath, SinkKind, Step
from sscguard.model import AttackRef, Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import sanitize

MAX_TOKEN_LINES = 20_000


# -- tokenised analysis (VB.NET, JScript.NET) ---------------------------------------------

_SOURCE = re.compile(
    r"(?i)\bRequest\s*(\.\s*(Form|QueryString|Params|Item|Headers|Cookies|InputStream|Files"
    r"|RawUrl|BinaryRead)\b|\[|\()"
)
_ASSIGN = re.compile(
    r"(?i)^\s*(?:(?:Dim|Private|Public|Protected|Static|Const|var)\s+)?([A-Za-z_]\w*)"
    r"(?:\s+As\s+(?:New\s+)?[\w.]+(?:\(\))?)?\s*(=|\+=|&=)\s*(.+)$"
)
_TOKEN_SINKS: tuple[tuple[SinkKind, str, re.Pattern[str]], ...] = (
    (SinkKind.CODE, "eval", re.compile(r"(?i)(?<![\w.])eval\s*\((.*)")),
    (SinkKind.CODE, "JScriptEvaluate", re.compile(r"(?i)JScriptEvaluate\s*\((.*)")),
    (SinkKind.CODE, "Assembly.Load", re.compile(r"(?i)Assembly\s*\.\s*Load\w*\s*\((.*)")),
    (SinkKind.CODE, "CompileAssemblyFromSource",
     re.compile(r"(?i)CompileAssemblyFromSource\s*\((.*)")),
    (SinkKind.COMMAND, "Process.Start", re.compile(r"(?i)Process\s*\.\s*Start\s*\((.*)")),
    (SinkKind.COMMAND, "ProcessStartInfo",
     re.compile(r"(?i)(?:New\s+(?:[\w.]*\.)?ProcessStartInfo\s*\(|"
                r"StartInfo\s*\.\s*(?:FileName|Arguments)\s*=)(.*)")),
    (SinkKind.COMMAND, "Shell",
     re.compile(r"(?i)(?<![\w.])(?:(?:Microsoft\s*\.\s*VisualBasic\s*\.\s*)?"
                r"Interaction\s*\.\s*)?Shell\s*\((.*)")),
    (SinkKind.COMMAND, "StandardInput", re.compile(r"(?i)StandardInput\s*\.\s*Write\w*\s*\((.*)")),
)  # fmt: skip
_SQL_TOKEN = re.compile(
    r"(?i)(?:New\s+(?:[\w.]*\.)?(?:Sql|OleDb|Odbc|MySql)(?:Command|DataAdapter)\s*\(|"
    r"\.CommandText\s*=)\s*(.*)"
)


def _strip_comments(code: str, language: str) -> str:
    if language == JSCRIPT:
        code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
        return re.sub(r"(?m)(?<![:\"'\\])//[^\n]*", "", code)
    out = []
    for line in code.split("\n"):
        in_str = False
        for i, ch in enumerate(line):
            if ch == '"':
                in_str = not in_str
            elif ch == "'" and not in_str:
                line = line[:i]
                break
        out.append(line)
    return "\n".join(out)


def _squash(text: str) -> str:
    """Quotes, concatenation operators, whitespace and non-ASCII removed."""
    return re.sub(r"[\"'+&\s]|[^\x00-\x7f]", "", text)


def analyse_tokens(code: ServerCode) -> DotnetAnalysis:
    """VB.NET or JScript.NET server code: assignments followed to a fixed point, sink lines."""
    text = _strip_comments(code.source.decode("utf-8", "replace"), code.language)
    lines = text.split("\n")[:MAX_TOKEN_LINES]
    controls = code.controls
    ctl = (
        re.compile(r"(?i)\b(" + "|".join(map(re.escape, list(controls)[:200])) + r")\s*\.\s*"
                   r"(Text|Value|SelectedValue|PostedFile|FileName|FileBytes)\b")
        if controls else None
    )  # fmt: skip
    tainted: dict[str, Step] = {}
    rooted: set[str] = set()

    def taint_of(expr: str) -> Step | None:
        match = _SOURCE.search(expr) or (ctl.search(expr) if ctl else None)
        if match:
            return Step(expr.strip()[:70], 0)
        for name, first in tainted.items():
            if re.search(r"(?<![\w.])" + re.escape(name) + r"\b", expr):
                return first
        return None

    statements: list[tuple[int, str]] = []
    for i, raw in enumerate(lines):
        for part in raw.split(";") if code.language == JSCRIPT else raw.split(":"):
            statements.append((i + 1, part))
    for _ in range(4):
        changed = False
        for lineno, stmt in statements:
            m = _ASSIGN.match(stmt)
            if m is None or m.group(1) in tainted:
                continue
            first = taint_of(m.group(3))
            if first is not None:
                tainted[m.group(1)] = Step(
                    f"{m.group(1)} = {m.group(3).strip()[:60]}", code.line(lineno)
                )
                if m.group(2) == "=" and (
                    _SOURCE.match(m.group(3).strip()) or m.group(3).strip().split(".")[0] in rooted
                ):
                    rooted.add(m.group(1))  # fmt: skip
                changed = True
        if not changed:
            break
    paths: list[FlowPath] = []
    caps: list[Capability] = []
    sinks: set[str] = set()
    for lineno, stmt in statements:
        for kind, sink, pattern in _TOKEN_SINKS:
            m = pattern.search(stmt)
            if m is None:
                continue
            sinks.add(sink)
            first = taint_of(m.group(1))
            if first is None and sink == "eval" and _SOURCE.search(_squash(m.group(1))):
                first = Step("string assembled from pieces: " + _squash(m.group(1))[:60], 0)
            if first is not None:
                here = Step(stmt.strip()[:70], code.line(lineno))
                steps = (Step(first.label, first.line or here.line), here)
                paths.append(FlowPath(kind, sink, steps[-MAX_STEPS:]))
                break
        m = _SQL_TOKEN.search(stmt)
        if m is not None:
            arg = m.group(1).strip()
            head = re.split(r"[,)]", arg, maxsplit=1)[0].strip()
            if _SOURCE.match(arg) or head in rooted:
                caps.append(Capability("sql-console", "SQL command", (
                    Step(stmt.strip()[:70], code.line(lineno)),),
                    "the whole SQL statement comes from the request"))  # fmt: skip
    if not paths and code.language == JSCRIPT:
        squashed = _squash(text)
        for m in re.finditer(r"(?i)eval\(", squashed):
            if _SOURCE.match(squashed[m.end() : m.end() + 40]):
                line = code.line(text.count("\n", 0, max(text.find("eval"), 0)) + 1)
                paths.append(FlowPath(SinkKind.CODE, "eval", (
                    Step("string assembled from pieces: " + squashed[m.start():m.end() + 30],
                         line),)))  # fmt: skip
                break
    return DotnetAnalysis(
        Analysis(language="aspx", paths=tuple(paths), sinks=tuple(sorted(sinks))),
        tuple(caps),
    )


def analyse_page(data: bytes, ext: str = ".aspx", budget: Budget | None = None) -> DotnetAnalysis:
    """Extract a page's server code and analyse it in its language."""
    code = extract(data, ext)
    if not code.source.strip():
        return DotnetAnalysis(Analysis(language="aspx"))
    if code.language == CSHARP:
        return analyse_csharp(code, budget)
    return analyse_tokens(code)


# -- findings --------------------------------------------------------------------------------


def _ref(technique: str) -> AttackRef:
    return attack.ref(technique, "DS0022 File Creation", "M1047")


@dataclass(frozen=True, slots=True)
class CapabilityRule:
    """How one capability kind is reported."""

    rule_id: str
    title: str
    why: str
    severity: Severity
    confidence: Confidence
    techniques: tuple[str, ...]


CAPABILITY_RULES: dict[str, CapabilityRule] = {
    r.rule_id: r
    for r in (
        CapabilityRule(
            "SSC-003-431",
            "SQL console: request-supplied SQL executed (ASP.NET)",
            "The page runs SQL that the visitor supplies (the whole statement, or SQL against a "
            "server and credentials the visitor types), which is a database client for whoever "
            "reaches the page.",
            Severity.HIGH,
            Confidence.MEDIUM,
            ("T1213",),
        ),
        CapabilityRule(
            "SSC-003-432",
            "Request-driven file dropper (ASP.NET)",
            "The page writes request-supplied content to a path the visitor chooses in full, or "
            "saves an uploaded file under its own name into the web root without checking its "
            "type, which lets a visitor plant new server pages.",
            Severity.HIGH,
            Confidence.MEDIUM,
            ("T1105",),
        ),
        CapabilityRule(
            "SSC-003-433",
            "Page loads an embedded .NET assembly (ASP.NET)",
            "The page decodes an assembly stored inside itself and loads it into the worker "
            "process, hiding compiled code from review.",
            Severity.HIGH,
            Confidence.MEDIUM,
            ("T1620", "T1027"),
        ),
        CapabilityRule(
            "SSC-003-434",
            "Packet sniffer or request-chosen network connection (ASP.NET)",
            "The page opens a raw socket in promiscuous mode or connects to a host the visitor "
            "chooses, turning the web server into a sniffer, port scanner or proxy.",
            Severity.HIGH,
            Confidence.MEDIUM,
            ("T1040", "T1090"),
        ),
        CapabilityRule(
            "SSC-003-435",
            "Registry browser or crawler in a web page (ASP.NET)",
            "The page opens registry keys the visitor names or walks whole registry hives, a "
            "reconnaissance tool that web applications do not contain.",
            Severity.MEDIUM,
            Confidence.MEDIUM,
            ("T1012",),
        ),
        CapabilityRule(
            "SSC-003-436",
            "Arbitrary-path file-system access from the request (ASP.NET)",
            "The page lists, reads, creates, deletes or re-times files at a path taken whole "
            "from the request, a file manager for whoever reaches the page.",
            Severity.MEDIUM,
            Confidence.MEDIUM,
            ("T1083",),
        ),
        CapabilityRule(
            "SSC-003-437",
            "Request-reading code hidden in an encoded string (ASP.NET)",
            "An encoded literal in the page decodes to code that reads the request, the shape "
            "of an obfuscated one-line shell that evaluates posted code.",
            Severity.HIGH,
            Confidence.MEDIUM,
            ("T1027",),
        ),
        CapabilityRule(
            "SSC-003-438",
            "Loader stub: page only instantiates an external compiled class",
            "The page has no markup and its only server code constructs a class from a "
            "non-framework assembly on every request, handing requests to compiled code "
            "in bin/ that is not visible in the page.",
            Severity.MEDIUM,
            Confidence.LOW,
            ("T1036",),
        ),
    )
}
_CAP_IDS = {
    "sql-console": "SSC-003-431",
    "file-drop": "SSC-003-432",
    "embedded-assembly": "SSC-003-433",
    "sniffer": "SSC-003-434",
    "network": "SSC-003-434",
    "registry": "SSC-003-435",
    "fs-access": "SSC-003-436",
    "encoded-request": "SSC-003-437",
    "loader-stub": "SSC-003-438",
}
CAPABILITY_REMEDIATION = (
    "Take the page offline, preserve it with the IIS logs, confirm with the site owner whether "
    "it belongs to the application, and remove it if not; then find how it was written and "
    "rotate credentials the application pool could reach."
)


def capability_evidence(path: str, cap: Capability) -> list[Evidence]:
    out = [
        Evidence("dataflow-step", Location(path, line=s.line), sanitize(s.label, 160),
                 f"{cap.kind}: {cap.sink}")
        for s in cap.steps
    ]  # fmt: skip
    out.append(
        Evidence(
            "capability",
            Location(path, line=cap.steps[-1].line if cap.steps else None),
            sanitize(" -> ".join(str(s) for s in cap.steps), 400),
            cap.detail,
        )
    )
    return out


#: capabilities a published administration tool has by design (not loaders or sniffers)
DUAL_USE_RULES = frozenset({"SSC-003-431", "SSC-003-432", "SSC-003-435", "SSC-003-436"})
_DUAL_AUTH = re.compile(
    rb"(?i)FormsAuthentication\.|User\.Identity\.IsAuthenticated"
    rb"|Session\s*\[\s*\"[^\"]{0,40}(login|auth|user|pass)"
)


def is_dual_use(data: bytes) -> bool:
    """A published ASP.NET administration tool (file manager, database client): large, an
    identity header (licence, version, project link) near the top and its own login."""
    from sscguard.detect.webshell.detectors import is_published_tool

    return is_published_tool(data, _DUAL_AUTH)


def capability_score(
    rule: CapabilityRule, cap: Capability, yara_hits: int, dual_use: bool = False
) -> scoring.Score:
    reasons = [f"{cap.kind} ({cap.detail or cap.sink}): {rule.severity.value}"]
    confidence = rule.confidence
    if yara_hits:
        confidence = Confidence.HIGH if confidence >= Confidence.MEDIUM else Confidence.MEDIUM
        reasons.append(f"{yara_hits} built-in YARA rule(s) also match (+confidence)")
    if dual_use and rule.rule_id in DUAL_USE_RULES and rule.severity > Severity.LOW:
        reasons.append("dual-use administration tool (size, own login, identity header): low")
        return scoring.Score(Severity.LOW, confidence, tuple(reasons))
    return scoring.Score(rule.severity, confidence, tuple(reasons))


def group_capabilities(caps: tuple[Capability, ...]) -> dict[str, list[Capability]]:
    out: dict[str, list[Capability]] = {}
    for cap in caps:
        out.setdefault(_CAP_IDS[cap.kind], []).append(cap)
    return out


def capability_findings(
    path: str, caps: tuple[Capability, ...], yara_hits: int, dual_use: bool = False
) -> list[tuple[CapabilityRule, scoring.Score, list[Evidence]]]:
    """(rule, score, evidence) per capability ID the page showed, best evidence first."""
    out = []
    for rule_id, group in sorted(group_capabilities(caps).items()):
        rule = CAPABILITY_RULES[rule_id]
        evidence: list[Evidence] = []
        for cap in group[:2]:
            evidence.extend(capability_evidence(path, cap))
        out.append((rule, capability_score(rule, group[0], yara_hits, dual_use), evidence))
    return out


def make_finding(
    path: str, rule: CapabilityRule, score: scoring.Score, evidence: list[Evidence]
) -> Finding:
    refs = (WEB_SHELL, *(_ref(t) for t in rule.techniques))
    return simple_finding(
        FileContext(path, b""), rule.rule_id, rule.title, rule.why, refs, score, evidence,
        ("capability", "aspx"), remediation=CAPABILITY_REMEDIATION,
    )  # fmt: skip


DOTNET_IDS = ("SSC-003-405", "SSC-003-430")
DETECTOR_IDS = (*DOTNET_IDS, "SSC-003-402", *CAPABILITY_RULES)


def detect_dotnet(ctx: FileContext) -> list[Finding]:
    """The ASP.NET detector: gate, extract, analyse, report."""
    from sscguard.detect.webshell.aspx_extract import is_dotnet_page
    from sscguard.detect.webshell.detectors import (
        LanguageIds,
        _worth_parsing,
        analysis_findings,
    )

    if ctx.gates is not None and "dotnet_page" not in ctx.gates:
        return []
    if not _worth_parsing(ctx) or not is_dotnet_page(ctx.ext, ctx.data):
        return []
    result = analyse_page(ctx.data, ctx.ext, Budget())
    ids = LanguageIds("aspx", *DOTNET_IDS)
    dual_use = is_dual_use(ctx.data)
    out = analysis_findings(ctx, result.analysis, ids, dual_use)
    yara_hits = sum(1 for h in ctx.hits if h.rule.builtin)
    caps = capability_findings(ctx.path, result.capabilities, yara_hits, dual_use)
    for rule, score, evidence in caps:
        out.append(make_finding(ctx.path, rule, score, evidence))
    return out


__all__ = [
    "CAPABILITY_RULES",
    "DETECTOR_IDS",
    "analyse_page",
    "analyse_tokens",
    "capability_findings",
    "detect_dotnet",
    "make_finding",
]
