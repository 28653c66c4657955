"""``logs``: read access logs and event records, run the log analytics, build the document.

Access logs are read in worker processes (one per file or per byte range of a large plain
file); each returns a partial :class:`AccessAnalyzer` that the parent merges in log order.
Event records (EVTX, event XML/JSON, auditd) are read in the parent. Correlation with the web
root runs last, on the ranked URIs only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sscguard import __version__
from sscguard.detect.logs.webshell import (
    AccessAnalyzer,
    AccessReport,
    AnalyticsConfig,
    access_findings,
)
from sscguard.extract.files import display_path
from sscguard.extract.logs.access import (
    ColumnarFallbackError,
    Detected,
    FileStats,
    Layout,
    order_rotated,
    read_access_log,
    sniff,
    split_ranges,
)
from sscguard.model import (
    Finding,
    Location,
    ResultDocument,
    Severity,
    SkipCode,
    Skipped,
    sort_findings,
)
from sscguard.scan import now_iso
from sscguard.textutil import parse_log_time

log = logging.getLogger(__name__)

SEQ_PART = 1 << 40  # record numbers of worker i start at i * SEQ_PART until rebased
PARALLEL_ABOVE = 16 << 20  # bytes of access logs below which workers cost more than they save


@dataclass(frozen=True, slots=True)
class LogContext:
    """What server discovery knows about a host's logs: formats and web roots.

    Filled by :func:`discover_context`; until discovery exists it is empty and the command
    line supplies ``--log-format`` and ``--webroot``.
    """

    log_format: str | None = None
    webroots: tuple[str, ...] = ()


def discover_context(root: str | None) -> LogContext:
    """Formats and web roots from server discovery under ``root`` (nothing without a root).

    The format is the first one discovery resolved for an access log (LogFormat/log_format/
    Tomcat pattern); ``--log-format`` and ``--webroot`` override it.
    """
    if not root:
        return LogContext()
    from sscguard.targets import discover

    inventory = discover(root)
    formats = [
        source.format
        for server in inventory.servers
        for source in server.log_files
        if source.format and "error" not in os.path.basename(source.path)
    ]
    webroots = tuple(dict.fromkeys(w for s in inventory.servers for w in s.web_roots))
    return LogContext(log_format=formats[0] if formats else None, webroots=webroots)


@dataclass(frozen=True, slots=True)
class LogsOptions:
    files: tuple[str, ...]
    events: tuple[str, ...] = ()
    layout: Layout | None = None
    sigma: tuple[str, ...] = ()
    webroots: tuple[str, ...] = ()
    root: str | None = None
    previous: tuple[str, ...] = ()
    jobs: int = 1
    analytics: AnalyticsConfig = field(default_factory=AnalyticsConfig)
    min_severity: Severity = Severity.INFO  # findings below it are counted, not kept


@dataclass(frozen=True, slots=True)
class _Task:
    index: int
    path: str
    detected: Detected
    byte_range: tuple[int, int] | None


@dataclass(slots=True)
class _Part:
    task: _Task
    stats: FileStats
    analyzer: AccessAnalyzer
    webserver_events: list[Any] = field(default_factory=list)


_SIGMA_RULES: Any = None


def _run_task(task: _Task, analytics: AnalyticsConfig) -> _Part:
    try:
        return _read_task(task, analytics, columnar=True)
    except ColumnarFallbackError:
        log.info("%s: re-reading line by line (undecodable bad lines)", task.path)
        return _read_task(task, analytics, columnar=False)


def _read_task(task: _Task, analytics: AnalyticsConfig, columnar: bool) -> _Part:
    stats = FileStats(display_path(task.path))
    analyzer = AccessAnalyzer(analytics)
    part = _Part(task, stats, analyzer)
    for batch in read_access_log(
        task.path,
        stats,
        task.index * SEQ_PART,
        columnar=columnar,
        detected=task.detected,
        byte_range=task.byte_range,
    ):
        analyzer.feed(batch)
        if _SIGMA_RULES is not None:
            part.webserver_events.extend(_SIGMA_RULES(batch, stats.path))
    return part


def _init_worker(sigma: Any) -> None:
    global _SIGMA_RULES
    _SIGMA_RULES = sigma


def _tasks(
    paths: Sequence[str], layout: Layout | None, jobs: int, skipped: list[Skipped]
) -> list[_Task]:
    tasks: list[_Task] = []
    for path in order_rotated(list(paths)):
        found = sniff(path, layout)
        if isinstance(found, str):
            code = SkipCode.NOT_FOUND if "No such file" in found else SkipCode.UNSUPPORTED
            if found.startswith("cannot read"):
                code = SkipCode.UNREADABLE if code != SkipCode.NOT_FOUND else code
            skipped.append(Skipped(display_path(path), code, found))
            continue
        ranges = split_ranges(path, jobs) if jobs > 1 else None
        chosen: list[tuple[int, int] | None] = list(ranges) if ranges else [None]
        for byte_range in chosen:
            tasks.append(_Task(len(tasks), path, found, byte_range))
    return tasks


def analyse_access_logs(
    paths: Sequence[str],
    layout: Layout | None,
    jobs: int,
    analytics: AnalyticsConfig,
    skipped: list[Skipped],
    webserver_matcher: Any = None,
) -> tuple[AccessReport, Callable[[int], Location], list[FileStats], list[Any]]:
    """Read and analyse access logs; returns the report, a record->location map and stats."""
    tasks = _tasks(paths, layout, jobs, skipped)
    total = 0
    for t in tasks:
        with contextlib.suppress(OSError):
            total += (
                (t.byte_range[1] - t.byte_range[0]) if t.byte_range else os.path.getsize(t.path)
            )
    parts: list[_Part]
    if jobs > 1 and len(tasks) > 1 and total >= PARALLEL_ABOVE:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)),
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(webserver_matcher,),
        ) as pool:
            parts = list(pool.map(_run_task, tasks, [analytics] * len(tasks)))
    else:
        _init_worker(webserver_matcher)
        parts = [_run_task(t, analytics) for t in tasks]
        _init_worker(None)
    merged = AccessAnalyzer(analytics)
    segments: list[tuple[int, int, FileStats]] = []
    offset = 0
    file_stats: dict[str, FileStats] = {}
    webserver_events: list[Any] = []
    for part in parts:
        part.analyzer.rebase(offset - part.task.index * SEQ_PART)
        merged.merge(part.analyzer)
        st = part.stats
        segments.append((offset, st.records, st))
        for ev in part.webserver_events:
            webserver_events.append(ev.rebased(offset - part.task.index * SEQ_PART))
        offset += st.records
        whole = file_stats.get(st.path)
        if whole is None:
            file_stats[st.path] = FileStats(
                st.path,
                st.layout,
                st.records,
                st.unparsed,
                list(st.samples),
                0,
                st.exact_lines,
                st.error,
            )
        else:
            whole.records += st.records
            whole.unparsed += st.unparsed
            whole.samples.extend(st.samples[: max(0, 5 - len(whole.samples))])
            whole.exact_lines = (
                whole.exact_lines and st.exact_lines and part.task.byte_range is not None
            )
            whole.error = whole.error or st.error
    report = merged.finish()
    for st in file_stats.values():
        if st.error:
            skipped.append(Skipped(st.path, SkipCode.ERROR, st.error))
        if st.unparsed:
            skipped.append(
                Skipped(
                    st.path,
                    SkipCode.UNSUPPORTED,
                    f"{st.unparsed} line(s) did not match the {st.layout} format and were not "
                    f"analysed; sample: " + " | ".join(st.samples[:3]),
                )
            )
    starts: dict[str, int] = {}
    for start, _, st in segments:
        starts.setdefault(st.path, start)

    def locate(seq: int) -> Location:
        for start, count, st in segments:
            if start <= seq < start + count:
                whole = file_stats[st.path]
                if whole.exact_lines:
                    return Location(st.path, line=seq - starts[st.path] + 1)
                return Location(f"{st.path}#record={seq - starts[st.path] + 1}")
        return Location("access-log")

    return report, locate, list(file_stats.values()), webserver_events


def run_logs(opts: LogsOptions, command: str = "") -> ResultDocument:
    from sscguard.detect.logs.correlate import correlate
    from sscguard.detect.logs.host import HostAnalyzer, server_children_of
    from sscguard.detect.logs.sigma import SigmaHit, WebserverSigma, host_hits
    from sscguard.detect.logs.sigma_findings import sigma_findings
    from sscguard.extract.logs.events import EventStats, read_events, sniff_event_file

    started = now_iso()
    clock = time.monotonic()
    skipped: list[Skipped] = []
    findings: list[Finding] = []
    stats: dict[str, int | float] = {}
    context = discover_context(opts.root)
    layout = opts.layout
    if layout is None and context.log_format:
        from sscguard.extract.logs.formats import compile_layout

        layout = compile_layout(context.log_format, name="discovered")
    webroots = tuple(opts.webroots) or context.webroots
    rules: tuple[Any, ...] = ()
    if opts.sigma:
        from sscguard.rules.sigma import load_sigma

        sigma_set = load_sigma(opts.sigma)
        rules = sigma_set.rules
        skipped.extend(sigma_set.skipped)
        stats["sigma_rules"] = len(rules)
    access_files, event_files = classify_inputs(opts.files, skipped)
    event_files += list(opts.events)
    hits: list[SigmaHit] = []
    report: AccessReport | None = None
    locate: Callable[[int], Location] = lambda seq: Location("access-log")  # noqa: E731
    if access_files:
        web_sigma = WebserverSigma(rules) if rules else None
        report, locate, file_stats, web_hits = analyse_access_logs(
            access_files,
            layout,
            opts.jobs,
            opts.analytics,
            skipped,
            web_sigma if web_sigma is not None and web_sigma.rules else None,
        )
        hits.extend(web_hits)
        findings.extend(access_findings(report, locate))
        stats["access_records"] = report.records
        stats["access_unparsed_lines"] = sum(s.unparsed for s in file_stats)
        stats["access_files"] = len(file_stats)
        stats["distinct_uris"] = report.distinct_paths
        stats["ranked_candidates"] = len(report.candidates)
    host = HostAnalyzer(webroots=webroots)
    event_records = event_unparsed = 0
    for path in event_files:
        kind = sniff_event_file(path)
        est = EventStats(display_path(path))
        if kind is None:
            skipped.append(
                Skipped(est.path, SkipCode.UNSUPPORTED, "not EVTX, event XML/JSON or auditd")
            )
            continue
        for event in read_events(path, kind, est):
            host.feed(event)
            if rules and len(hits) < 100_000:
                hits.extend(host_hits(rules, event))
        event_records += est.records
        event_unparsed += est.unparsed
        if est.error:
            skipped.append(Skipped(est.path, SkipCode.ERROR, est.error))
        if est.unparsed:
            skipped.append(
                Skipped(
                    est.path,
                    SkipCode.UNSUPPORTED,
                    f"{est.unparsed} {kind} record(s) could not be read; sample: "
                    + " | ".join(est.samples[:3]),
                )
            )
    if event_files:
        findings.extend(host.finish())
        stats["event_records"] = event_records
        stats["event_unparsed"] = event_unparsed
        stats["event_files"] = len(event_files)
    if rules:
        findings.extend(sigma_findings(rules, hits, locate))
        stats["sigma_hits"] = len(hits)
    if report is not None and (webroots or opts.previous):
        facts = collect_file_facts(webroots, opts.root, opts.previous, report.log_start, skipped)
        stats["correlated_files"] = len(facts)
        findings.extend(
            correlate(facts, report.requests, locate, server_children_of(host.server_children))
        )
    every = sort_findings(findings)
    shown = tuple(f for f in every if f.severity >= opts.min_severity)
    read = [*access_files, *event_files]
    stats.update(
        {
            "files_scanned": len(read),
            "bytes_scanned": sum(_size(p) for p in read),
            "rules": len(rules),
            "findings": len(shown),
            "findings_below_threshold": len(every) - len(shown),
            "duration_s": round(time.monotonic() - clock, 3),
            "jobs": opts.jobs,
        }
    )
    return ResultDocument(
        tool_version=__version__,
        rules_version=__version__,
        command=command,
        started=started,
        finished=now_iso(),
        host=socket.gethostname(),
        targets=tuple(display_path(p) for p in (*opts.files, *opts.events)),
        findings=shown,
        skipped=tuple(skipped),
        stats=stats,
    )


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


SCRIPT_SUFFIXES = (
    ".php",
    ".phtml",
    ".phar",
    ".php5",
    ".php7",
    ".asp",
    ".aspx",
    ".ashx",
    ".asmx",
    ".jsp",
    ".jspx",
    ".cfm",
    ".pl",
    ".cgi",
    ".py",
    ".sh",
    ".shtml",
)


def collect_file_facts(
    webroots: Sequence[str],
    root: str | None,
    previous: Sequence[str],
    log_start: bytes,
    skipped: list[Skipped],
) -> list[Any]:
    """Script files under the web roots: content-scanned, and compared with the log start."""
    import datetime as dt
    import json

    from sscguard.config import ScanConfig
    from sscguard.detect.logs.correlate import FileFact
    from sscguard.model import ResultDocument
    from sscguard.scan import scan

    start = parse_log_time(log_start)
    flagged: dict[str, set[str]] = {}
    for path in previous:
        try:
            with open(path, encoding="utf-8") as handle:
                doc = ResultDocument.from_dict(json.load(handle))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            skipped.append(
                Skipped(display_path(path), SkipCode.ERROR, f"cannot load result: {exc}")
            )
            continue
        for f in doc.findings:
            flagged.setdefault(f.subject.path, set()).add(f.rule_id)
    facts: list[FileFact] = []
    base = os.path.realpath(root) if root else None
    for webroot in webroots:
        real = webroot
        if base is not None:
            real = os.path.join(base, webroot.lstrip("/\\"))
        real = os.path.realpath(real)
        if base is not None and not (real == base or real.startswith(base + os.sep)):
            skipped.append(
                Skipped(webroot, SkipCode.SYMLINK_OUTSIDE_ROOT, "web root leaves --root")
            )
            continue
        if not os.path.isdir(real):
            skipped.append(Skipped(display_path(webroot), SkipCode.NOT_FOUND, "no such web root"))
            continue
        doc = scan([real], ScanConfig(jobs=1, progress=False))
        skipped.extend(doc.skipped)
        for f in doc.findings:
            flagged.setdefault(f.subject.path, set()).add(f.rule_id)
        count = 0
        for dirpath, dirnames, filenames in os.walk(real):
            dirnames.sort()
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                shown = display_path(full)
                is_script = name.lower().endswith(SCRIPT_SUFFIXES)
                if not is_script and shown not in flagged:
                    continue
                try:
                    st = os.lstat(full)
                except OSError:
                    continue
                # log times have one-second resolution: a file changed within the first
                # logged second counts as older than the log
                appeared = bool(start is not None and is_script and st.st_mtime >= start + 1)
                rel = os.path.relpath(full, real).replace(os.sep, "/")
                facts.append(
                    FileFact(
                        shown,
                        rel,
                        tuple(sorted(flagged.pop(shown, set()))),
                        appeared,
                        dt.datetime.fromtimestamp(st.st_mtime, dt.UTC).isoformat(
                            timespec="seconds"
                        ),
                    )
                )
                count += 1
                if count >= 100_000:
                    break
    for path, rule_ids in flagged.items():  # flagged in a previous run, outside the web roots
        facts.append(FileFact(path, "", tuple(sorted(rule_ids)), False))
    return facts


def classify_inputs(paths: Sequence[str], skipped: list[Skipped]) -> tuple[list[str], list[str]]:
    """Split inputs into access logs and event-record files by their content."""
    from sscguard.extract.logs.events import sniff_event_file

    access: list[str] = []
    events: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            try:
                names = sorted(os.listdir(path))
            except OSError as exc:
                skipped.append(Skipped(display_path(path), SkipCode.UNREADABLE, str(exc)))
                continue
            inner = [os.path.join(path, n) for n in names if os.path.isfile(os.path.join(path, n))]
            a, e = classify_inputs(inner, skipped)
            access += a
            events += e
            continue
        if not os.path.exists(path):
            skipped.append(Skipped(display_path(path), SkipCode.NOT_FOUND, "no such file"))
            continue
        kind = sniff_event_file(path)
        (events if kind else access).append(path)
    return access, events
