"""``sscguard watch``: one long-running loop over processes, access logs and (when present) the
file-integrity watch, writing findings as JSON Lines as they appear.

Sources:

* process polling every ``interval`` seconds (the full ``processes`` checks; each finding is
  written once, keyed by its fingerprint);
* the kernel proc connector (root only): every exec below a server is read at once, so a child
  that lives shorter than the interval is still seen with its lineage (``netlink``). Without
  it, polling misses short-lived children: that limitation is written to the status line;
* access logs (``--access-log`` plus ``discover_access_logs()``): followed like ``tail -F``;
  recent lines are attached to web-server findings as context, and each line is offered to
  ``LOG_ANALYSERS`` (the log-analytics checks plug in there);
* the file-integrity watch through ``integrity_watch_hook()`` when that feature is installed.

``stop`` (set by SIGTERM/SIGINT in the command) ends the loop within about half a second.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TextIO

from sscguard import __version__
from sscguard.detect.process import Classifier, Known, detect
from sscguard.extract.processes import ProcessNode, list_processes, quick_node, read_node
from sscguard.live import netlink
from sscguard.live.hunt import HuntOptions, collect
from sscguard.live.logtail import LogTail
from sscguard.model import Evidence, Finding, Location, Skipped, finding_to_dict
from sscguard.textutil import sanitize

log = logging.getLogger(__name__)

#: Per-line access-log analysers: (log path, line) -> findings. Empty here; the log-analytics
#: checks register into it. Keep them fast: they run in the watch loop.
LOG_ANALYSERS: list[Callable[[str, str], list[Finding]]] = []

_CONTEXT_LINES = 5
_CONTEXT_WINDOW = 10.0  # seconds around a child's start time


def discover_access_logs() -> list[str]:
    """Access logs of the servers discovered on this host (plus any given with --access-log)."""
    from sscguard.targets import discover

    inventory = discover("/")
    logs = [
        inventory.host_path(source.path)
        for server in inventory.servers
        for source in server.log_files
        if "error" not in os.path.basename(source.path)
    ]
    return sorted(p for p in dict.fromkeys(logs) if os.path.isfile(p))


def integrity_watch_hook(
    write: Callable[[dict[str, Any]], None], stop: threading.Event, db: str | None
) -> Callable[[], None] | None:
    """Start the file-integrity watch of baseline ``db`` in the background (records go to
    ``write``); None when no baseline exists there yet."""
    if not db:
        return None
    from sscguard.baseline.watch import start_background

    return start_background(write, stop, db)


@dataclass(slots=True)
class WatchOptions:
    hunt: HuntOptions = field(default_factory=HuntOptions)
    interval: float = 2.0
    access_logs: tuple[str, ...] = ()
    known: Known | None = None
    duration: float | None = None  # stop after this many seconds (tests, cron)
    use_netlink: bool = True
    integrity: bool = True
    integrity_db: str | None = None  # the file-integrity baseline (sscguard baseline init)


class Watch:
    """The loop. ``run()`` blocks until ``stop`` is set (or ``duration`` elapses)."""

    def __init__(self, options: WatchOptions, out: TextIO, stop: threading.Event) -> None:
        self.options = options
        self.out = out
        self.stop = stop
        self.host = socket.gethostname()
        self.emitted: set[str] = set()
        self.skips_seen: set[tuple[str, str]] = set()
        self.lock = threading.Lock()
        self.poke = threading.Event()
        self.ephemeral: dict[int, ProcessNode] = {}
        self.latest: dict[int, ProcessNode] = {}
        self.recent_lines: deque[tuple[float, str, str]] = deque(maxlen=2000)
        self.classifier = Classifier(options.hunt.servers)
        self.counts = {"polls": 0, "findings": 0, "exec_events": 0, "log_lines": 0}

    # -- output ----------------------------------------------------------------------------

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(
            {**record, "host": self.host, "tool_version": __version__}, ensure_ascii=True
        )
        with self.lock:
            self.out.write(line + "\n")
            self.out.flush()

    def status(self, event: str, **extra: Any) -> None:
        self._write({"type": "status", "event": event, "at": _now(), **extra})

    def emit(self, finding: Finding) -> None:
        with self.lock:
            if finding.fingerprint in self.emitted:
                return
            self.emitted.add(finding.fingerprint)
            self.counts["findings"] += 1
        self._write({"type": "finding", "observed_at": _now(), **finding_to_dict(finding)})

    def _skip(self, skip: Skipped) -> None:
        key = (skip.source, skip.code.value)
        if key in self.skips_seen or skip.code.value == "vanished":
            return
        self.skips_seen.add(key)
        self._write(
            {
                "type": "skipped",
                "at": _now(),
                "source": skip.source,
                "code": skip.code.value,
                "reason": skip.reason,
            }
        )

    # -- process events (netlink thread) ---------------------------------------------------

    def _on_exec(self, pid: int) -> None:
        node = quick_node(pid, self.options.hunt.proc)
        if node is None:
            return
        chain = [node]
        current = node
        for _ in range(32):
            if current.ppid <= 1:
                break
            parent = self.latest.get(current.ppid) or read_node(
                current.ppid, self.options.hunt.proc
            )
            if parent is None:
                break
            chain.append(parent)
            current = parent
        if any(self.classifier.kind(n, listening=True) for n in chain[1:]):
            with self.lock:
                for item in chain:
                    self.ephemeral.setdefault(item.pid, item)
            self.poke.set()

    def _events(self, sock: socket.socket) -> None:
        try:
            while not self.stop.is_set():
                for event in netlink.receive(sock):
                    if event.kind == "exec":
                        self.counts["exec_events"] += 1
                        self._on_exec(event.pid)
        except Exception:  # never let the thread die silently: the loop keeps polling
            log.exception("proc connector thread failed; polling only from now on")
        finally:
            netlink.close_connector(sock)

    # -- logs ------------------------------------------------------------------------------

    def _read_logs(self, tails: list[LogTail]) -> None:
        now = time.time()
        for tail in tails:
            for line in tail.poll():
                self.counts["log_lines"] += 1
                self.recent_lines.append((now, tail.path, line))
                for analyser in LOG_ANALYSERS:
                    for finding in analyser(tail.path, line):
                        self.emit(finding)
            for error in tail.errors:
                log.warning("access log: %s", error)
            tail.errors.clear()

    def _with_log_context(self, finding: Finding, started: float) -> Finding:
        if not self.recent_lines or "SSC-003-" not in finding.rule_id:
            return finding
        near = [
            (path, line)
            for seen, path, line in self.recent_lines
            if abs(seen - started) <= _CONTEXT_WINDOW + self.options.interval
        ][-_CONTEXT_LINES:]
        if not near:
            return finding
        extra = tuple(
            Evidence(
                kind="access-log",
                location=Location(path),
                excerpt=sanitize(line, 300),
                detail="access-log line received around the process start (context)",
            )
            for path, line in near
        )
        return replace(finding, evidence=(*finding.evidence, *extra))

    # -- the loop --------------------------------------------------------------------------

    def poll_once(self) -> None:
        snap = list_processes(self.options.hunt.proc)
        with self.lock:
            ephemeral, self.ephemeral = self.ephemeral, {}
        for pid, node in ephemeral.items():
            current = snap.nodes.get(pid)
            if current is None:
                snap.nodes[pid] = replace(
                    node, problems=(*node.problems, "exited before the poll (proc connector)")
                )
        self.latest = dict(snap.nodes)
        facts, snap = collect(self.options.hunt, self.options.known, snapshot=snap)
        for skip in snap.skipped:
            self._skip(skip)
        for finding in detect(facts):
            pid = _subject_pid(finding)
            started = facts.nodes[pid].started if pid in facts.nodes else time.time()
            self.emit(self._with_log_context(finding, started))
        self.counts["polls"] += 1

    def run(self) -> None:
        opts = self.options
        sock = netlink.open_connector() if opts.use_netlink else None
        thread = None
        if sock is not None:
            thread = threading.Thread(target=self._events, args=(sock,), daemon=True)
            thread.start()
        logs = list(dict.fromkeys([*opts.access_logs, *discover_access_logs()]))
        tails = [LogTail(path) for path in logs]
        for tail in tails:
            tail.start()
        join_integrity = (
            integrity_watch_hook(self._write, self.stop, opts.integrity_db)
            if opts.integrity
            else None
        )
        self.status(
            "started",
            interval=opts.interval,
            process_events="proc-connector" if sock is not None else "polling-only",
            limitation=None
            if sock is not None
            else "children shorter-lived than the poll interval can be missed "
            "(run as root for the kernel proc connector)",
            access_logs=logs,
            integrity_watch=join_integrity is not None,
            integrity_baseline=opts.integrity_db if join_integrity is not None else None,
        )
        deadline = time.monotonic() + opts.duration if opts.duration else None
        next_poll = 0.0
        try:
            while not self.stop.is_set():
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    break
                self._read_logs(tails)
                if now >= next_poll or self.poke.is_set():
                    self.poke.clear()
                    try:
                        self.poll_once()
                    except Exception:  # one bad poll must not end the watch
                        log.exception("poll failed; retrying at the next interval")
                    next_poll = now + opts.interval
                self.stop.wait(min(0.5, max(0.05, next_poll - time.monotonic())))
                if self.poke.is_set():
                    continue
        finally:
            self.stop.set()
            if thread is not None:
                thread.join(timeout=2)
            for tail in tails:
                tail.close()
            if join_integrity is not None:
                join_integrity()
            self.status("stopped", **self.counts)


def _subject_pid(finding: Finding) -> int:
    text = finding.subject.path.removeprefix("proc://")
    digits = ""
    for char in text:
        if not char.isdigit():
            break
        digits += char
    return int(digits) if digits else -1


def _now() -> str:
    from sscguard.scan import now_iso

    return now_iso()


def running_as_root() -> bool:
    return os.geteuid() == 0
