"""``hunt``: discover the servers under a root, run every part that applies, one document.

Each part is a small function that takes the shared context and returns a ``ResultDocument``
or a reason why it cannot run; ``PARTS`` lists them in order. A part that cannot run (no
baseline yet, no live host, no SQL source given) is recorded in the document as a ``Skipped``
entry with code ``not-run`` and its reason, which does not make the run incomplete.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sscguard import __version__
from sscguard.config import ScanConfig
from sscguard.extract.files import display_path
from sscguard.model import Finding, ResultDocument, SkipCode, Skipped, sort_findings
from sscguard.scan import Observer, now_iso

if TYPE_CHECKING:
    from sscguard.targets import Inventory, Server


@dataclass(frozen=True, slots=True)
class HuntOptions:
    root: str = "/"
    sql_catalogs: tuple[str, ...] = ()
    extra_paths: tuple[str, ...] = ()
    event_files: tuple[str, ...] = ()
    baseline_db: str | None = None
    baseline_pubkey: str | None = None


@dataclass(slots=True)
class HuntContext:
    options: HuntOptions
    config: ScanConfig
    inventory: Inventory
    observer: Observer | None = None
    notes: list[str] = field(default_factory=list)


PartResult = ResultDocument | str  # a document, or the reason the part did not run
Part = Callable[[HuntContext], PartResult]


def _components(ctx: HuntContext) -> PartResult:
    from sscguard.audit import audit_document

    return audit_document(ctx.inventory, ctx.options.root)


def content_paths(inv: Inventory, extra: Sequence[str] = ()) -> list[str]:
    """Web roots and component folders on this machine, outermost first, without repeats."""
    paths: list[str] = []
    for server in inv.servers:
        for path in (*server.web_roots, *server.component_dirs):
            host = inv.host_path(path)
            if os.path.isdir(host) or os.path.isfile(host):
                paths.append(os.path.realpath(host))
    paths.extend(os.path.realpath(p) for p in extra)
    unique: list[str] = []
    for path in sorted(set(paths), key=lambda p: (p.count(os.sep), p)):
        if not any(path == u or path.startswith(u.rstrip(os.sep) + os.sep) for u in unique):
            unique.append(path)
    return unique


def _content(ctx: HuntContext) -> PartResult:
    from sscguard.scan import scan

    paths = content_paths(ctx.inventory, ctx.options.extra_paths)
    if not paths:
        return "no web roots or component folders were discovered under the root"
    return scan(
        paths, ctx.config, observer=ctx.observer, command="scan", link_boundary=ctx.options.root
    )


def _sql(ctx: HuntContext) -> PartResult:
    if not ctx.options.sql_catalogs:
        return "no SQL source given (use --sql-catalog FILE; live audits: sscguard sql --dsn)"
    from sscguard.sql.audit import DiskAccess, audit, empty_server
    from sscguard.sql.catalog import load_catalog

    docs = []
    for catalog in ctx.options.sql_catalogs:
        raw = load_catalog(catalog, None)
        disk = DiskAccess(ctx.options.root, explicit=True)
        docs.append(audit(raw, empty_server(raw.engine), disk, command="sql", target=catalog))
    return merge_documents(docs, command="sql", targets=tuple(ctx.options.sql_catalogs))


def access_logs(inv: Inventory, root: str) -> list[tuple[Server, list[str]]]:
    """Each web server with its access-log files under the root (its globs, plus rotations
    such as ``access.log.1`` and ``access.log.2.gz``)."""
    import glob

    base = os.path.realpath(root)
    out = []
    for server in inv.servers:
        files: list[str] = []
        for source in server.log_files:
            if "error" in os.path.basename(source.path):
                continue
            # keep the configured '*' wildcards, escape everything else, then add rotations
            pattern = glob.escape(inv.host_path(source.path)).replace("[*]", "*") + "*"
            for path in sorted(glob.glob(pattern)):
                real = os.path.realpath(path)
                inside = real == base or real.startswith(base.rstrip(os.sep) + os.sep)
                if inside and os.path.isfile(path) and not os.path.islink(path):
                    files.append(path)
        if files:
            out.append((server, list(dict.fromkeys(files))))
    return out


def _logs(ctx: HuntContext) -> PartResult:
    from sscguard.extract.logs.formats import FormatError, compile_layout
    from sscguard.logscan import LogsOptions, run_logs

    groups = access_logs(ctx.inventory, ctx.options.root)
    if not groups:
        return "no access logs of a discovered server were found under the root"
    docs = []
    for server, files in groups:
        layout = None
        fmt = next((s.format for s in server.log_files if s.format), None)
        if fmt:
            try:
                layout = compile_layout(fmt, name=server.kind)
            except FormatError:
                layout = None  # the reader detects the format from the lines themselves
        options = LogsOptions(
            files=tuple(files),
            layout=layout,
            webroots=server.web_roots,
            root=ctx.options.root,
            jobs=ctx.config.jobs,
        )
        docs.append(run_logs(options, command="logs"))
    return merge_documents(docs, command="logs", targets=tuple(f for _, fs in groups for f in fs))


EVENT_LOCATIONS = (
    "var/log/audit/audit.log*",
    "Windows/System32/winevt/Logs/*.evtx",
    "Windows/System32/winevt/Logs/*.xml",
)


def event_files(root: str, extra: Sequence[str] = ()) -> list[str]:
    import glob

    found = [p for pattern in EVENT_LOCATIONS for p in glob.glob(os.path.join(root, pattern))]
    return sorted(dict.fromkeys([*found, *extra]))


def _events(ctx: HuntContext) -> PartResult:
    from sscguard.logscan import LogsOptions, run_logs

    files = [
        p for p in event_files(ctx.options.root, ctx.options.event_files)
        if os.path.isfile(p) and not os.path.islink(p)
    ]  # fmt: skip
    if not files:
        return "no event records (auditd, EVTX or exported event XML) found under the root"
    webroots = tuple(dict.fromkeys(w for s in ctx.inventory.servers for w in s.web_roots))
    options = LogsOptions(files=(), events=tuple(files), webroots=webroots,
                          root=ctx.options.root, jobs=ctx.config.jobs)  # fmt: skip
    return run_logs(options, command="events")


def _baseline(ctx: HuntContext) -> PartResult:
    from sscguard.commands.baseline import default_db

    db = ctx.options.baseline_db or default_db()
    if not os.path.isfile(db):
        return f"no baseline yet at {db} (create one with: sscguard baseline init)"
    from sscguard.baseline.engine import verify

    return verify(ctx.options.root, db, ctx.config, pubkey=ctx.options.baseline_pubkey,
                  command="baseline verify")  # fmt: skip


def _processes(ctx: HuntContext) -> PartResult:
    if os.path.realpath(ctx.options.root) != "/":
        return "process and network checks need the live host (--root /), not an image"
    from sscguard.live.hunt import HuntOptions as ProcessOptions
    from sscguard.live.hunt import hunt as process_hunt

    doc, _ = process_hunt(ProcessOptions(), command="processes")
    return doc


PARTS: tuple[tuple[str, Part], ...] = (
    ("components", _components),
    ("content", _content),
    ("baseline", _baseline),
    ("sql", _sql),
    ("logs", _logs),
    ("events", _events),
    ("processes", _processes),
)


def merge_documents(
    docs: Sequence[ResultDocument],
    *,
    command: str,
    targets: tuple[str, ...],
    extra_skipped: Sequence[Skipped] = (),
    prefixes: Sequence[str] = (),
) -> ResultDocument:
    """One document from several: findings deduplicated by fingerprint, stats prefixed."""
    findings: dict[str, Finding] = {}
    skipped: list[Skipped] = list(extra_skipped)
    stats: dict[str, int | float] = {}
    for index, doc in enumerate(docs):
        for finding in doc.findings:
            findings.setdefault(finding.fingerprint, finding)
        skipped.extend(doc.skipped)
        prefix = prefixes[index] if index < len(prefixes) else ""
        for key, value in doc.stats.items():
            name = f"{prefix}.{key}" if prefix else key
            stats[name] = stats.get(name, 0) + value
    started = min((d.started for d in docs), default=now_iso())
    return ResultDocument(
        tool_version=__version__,
        rules_version="+".join(dict.fromkeys(d.rules_version for d in docs)) or __version__,
        command=command,
        started=started,
        finished=now_iso(),
        host=socket.gethostname(),
        targets=targets,
        findings=sort_findings(list(findings.values())),
        skipped=tuple(skipped),
        stats=stats,
    )


def hunt(
    options: HuntOptions,
    config: ScanConfig,
    observer: Observer | None = None,
    command: str = "hunt",
    parts: Sequence[tuple[str, Part]] = PARTS,
) -> ResultDocument:
    """Run every applicable part against ``options.root`` and merge their documents."""
    from sscguard.targets import discover

    clock = time.monotonic()
    started = now_iso()
    inventory = discover(options.root)
    ctx = HuntContext(options, config, inventory, observer)
    docs: list[ResultDocument] = []
    names: list[str] = []
    not_run: list[Skipped] = []
    for name, part in parts:
        result = part(ctx)
        if isinstance(result, str):
            not_run.append(Skipped(f"part:{name}", SkipCode.NOT_RUN, result))
        else:
            docs.append(result)
            names.append(name)
    merged = merge_documents(
        docs,
        command=command,
        targets=(display_path(os.path.abspath(options.root)),),
        extra_skipped=not_run,
        prefixes=names,
    )
    stats = dict(merged.stats)
    stats["parts_run"] = len(docs)
    stats["parts_not_run"] = len(not_run)
    stats["servers"] = len(inventory.servers)
    stats["duration_s"] = round(time.monotonic() - clock, 3)
    stats["findings"] = len(merged.findings)
    return ResultDocument(
        tool_version=merged.tool_version,
        rules_version=merged.rules_version,
        command=command,
        started=started,
        finished=now_iso(),
        host=merged.host,
        targets=merged.targets,
        findings=merged.findings,
        skipped=merged.skipped,
        stats=stats,
    )
