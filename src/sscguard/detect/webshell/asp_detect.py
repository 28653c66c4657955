"""Classic ASP detector: which files are ASP, and the findings of ``asp.analyse_asp``.

IDs (docs/detection.md): SSC-003-406 request input reaches code execution (Execute,
ExecuteGlobal, Eval, ScriptControl, JScript eval and its aliases); SSC-003-440 request input
reaches command execution (WScript.Shell Run/Exec, Shell.Application ShellExecute);
SSC-003-441 dropper (file name and content from the request); SSC-003-442 downloader
(XMLHTTP response saved to disk as a script/executable or where the request says);
SSC-003-443 SQL console (the whole SQL text or connection string from the request);
SSC-003-444 request-driven file manager; SSC-003-445 page writes an executable or a script
and runs it; SSC-003-446 hidden payload executed through the page's own decoder;
SSC-003-447 script engine hidden in an XSLT stylesheet. SSC-003-403/411 are shared with the
other analysers (decoded layer executed, packed code).
"""

from __future__ import annotations

import re

from sscguard import attack
from sscguard.detect.webshell import scoring
from sscguard.detect.webshell.asp import AspResult, Capability, analyse_asp
from sscguard.detect.webshell.detectors import (
    COMMANDS,
    OBFUSCATED,
    PHP_EXTS,
    WEB_SHELL,
    FileContext,
    LanguageIds,
    _worth_parsing,
    analysis_findings,
    simple_finding,
)
from sscguard.model import AttackRef, Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import sanitize

ASP_IDS = LanguageIds("ASP", "SSC-003-406", "SSC-003-440")
IDS = (
    "SSC-003-406", "SSC-003-440", "SSC-003-441", "SSC-003-442", "SSC-003-443", "SSC-003-444",
    "SSC-003-445", "SSC-003-446", "SSC-003-447", "SSC-003-403", "SSC-003-411",
)  # fmt: skip

ASP_EXTS = {".asp", ".asa", ".cer", ".cdx"}
#: extensions another analyser owns: never sniffed as classic ASP
OTHER_EXTS = PHP_EXTS | {
    ".aspx", ".ascx", ".ashx", ".asmx", ".asax", ".master", ".svc", ".cshtml", ".vbhtml",
    ".jsp", ".jspx", ".jspf", ".tag", ".cfm", ".cfc", ".pl", ".pm", ".cgi", ".py", ".rb",
    ".java", ".cs", ".vb", ".js", ".ts", ".sh", ".c", ".h", ".go", ".xml", ".json", ".css",
}  # fmt: skip
#: another server language's page markers. Two searches, each led by a literal (``<``, ``.``)
#: the regex engine scans for quickly; one case-insensitive alternation had no such prefix
#: and cost ~7 us per KB of every page-like file.
_OTHER_SERVER_TAG = re.compile(
    rb"<(?:%@\s*(?i:page|control|webhandler|webservice|master|import|assembly|register|taglib)\b"
    rb"|\?(?i:php)|(?i:jsp):|%!|(?i:cf(?:set|output|query))\b)"
)
_OTHER_SERVER_CALL = re.compile(rb"\.(?<=(?i:\brequest\.))(?i:getparameter)\b")
_ASP_HINT = re.compile(
    rb"(?i)\b(response\.write|request\s*\(|request\.(form|querystring|cookies)"
    rb"|server\.(createobject|mappath)|createobject\s*\(|end\s+(if|sub|function)|dim\s+\w"
    rb"|executeglobal|language\s*=\s*[\"']?(vbscript|jscript))"
)
_GATE_CODE = re.compile(rb"<%|(?i:runat\s*=\s*[\"']?server)")
_GATE_CAP = re.compile(
    rb"(?i)(^|[^\w.])(execute|executeglobal|eval)\b|createobject|activexobject|getobject"
    rb"|\.(savetofile|createtextfile|opentextfile|executestatement|shellexecute|addcode)\b"
    rb"|codepage\s*=\s*[\"']?65000|classid\s*=\s*[\"']?clsid:"
)

DROPPER = attack.ref("T1105", "DS0022 File Creation", "M1047")
SQL = attack.ref("T1505.003", "DS0022 File Creation", "M1047", "M1045")


def is_asp(ctx: FileContext) -> bool:
    """Classic ASP by extension, or by content for collection names such as ``x.asp.txt``."""
    if ctx.ext in ASP_EXTS:
        return True
    if ctx.ext in OTHER_EXTS:
        return False
    head = ctx.data[:65536]
    if not _has_code(head) or _other_server(head):
        return False
    return _ASP_HINT.search(head) is not None


def _has_code(data: bytes) -> bool:
    """``_GATE_CODE.search(data)``, with substring tests first: a case-insensitive pattern
    is scanned position by position, a substring test is a memory search."""
    return b"<%" in data or (b"runat" in data.lower() and _GATE_CODE.search(data) is not None)


def _other_server(head: bytes) -> bool:
    return bool(_OTHER_SERVER_TAG.search(head) or _OTHER_SERVER_CALL.search(head))


def _gate(ctx: FileContext) -> bool:
    if ctx.gates is not None:
        return "asp_code" in ctx.gates and "asp_capability" in ctx.gates
    return _has_code(ctx.data) and _GATE_CAP.search(ctx.data) is not None


_DUAL_AUTH = re.compile(rb"(?i)session\s*\(\s*\"[^\"]{0,30}(login|logged|admin|user|auth)")


