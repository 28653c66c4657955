"""JSP/Java findings: dataflow paths (SSC-003-404 code, SSC-003-420 command) and capabilities.

The analysis lives in ``java.py``; this module decides which files it runs on and turns its
result into findings. The severity policy for the capability findings, in order:

* request input reaching code or command execution: the shared path policy of
  ``scoring.score_path`` (critical, confidence by path length and corroboration);
* a Java class file embedded in a page (Base64 or a byte array): high when the class or the
  page references class definition, process, script, socket, reflection or servlet APIs,
  else medium; confidence high (applications ship classes in JARs, not inside pages);
* servlets, filters, listeners, valves or endpoints registered at run time from a page
  (the in-memory web-shell installer): high, confidence medium;
* process streams wired to a socket (reverse or bind shell): high; a socket whose target
  comes from the request (proxy, tunnel, port scanner): medium;
* a file written with request content where the request chooses the start of the path or
  a name under the web root: medium; only a name under a fixed directory: low (upload forms
  look like that);
* a request-chosen directory listed and its files read, deleted, renamed or written (file
  browser): medium;
* SQL or a JDBC connection string taken whole from the request (database console), or the
  whole catalog enumerated and every table dumped: medium.

Capability findings get one confidence step up when a built-in YARA rule also matches. A
large page with a licence or version header and its own login is a dual-use administration
tool: its capability findings are capped at low.
"""

from __future__ import annotations

import re

from sscguard import attack
from sscguard.detect.webshell import scoring
from sscguard.detect.webshell.detectors import (
    OBFUSCATED,
    WEB_SHELL,
    FileContext,
    LanguageIds,
    analysis_findings,
    simple_finding,
)
from sscguard.detect.webshell.flow import Budget, FlowPath, Step
from sscguard.detect.webshell.jspsource import decode_page, is_jsp_markup
from sscguard.model import AttackRef, Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import sanitize

JSP_IDS = LanguageIds("jsp", "SSC-003-404", "SSC-003-420")
ID_WRITE = "SSC-003-421"
ID_BROWSE = "SSC-003-422"
ID_DATABASE = "SSC-003-423"
ID_REGISTER = "SSC-003-424"
ID_TUNNEL = "SSC-003-425"
ID_CLASS = "SSC-003-426"
IDS = (JSP_IDS.code, JSP_IDS.command, ID_WRITE, ID_BROWSE, ID_DATABASE, ID_REGISTER, ID_TUNNEL,
       ID_CLASS, "SSC-003-403", "SSC-003-411")  # fmt: skip

JSP_EXTS = {".jsp", ".jspx", ".jspf", ".jsw", ".jsv", ".jtml"}
#: Extensions other analysers or servers own; a ``<%`` there is not JSP.
_FOREIGN = {
    ".asp", ".aspx", ".ascx", ".ashx", ".asmx", ".asa", ".cer", ".cshtml", ".vbhtml", ".php",
    ".phtml", ".erb", ".ejs", ".java", ".cs", ".vb", ".js", ".py", ".rb",
}  # fmt: skip
#: Every branch opens with a literal character (``r(?<!\wr)equest`` is ``\brequest``), so
#: the regex engine skips to candidate characters: ~4x faster on files that are not pages.
_JSP_HINT = re.compile(
    rb"<%@\s*page\b|<jsp:(scriptlet|declaration|expression|directive)|<%!"
    rb"|r(?<!\wr)equest\.getParameter\s*\(|i(?<!\wi)mport\s+java\."
    rb"|j(?<!\wj)ava\.(io|lang|net|util)\.[A-Z]"
)
MAX_ANALYSED = 256 << 10
EXPLAIN_FLAGGED_BELOW = 16 << 10

INGRESS = attack.ref("T1105", "DS0022 File Creation", "M1047")
PROXY = attack.ref("T1090", "DS0029 Network Traffic Flow", "M1047")
TUNNEL = attack.ref("T1572", "DS0029 Network Traffic Flow", "M1047")
REFLECTIVE = attack.ref("T1620", "DS0022 File Creation", "M1047")

REMEDIATION_CAPABILITY = (
    "Take the page offline, preserve it with the access logs, and confirm with the site owner "
    "whether it belongs to the application; if not, remove it, look for what it wrote or "
    "read, and rotate the credentials the server could reach."
)


