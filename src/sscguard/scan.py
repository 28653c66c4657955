"""``scan``: walk targets, read each file with bounds, run the detectors, build the document.

The walk happens in the calling process; reading and matching run in worker processes (YARA-X
holds the GIL, so threads would not use the second core). Small scans stay in-process, where
starting workers would cost more than it saves. Memory stays bounded: at most a few batches
are in flight at a time.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from sscguard import __version__
from sscguard.config import ScanConfig
from sscguard.detect.webshell.detectors import run_detectors
from sscguard.detect.webshell.polyglot import correlate
from sscguard.detect.webshell.signatures import findings_for
from sscguard.errors import ScanError
from sscguard.extract.archive import is_archive, members
from sscguard.extract.files import (
    FileContent,
    FileEntry,
    Walker,
    WalkOptions,
    display_path,
    read_entry,
)
from sscguard.extract.filetype import extension, filetype
from sscguard.model import Finding, ResultDocument, SkipCode, Skipped, sort_findings
from sscguard.rules.yara import Matcher, MatchError, RuleSet, compile_rules

log = logging.getLogger(__name__)

BATCH_FILES = 256
BATCH_BYTES = 16 << 20
IN_PROCESS_BELOW = 64  # files: fewer than this are scanned without worker processes


class Observer(Protocol):
    """Progress callbacks; the library never prints, the CLI decides how to show progress."""

    def discovered(self, files: int) -> None: ...

    def scanned(self, files: int, size: int) -> None: ...


class _NullObserver:
    def discovered(self, files: int) -> None:
        pass

    def scanned(self, files: int, size: int) -> None:
        pass


@dataclass(slots=True)
class BatchResult:
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files: int = 0
    size: int = 0


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- per file (runs in workers) ------------------------------------------------------------


def analyse_file(
    entry: FileEntry, matcher: Matcher, max_size: int, code_analysis: bool = True
) -> BatchResult:
    """Read one file and run every content detector on it."""
    result = BatchResult()
    shown = display_path(entry.path)
    content = read_entry(entry, max_size)
    if isinstance(content, Skipped):
        result.skipped.append(content)
        return result
    return analyse_content(
        shown, content, matcher, result, mtime_iso(entry.mtime_ns), code_analysis
    )


def mtime_iso(mtime_ns: int) -> str:
    try:
        moment = datetime.fromtimestamp(mtime_ns / 1e9, UTC)
    except (OverflowError, OSError, ValueError):  # attacker-set absurd timestamps
        return ""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def analyse_content(
    shown: str,
    content: FileContent,
    matcher: Matcher,
    result: BatchResult,
    mtime: str = "",
    code_analysis: bool = True,
) -> BatchResult:
    result.files += 1
    result.size += len(content.data)
    if content.truncated:
        result.skipped.append(
            Skipped(
                shown,
                SkipCode.TOO_LARGE,
                f"{content.size} bytes is above max_file_size; only the first and last "
                f"{len(content.data) // 2} bytes were scanned",
            )
        )
    _analyse_bytes(
        shown, content.data, content.truncated, content.size, mtime, matcher, result,
        code_analysis,
    )  # fmt: skip
    if not content.truncated and is_archive(shown, content.data[:4]):
        for member in members(shown, content.data):
            if isinstance(member, Skipped):
                result.skipped.append(member)
                continue
            result.size += len(member.data)
            _analyse_bytes(
                member.path, member.data, False, len(member.data), mtime, matcher, result,
                code_analysis,
            )  # fmt: skip
    return result


_NO_EXTERNALS: dict[str, str] = {}


def _analyse_bytes(
    shown: str,
    data: bytes,
    truncated: bool,
    size: int,
    mtime: str,
    matcher: Matcher,
    result: BatchResult,
    code_analysis: bool,
) -> None:
    """The YARA rules, then the code analysers, on one file's (or archive member's) bytes."""
    externals = (
        {
            "filename": os.path.basename(shown),
            "filepath": shown,
            "extension": extension(shown),
            "filetype": filetype(data[:16]),
        }
        if matcher.uses_externals
        else _NO_EXTERNALS
    )
    try:
        hits = matcher.match(data, externals)
    except MatchError as exc:
        result.skipped.append(Skipped(shown, SkipCode.ERROR, str(exc)))
        return
    result.findings.extend(findings_for(shown, data, hits, truncated, size=size, mtime=mtime))
    if not code_analysis:
        return
    bounded: list[str] = []
    try:
        result.findings.extend(run_detectors(shown, data, hits, truncated, matcher.gates, bounded))
        result.skipped.extend(Skipped(shown, SkipCode.BOUNDED, why) for why in bounded)
    except Exception as exc:  # a code analyser bug must not lose the YARA findings
        log.debug("code analysis failed on %r", shown, exc_info=True)
        result.skipped.append(Skipped(shown, SkipCode.ERROR, f"code analysis failed: {exc!r}"))


_WORKER: tuple[Matcher, int, bool] | None = None


#: glibc's mallopt parameters (malloc.h): M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_RETURN_ABOVE = 128 << 10


def _return_freed_memory() -> None:
    """Let a worker give large freed blocks back to the system (glibc only; else a no-op).

    glibc raises its mmap threshold each time a large block is freed, after which a big
    file's buffers and a large parse come from the heap and stay resident when freed: each
    worker kept the high-water mark of its largest file (~40 MB over the corpus). A fixed
    threshold keeps blocks above 128 KiB in their own mappings, returned on free."""
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt(_M_MMAP_THRESHOLD, _RETURN_ABOVE)
    mallopt(_M_TRIM_THRESHOLD, _RETURN_ABOVE)


def _init_worker(
    ruleset: RuleSet, max_size: int, code_analysis: bool = True, pooled: bool = False
) -> None:
    global _WORKER
    if pooled:
        _return_freed_memory()
    _WORKER = (Matcher(ruleset), max_size, code_analysis)


def _scan_batch(entries: list[FileEntry]) -> BatchResult:
    assert _WORKER is not None, "worker not initialised"
    matcher, max_size, code_analysis = _WORKER
    total = BatchResult()
    for entry in entries:
        try:
            one = analyse_file(entry, matcher, max_size, code_analysis)
        except Exception as exc:  # one bad file must never end the run
            log.debug("analysis failed on %r", entry.path, exc_info=True)
            total.skipped.append(
                Skipped(display_path(entry.path), SkipCode.ERROR, f"analysis failed: {exc!r}")
            )
            continue
        total.findings.extend(one.findings)
        total.skipped.extend(one.skipped)
        total.files += one.files
        total.size += one.size
    return total


# -- orchestration -------------------------------------------------------------------------


def _batches(
    items: Iterable[FileEntry | Skipped], skipped: list[Skipped], observer: Observer
) -> Iterator[list[FileEntry]]:
    batch: list[FileEntry] = []
    size = 0
    found = 0
    for item in items:
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        found += 1
        if found % 256 == 0:
            observer.discovered(found)
        batch.append(item)
        size += min(item.size, BATCH_BYTES)
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    observer.discovered(found)
    if batch:
        yield batch


def _merge(into: BatchResult, part: BatchResult, observer: Observer) -> None:
    into.findings.extend(part.findings)
    into.skipped.extend(part.skipped)
    into.files += part.files
    into.size += part.size
    observer.scanned(part.files, part.size)


def _run_in_process(
    batches: Iterator[list[FileEntry]], ruleset: RuleSet, config: ScanConfig, observer: Observer
) -> BatchResult:
    _init_worker(ruleset, config.max_file_size, config.code_analysis)
    total = BatchResult()
    for batch in batches:
        _merge(total, _scan_batch(batch), observer)
    return total


#: worker deaths tolerated in one scan before it stops (each one costs a fresh pool)
MAX_WORKER_CRASHES = 32
#: the task a worker runs on a batch; a parameter so tests can make a worker really die
Task = Callable[[list[FileEntry]], BatchResult]


def _new_pool(
    ruleset: RuleSet, config: ScanConfig, jobs: int, code_analysis: bool
) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=_init_worker,
        initargs=(ruleset, config.max_file_size, code_analysis, True),
    )


def _pool_pass(
    stream: Iterator[list[FileEntry]],
    ruleset: RuleSet,
    config: ScanConfig,
    observer: Observer,
    total: BatchResult,
    task: Task,
) -> list[list[FileEntry]]:
    """Scan batches from ``stream`` in a pool until the stream ends or a worker dies.

    Returns the batches lost with a dead worker (a crash in a parser or in the rule engine
    on attacker-written input, or the OOM killer): every batch in flight then fails, and
    the stream resumes where it stopped."""
    lost: list[list[FileEntry]] = []
    with _new_pool(ruleset, config, config.jobs, config.code_analysis) as pool:
        pending: dict[Future[BatchResult], list[FileEntry]] = {}
        limit = config.jobs * 4

        def drain(block_until_below: int) -> None:
            while len(pending) >= block_until_below:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    batch = pending.pop(future)
                    try:
                        part = future.result()
                    except BrokenProcessPool:
                        lost.append(batch)
                        continue
                    _merge(total, part, observer)

        for batch in stream:
            try:
                pending[pool.submit(task, batch)] = batch
            except BrokenProcessPool:
                lost.append(batch)
                break
            drain(limit)
            if lost:
                break
        drain(1)
        if lost:
            _kill_workers(pool)
    return lost


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill what is left of a broken pool's workers. Python 3.11's executor terminates them
    itself, but a worker it starts for a batch submitted while it does so is missed, and
    its shutdown then waits for that worker forever (``_processes`` is the executor's own
    pid -> Process map; absent, there is nothing more to do)."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # reaped or closed
            process.kill()


def _alone(
    entry: FileEntry, ruleset: RuleSet, config: ScanConfig, code_analysis: bool, task: Task
) -> BatchResult | None:
    """``entry`` scanned in a worker of its own; None when that worker died."""
    with _new_pool(ruleset, config, 1, code_analysis) as pool:
        try:
            return pool.submit(task, [entry]).result()
        except BrokenProcessPool:
            _kill_workers(pool)
            return None


def _isolate(
    entries: list[FileEntry],
    ruleset: RuleSet,
    config: ScanConfig,
    observer: Observer,
    total: BatchResult,
    task: Task,
) -> int:
    """Scan the files a dead worker took with it one at a time, in one worker, to find the
    one that kills it; that file gets the YARA rules alone in a fresh worker (when it was
    the code analysis that died) or a skipped entry. Returns the number of deaths."""
    crashes = 0
    queue = list(reversed(entries))
    while queue:
        with _new_pool(ruleset, config, 1, config.code_analysis) as pool:
            while queue:
                entry = queue[-1]
                try:
                    part = pool.submit(task, [entry]).result()
                except BrokenProcessPool:
                    queue.pop()
                    crashes += 1
                    _kill_workers(pool)
                    _after_crash(entry, ruleset, config, observer, total, task)
                    break  # this pool is dead: the next file gets a fresh one
                queue.pop()
                _merge(total, part, observer)
    return crashes


def _after_crash(
    entry: FileEntry,
    ruleset: RuleSet,
    config: ScanConfig,
    observer: Observer,
    total: BatchResult,
    task: Task,
) -> None:
    shown = display_path(entry.path)
    log.warning("a worker process died while scanning %s", shown)
    if config.code_analysis:
        part = _alone(entry, ruleset, config, False, task)
        if part is not None:
            _merge(total, part, observer)
            total.skipped.append(
                Skipped(shown, SkipCode.ERROR, "the code analysis killed its worker process "
                        "(a crash on this input); only the YARA rules ran on this file")
            )  # fmt: skip
            return
    total.skipped.append(
        Skipped(shown, SkipCode.ERROR, "the worker process died while scanning this file "
                "(a crash on this input); not scanned")
    )  # fmt: skip


def _run_pool(
    first: list[list[FileEntry]],
    batches: Iterator[list[FileEntry]],
    ruleset: RuleSet,
    config: ScanConfig,
    observer: Observer,
    task: Task = _scan_batch,
) -> BatchResult:
    total = BatchResult()
    stream = _chain(first, batches)
    crashes = 0
    while lost := _pool_pass(stream, ruleset, config, observer, total, task):
        crashes += _isolate([e for b in lost for e in b], ruleset, config, observer, total, task)
        if crashes > MAX_WORKER_CRASHES:
            raise ScanError(
                f"worker processes died {crashes} times; stopping (run with --jobs 1 and -v "
                "to see where)"
            )
    return total


def _chain(
    first: list[list[FileEntry]], rest: Iterator[list[FileEntry]]
) -> Iterator[list[FileEntry]]:
    yield from first
    yield from rest


def scan(
    paths: Sequence[str],
    config: ScanConfig,
    observer: Observer | None = None,
    ruleset: RuleSet | None = None,
    command: str = "scan",
    link_boundary: str | None = None,
) -> ResultDocument:
    """Scan files and folders for web shells and return the result document.

    ``link_boundary`` (a hunt's root): links out of the scanned folders whose targets lie
    inside it are followed, as the web server would follow them.
    """
    observer = observer or _NullObserver()
    started = now_iso()
    clock = time.monotonic()
    if ruleset is None:
        ruleset = compile_rules(config.rules, gates=config.code_analysis)
    walker = Walker(
        WalkOptions(
            max_depth=config.max_depth,
            max_size=config.max_file_size,
            exclude=config.exclude,
            one_file_system=config.one_file_system,
            link_boundary=link_boundary,
        )
    )
    skipped: list[Skipped] = list(ruleset.skipped)
    batches = _batches(walker.walk(list(paths)), skipped, observer)

    # Look ahead: a small scan is cheaper without worker processes.
    first: list[list[FileEntry]] = []
    counted = 0
    for batch in batches:
        first.append(batch)
        counted += len(batch)
        if counted >= IN_PROCESS_BELOW:
            break
    if config.jobs <= 1 or counted < IN_PROCESS_BELOW:
        total = _run_in_process(_chain(first, batches), ruleset, config, observer)
    else:
        total = _run_pool(first, batches, ruleset, config, observer)

    all_findings = sort_findings(correlate(total.findings))  # cross-file: prepends, mappings
    shown = tuple(f for f in all_findings if f.severity >= config.min_severity)
    all_skipped = skipped + total.skipped
    stats: dict[str, int | float] = {
        "files_scanned": total.files,
        "bytes_scanned": total.size,
        "directories": walker.dirs,
        "rules": len(ruleset),
        "findings": len(shown),
        "findings_below_threshold": len(all_findings) - len(shown),
        "skipped": len(all_skipped),
        "skipped_incomplete": sum(1 for s in all_skipped if s.incomplete),
        "duration_s": round(time.monotonic() - clock, 3),
        "jobs": config.jobs,
    }
    return ResultDocument(
        tool_version=__version__,
        rules_version=ruleset.version,
        command=command,
        started=started,
        finished=now_iso(),
        host=socket.gethostname(),
        targets=tuple(display_path(os.path.abspath(p)) for p in paths),
        findings=shown,
        skipped=tuple(sorted(all_skipped, key=lambda s: (s.source, s.code.value))),
        stats=stats,
    )