def is_dual_use(data: bytes) -> bool:
    """A published ASP administration tool: an identity/licence header and its own login."""
    from sscguard.detect.webshell.detectors import is_published_tool

    return is_published_tool(data, _DUAL_AUTH, min_size=20_000)


def detect_asp(ctx: FileContext) -> list[Finding]:
    if not is_asp(ctx) or not _worth_parsing(ctx) or not _gate(ctx):
        return []
    result = analyse_asp(ctx.data)
    dual_use = is_dual_use(ctx.data)
    out = analysis_findings(ctx, result.analysis, ASP_IDS, dual_use and not result.analysis.layers)
    out.extend(capability_findings(ctx, result, dual_use))
    return out


def _evidence(ctx: FileContext, caps: list[Capability]) -> list[Evidence]:
    return [
        Evidence(c.kind, Location(ctx.path, line=c.line), sanitize(c.excerpt, 160), c.detail)
        for c in caps[:4]
    ]


def _conf(ctx: FileContext, base: Confidence) -> Confidence:
    if any(h.rule.builtin for h in ctx.hits) and base is not Confidence.HIGH:
        return Confidence.MEDIUM if base is Confidence.LOW else Confidence.HIGH
    return base


def capability_findings(ctx: FileContext, result: AspResult, dual_use: bool) -> list[Finding]:
    by_kind: dict[str, list[Capability]] = {}
    for cap in result.capabilities:
        by_kind.setdefault(cap.kind, []).append(cap)
    out: list[Finding] = []

    def add(kind: str, rule_id: str, title: str, why: str, sev: Severity, conf: Confidence,
            reason: str, refs: tuple[AttackRef, ...] = (WEB_SHELL,)) -> None:  # fmt: skip
        caps = by_kind.get(kind)
        if not caps:
            return
        score = scoring.score_simple(sev, _conf(ctx, conf), reason)
        out.append(simple_finding(ctx, rule_id, title, why, refs, score, _evidence(ctx, caps),
                                  ("asp", kind)))  # fmt: skip

    add("dropper", "SSC-003-441", "Request-chosen file written with request content (ASP)",
        "The page writes a file whose name and content both come from the HTTP request, so "
        "anyone who reaches it can drop a new web shell anywhere the server can write.",
        Severity.HIGH, Confidence.MEDIUM, "file name and content from the request: high",
        (WEB_SHELL, DROPPER))  # fmt: skip
    add("downloader", "SSC-003-442", "Downloads a remote file to disk (ASP)",
        "The page fetches a remote file with an HTTP client object and saves it as a script or "
        "executable, or where the request says: a stager that installs further tools.",
        Severity.HIGH, Confidence.MEDIUM, "remote content saved to disk: high",
        (WEB_SHELL, DROPPER))  # fmt: skip
    sql_sev = Severity.LOW if dual_use else Severity.MEDIUM
    add("sql", "SSC-003-443", "SQL console: request supplies the SQL or the connection (ASP)",
        "The whole SQL statement or database connection string comes from the request, so the "
        "page is a database console for whoever reaches it (dumps, xp_cmdshell).",
        sql_sev, Confidence.MEDIUM,
        f"whole SQL/connection from the request: {sql_sev.value}"
        + (" (dual-use tool with a login)" if dual_use else ""), (SQL,))  # fmt: skip
    add("dropper-run", "SSC-003-445", "Writes an executable or script and runs it (ASP)",
        "The page writes an embedded executable or a script to disk and starts it, the shape "
        "of a dropper; applications do not ship programs inside their pages.",
        Severity.HIGH, Confidence.HIGH, "embedded program written and run: high",
        (WEB_SHELL, DROPPER, COMMANDS))  # fmt: skip
    add("hidden", "SSC-003-446", "Hidden payload executed through the page's own decoder (ASP)",
        "Execute/Eval runs code that the page decodes from long opaque strings with a function "
        "of its own; legitimate pages do not hide their source this way.",
        Severity.HIGH, Confidence.MEDIUM, "opaque constants decoded and executed: high",
        (WEB_SHELL, OBFUSCATED))  # fmt: skip
    add("xslt", "SSC-003-447", "Command execution hidden in an XSLT stylesheet script (ASP)",
        "An XSLT stylesheet built by the page carries a script block that creates a shell "
        "object; transforming it runs operating-system commands.",
        Severity.HIGH, Confidence.HIGH, "shell object inside an msxsl:script block: high",
        (WEB_SHELL, OBFUSCATED, COMMANDS))  # fmt: skip
    kinds = {k for k, _, _ in result.fileops} - {"stat"}
    if len(kinds) >= 2:
        sev = Severity.LOW if dual_use else Severity.MEDIUM
        conf = Confidence.MEDIUM if len(kinds) >= 3 else Confidence.LOW
        evidence = [
            Evidence(
                "file-operation",
                Location(ctx.path, line=line),
                sanitize(excerpt, 160),
                f"{kind} on a path taken from the request",
            )
            for kind, line, excerpt in result.fileops[:6]
        ]
        reason = (
            f"{len(kinds)} kinds of file operation ({', '.join(sorted(kinds))}) on "
            f"request-chosen paths: {sev.value}"
        )
        if dual_use:
            reason += " (dual-use tool with a login)"
        score = scoring.score_simple(sev, _conf(ctx, conf), reason)
        out.append(
            simple_finding(
                ctx, "SSC-003-444", "Request-driven file manager (ASP)",
                "The page lists, reads, writes, copies or deletes files at paths taken from the "
                "request: a remote file manager for whoever reaches it.",
                (WEB_SHELL,), score, evidence, ("asp", "file-manager"),
            )
        )  # fmt: skip
    return out