def is_java_page(ctx: FileContext, data: bytes) -> bool:
    ext = ctx.ext
    if ext in JSP_EXTS:
        return True
    if ext in _FOREIGN:
        return False
    return _JSP_HINT.search(data[:65536]) is not None and (
        is_jsp_markup(data[:65536]) or b"request.getParameter" in data
    )


_QUICK_SOURCES = (
    b"getParameter", b"getHeader", b"getInputStream", b"getReader", b"getQueryString",
    b"getCookies", b"getPart", b"onMessage", b"yv66vg", b"H4sI", b"-54", b"getTables",
    b"information_schema", b"user_tab", b"all_tables", b"sysobjects", b"pg_tables",
    b"addFilter", b"addServlet", b"addListener", b"addEndpoint", b"addValve", b"addChild",
    b"addInterceptor", b"addApplicationEventListener", b"registerMapping", b"${", b"#{",
)  # fmt: skip


def _gate(ctx: FileContext, data: bytes) -> bool:
    if ctx.gates is not None and data is ctx.data:
        return "java_source" in ctx.gates and "java_sink" in ctx.gates
    return any(atom in data for atom in _QUICK_SOURCES)


def _worth_parsing(ctx: FileContext) -> bool:
    if len(ctx.data) > MAX_ANALYSED:
        return False
    flagged = any(h.rule.builtin and h.rule.severity >= Severity.MEDIUM for h in ctx.hits)
    return not flagged or len(ctx.data) < EXPLAIN_FLAGGED_BELOW


_DUAL_AUTH = re.compile(rb"session\.(getAttribute|setAttribute)\s*\([^)]*(login|auth|user|pass)",
                        re.I)  # fmt: skip


def is_dual_use(data: bytes) -> bool:
    """A published administration tool: large, its own login, an identity header."""
    from sscguard.detect.webshell.detectors import is_published_tool

    return is_published_tool(data, _DUAL_AUTH)


def _score(
    ctx: FileContext, severity: Severity, confidence: Confidence, reason: str, dual_use: bool
) -> scoring.Score:
    reasons = [reason]
    builtin = sum(1 for h in ctx.hits if h.rule.builtin)
    if builtin:
        confidence = Confidence.HIGH if confidence >= Confidence.MEDIUM else Confidence.MEDIUM
        reasons.append(f"{builtin} built-in YARA rule(s) also match (+confidence)")
    if dual_use and severity > Severity.LOW:
        severity = Severity.LOW
        reasons.append("dual-use administration tool (size, own login, identity header): low")
    return scoring.Score(severity, confidence, tuple(reasons))


def _steps(ctx: FileContext, kind: str, steps: list[Step], detail: str) -> list[Evidence]:
    return [
        Evidence(kind, Location(ctx.path, line=s.line or None), sanitize(s.label, 160), detail)
        for s in steps[:4]
    ]


def _flow_evidence(ctx: FileContext, flow: FlowPath, detail: str) -> list[Evidence]:
    out = _steps(ctx, "dataflow-step", list(flow.steps), detail)
    out.append(
        Evidence(
            "dataflow-path",
            Location(ctx.path, line=flow.steps[-1].line if flow.steps else None),
            sanitize(flow.explain(), 400),
            detail,
        )
    )
    return out


def detect_jsp(ctx: FileContext) -> list[Finding]:
    if not _worth_parsing(ctx):
        return []
    data = decode_page(ctx.data)
    if not is_java_page(ctx, data) or not _gate(ctx, data):
        return []
    from sscguard.detect.webshell.java import analyse_java

    res = analyse_java(ctx.data, Budget())
    dual = is_dual_use(data)
    out = analysis_findings(ctx, res.analysis, JSP_IDS, dual)
    flagged_exec = bool(out)
    tags = ("capability", "jsp")

    def add(rule_id: str, title: str, why: str, refs: tuple[AttackRef, ...],
            score: scoring.Score, evidence: list[Evidence]) -> None:  # fmt: skip
        out.append(
            simple_finding(
                ctx,
                rule_id,
                title,
                why,
                refs,
                score,
                evidence,
                tags,
                remediation=REMEDIATION_CAPABILITY,
            )
        )

    if res.classes:
        step, danger = res.classes[0]
        severity = (
            Severity.HIGH if danger or "defineClass" in res.analysis.sinks else Severity.MEDIUM
        )
        add(
            ID_CLASS, "Java class file embedded in a server page",
            "The page carries a compiled Java class (Base64 or a byte array); pages that define "
            "classes from their own data are how in-memory web shells are loaded.",
            (WEB_SHELL, OBFUSCATED, REFLECTIVE),
            _score(ctx, severity, Confidence.HIGH, "embedded class file"
                   + (f" referencing {danger}" if danger else "") + f": {severity.value}", False),
            _steps(ctx, "embedded-class", [step], danger or "class file (0xCAFEBABE)"),
        )  # fmt: skip
    if res.registrars and is_jsp_markup(data):
        add(
            ID_REGISTER, "Page registers a servlet, filter, listener or endpoint at run time",
            "A server page that adds request handlers to the running container installs code "
            "that keeps serving requests after the page itself is deleted (memory web shell).",
            (WEB_SHELL,),
            _score(ctx, Severity.HIGH, Confidence.MEDIUM, "run-time handler registration: high",
                   dual),
            _steps(ctx, "registration", res.registrars, "handler added to the container"),
        )  # fmt: skip
    if res.shell_wiring or res.sockets:
        flows = res.sockets
        severity = Severity.HIGH if res.shell_wiring else Severity.MEDIUM
        evidence = _steps(ctx, "reverse-shell", res.shell_wiring, "process and socket streams")
        for flow in flows[:2]:
            evidence.extend(_flow_evidence(ctx, flow, "request-chosen network target"))
        add(
            ID_TUNNEL,
            "Reverse shell or network tunnel in a server page" if res.shell_wiring
            else "Page opens network connections to request-chosen hosts",
            "The page connects a process to a socket, or opens sockets to hosts and ports the "
            "request names, which turns the server into a shell, proxy or scanner for the "
            "attacker's network access.",
            (WEB_SHELL, PROXY, TUNNEL),
            _score(ctx, severity, Confidence.MEDIUM,
                   "process streams wired to a socket: high" if res.shell_wiring
                   else "socket target chosen by the request: medium", dual),
            evidence,
        )  # fmt: skip
    strong = [w for w in res.writes if w.control in ("dir", "webroot")]
    if res.writes and not flagged_exec:
        best = strong[0] if strong else res.writes[0]
        severity = Severity.MEDIUM if strong else Severity.LOW
        how = {
            "dir": "the request chooses the whole path",
            "webroot": "the request chooses a name under the web root",
            "name": "the request chooses a file name under a fixed directory",
        }[best.control]
        add(
            ID_WRITE, "Request content written to a request-chosen file (JSP)",
            "The page writes request data to a file whose location the request chooses, "
            "which lets a visitor drop a new web shell or overwrite the application.",
            (WEB_SHELL, INGRESS),
            _score(ctx, severity, Confidence.MEDIUM, f"file write, {how}: {severity.value}",
                   dual),
            [*_flow_evidence(ctx, best.path, how),
             Evidence("file-target", Location(ctx.path, line=best.target.line),
                      sanitize(best.target.label, 160), how)],
        )  # fmt: skip
    ops = res.file_ops
    if "list" in ops and len(ops) >= 2 and not flagged_exec:
        add(
            ID_BROWSE, "Request-driven file browser (JSP)",
            "The page lists any directory the request names and reads, deletes, renames or "
            "writes files there: a file manager for whoever reaches the page.",
            (WEB_SHELL,),
            _score(ctx, Severity.MEDIUM, Confidence.MEDIUM,
                   "request-chosen directory listed plus " + ", ".join(sorted(set(ops) - {"list"}))
                   + ": medium", dual),
            _steps(ctx, "file-operation", list(ops.values()), "on a request-chosen path"),
        )  # fmt: skip
    if (res.sql or res.dump) and not flagged_exec:
        what = "request-supplied SQL or connection string" if res.sql else "whole-database dump"
        add(
            ID_DATABASE, "Database console or dumper in a server page",
            "The page runs SQL or opens database connections the request supplies, or walks "
            "the catalog and dumps every table: a data-theft tool, not application code.",
            (WEB_SHELL,),
            _score(ctx, Severity.MEDIUM, Confidence.MEDIUM, f"{what}: medium", dual),
            _steps(ctx, "database", res.sql or res.dump, what),
        )  # fmt: skip
    return out


__all__ = ["IDS", "detect_jsp"]
