"""``baseline watch``: inotify (through watchdog) over the component locations.

Each created, modified, moved, deleted or re-permissioned path is compared with the baseline a
short settle time after its last event (so a file still being written is scanned once it is
complete), through the same checks as verify, including the content scanner; findings go out
at once through the ``emit`` callback, once per distinct state of a path.

Lost events are never silent. The kernel's inotify queue overflows under bursts (16,384 events
by default); watchdog then rebuilds its watches and logs a warning but tells event handlers
nothing. This module hooks the overflow in two independent ways (a subclass of watchdog's
watch group, and a handler on watchdog's warning, in case the internals change) and answers
it with a full stat verify of every location. A dead emitter or observer thread, or a
location replaced under the watch, leads to the same rescan and a restart of the watches.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sscguard.baseline import collect, diff, engine
from sscguard.baseline.engine import Change, ContentScanner, RunState, Sample
from sscguard.baseline.locations import ComponentLocation, host_to_disk, walk_roots
from sscguard.baseline.records import DIR, FILE
from sscguard.baseline.store import BaselineReader
from sscguard.config import ScanConfig
from sscguard.model import Finding

log = logging.getLogger(__name__)

Emit = Callable[[dict[str, Any]], None]

HEALTH_EVERY = 1.0  # seconds between checks of the watcher threads and location identities
_OVERFLOW_TEXT = "queue overflowed"


@dataclass(slots=True)
class _Flags:
    overflow: threading.Event = field(default_factory=threading.Event)


class _OverflowLogHook(logging.Handler):
    """Second hook: watchdog logs a warning on every overflow."""

    def __init__(self, flags: _Flags) -> None:
        super().__init__(logging.WARNING)
        self.flags = flags

    def emit(self, record: logging.LogRecord) -> None:
        if _OVERFLOW_TEXT in record.getMessage():
            self.flags.overflow.set()


def _make_observer(flags: _Flags, timeout: float) -> Any:
    """A watchdog inotify observer whose watch groups report queue overflows to ``flags``."""
    from dataclasses import dataclass as _dataclass

    from watchdog.observers.api import BaseObserver
    from watchdog.observers.inotify import InotifyEmitter, InotifyWatchGroup
    from watchdog.observers.inotify_c import InotifyFD

    @_dataclass
    class _Group(InotifyWatchGroup):
        def on_queue_overflow(self) -> None:
            super().on_queue_overflow()
            flags.overflow.set()

    class _Emitter(InotifyEmitter):
        def on_thread_start(self) -> None:
            self._inotify = _Group(
                self._inotify_fd,
                os.fsencode(self.watch.path),
                is_recursive=self.watch.is_recursive,
                event_mask=self.get_event_mask_from_filter(),
                follow_symlink=False,
            )

    class _Observer(BaseObserver):
        def __init__(self) -> None:
            self._inotify_fd = InotifyFD()
            self._inotify_fd.start()
            super().__init__(_Emitter, timeout=timeout, inotify_fd=self._inotify_fd)

        def on_thread_stop(self) -> None:
            super().on_thread_stop()
            self._inotify_fd.stop()
            self._inotify_fd.join()

    return _Observer()


def _event_filter() -> list[Any]:
    from watchdog import events as ev

    return [
        ev.FileCreatedEvent,
        ev.DirCreatedEvent,
        ev.FileModifiedEvent,
        ev.FileAttribEvent,
        ev.DirAttribEvent,
        ev.FileDeletedEvent,
        ev.DirDeletedEvent,
        ev.FileMovedEvent,
        ev.DirMovedEvent,
        ev.FileClosedEvent,
    ]


class _Handler:
    """watchdog handler: turns events into (disk path, recursive) items on a queue."""

    def __init__(self, items: queue.Queue[tuple[str, bool]]) -> None:
        self.items = items

    def dispatch(self, event: Any) -> None:
        kind = event.event_type
        is_dir = bool(event.is_directory)
        if kind == "modified" and is_dir:
            return  # a child's own event says what changed
        recursive = is_dir and kind in ("created", "moved", "deleted")
        src = os.fsdecode(event.src_path)
        if src:
            self.items.put((src, recursive))
        dest = os.fsdecode(getattr(event, "dest_path", "") or "")
        if dest:
            self.items.put((dest, recursive))


class Watcher:
    """Watch the baseline's locations under ``root``; call ``emit`` with JSON-ready dicts."""

    def __init__(
        self,
        root: str,
        reader: BaselineReader,
        config: ScanConfig,
        emit: Emit,
        settle: float = 0.2,
    ) -> None:
        self.root = root
        self.reader = reader
        self.config = config
        self.emit = emit
        self.settle = settle
        self.locations: list[ComponentLocation] = reader.locations
        self.roots = walk_roots(self.locations)
        self.scanner = ContentScanner(config)
        self.flags = _Flags()
        self.items: queue.Queue[tuple[str, bool]] = queue.Queue()
        self.reported: dict[str, str] = {}  # subject -> state key last emitted
        self.observer: Any = None
        self.identities: dict[str, tuple[int, int] | None] = {}
        self.rescans = 0
        self.processed = 0

    # -- lifecycle ----------------------------------------------------------------------

    def _start_observer(self) -> None:
        observer = _make_observer(self.flags, timeout=0.5)
        handler = _Handler(self.items)
        watched = []
        for host in self.roots:
            disk = host_to_disk(self.root, host)
            try:
                st = os.lstat(disk)
            except OSError:
                self.identities[host] = None
                self.status("location-missing", path=host)
                continue
            self.identities[host] = (st.st_dev, st.st_ino)
            if os.path.isdir(disk) and not os.path.islink(disk):
                observer.schedule(handler, disk, recursive=True, event_filter=_event_filter())
            else:  # a single file: watch its folder, keep only its own events
                observer.schedule(
                    _OnlyPath(handler, disk),
                    os.path.dirname(disk),
                    recursive=False,
                    event_filter=_event_filter(),
                )
            watched.append(host)
        observer.start()
        self.observer = observer
        self.watched = watched

    def _stop_observer(self) -> None:
        observer, self.observer = self.observer, None
        if observer is None:
            return
        try:
            observer.stop()
            observer.join(timeout=5)
        except Exception:  # a broken observer must not keep us from restarting
            log.debug("stopping the observer failed", exc_info=True)

    def status(self, event: str, **detail: Any) -> None:
        self.emit({"type": "status", "event": event, **detail})

    def run(self, stop: threading.Event, initial_verify: bool = True) -> None:
        hook = _OverflowLogHook(self.flags)
        watchdog_log = logging.getLogger("watchdog")
        watchdog_log.addHandler(hook)
        try:
            self.scanner.warm_up()  # compile the rules now, not at the first event
            self._start_observer()
            self.status("ready", locations=self.watched)
            if initial_verify:
                self.rescan("initial verify")
            next_health = time.monotonic() + HEALTH_EVERY
            pending: dict[str, tuple[float, bool]] = {}
            while not stop.is_set():
                timeout = self.settle if pending else 0.25
                try:
                    path, recursive = self.items.get(timeout=timeout)
                    now = time.monotonic()
                    before = pending.get(path)
                    pending[path] = (now, recursive or (before[1] if before else False))
                    while True:  # drain what is already queued
                        path, recursive = self.items.get_nowait()
                        before = pending.get(path)
                        pending[path] = (now, recursive or (before[1] if before else False))
                except queue.Empty:
                    pass
                if self.flags.overflow.is_set():
                    self.flags.overflow.clear()
                    pending.clear()
                    self._drain_queue()
                    self.rescan("inotify queue overflow: events were lost")
                now = time.monotonic()
                ready = [p for p, (t, _) in pending.items() if now - t >= self.settle]
                for path in sorted(ready):
                    _, recursive = pending.pop(path)
                    self.check_path(path, recursive)
                if now >= next_health:
                    next_health = now + HEALTH_EVERY
                    problem = self._health()
                    if problem:
                        self.status("watcher-error", detail=problem)
                        self._stop_observer()
                        self._start_observer()
                        pending.clear()
                        self.rescan(f"watcher error: {problem}")
        finally:
            self._stop_observer()
            watchdog_log.removeHandler(hook)
            self.status("stopped", rescans=self.rescans, paths_checked=self.processed)

    def _drain_queue(self) -> None:
        try:
            while True:
                self.items.get_nowait()
        except queue.Empty:
            return

    def _health(self) -> str | None:
        observer = self.observer
        if observer is None or not observer.is_alive():
            return "the observer thread stopped"
        for emitter in list(observer.emitters):
            if not emitter.is_alive():
                return f"the watch on {emitter.watch.path} stopped"
        for host, identity in self.identities.items():
            try:
                st = os.lstat(host_to_disk(self.root, host))
                now: tuple[int, int] | None = (st.st_dev, st.st_ino)
            except OSError:
                now = None
            if now != identity:
                return f"location {host} was replaced or removed"
        return None

    # -- checking -----------------------------------------------------------------------

    def _host_path(self, disk: str) -> str | None:
        root = self.root.rstrip("/")
        if not root:
            return disk
        if disk == root:
            return "/"
        if disk.startswith(root + "/"):
            return disk[len(root) :]
        return None

    def check_path(self, disk: str, recursive: bool) -> None:
        host = self._host_path(disk)
        if host is None:
            return
        self.processed += 1
        state = RunState()
        if recursive:
            stored = list(self.reader.stat_below(host))
            found = list(
                engine.changes(
                    self.root, self.reader, [host], stored, state, 1, Sample(fraction=0), False
                )
            )
        else:
            found = self._single(host, state)
        self._report(found, state)

    def _single(self, host: str, state: RunState) -> list[Change]:
        old = self.reader.get(host)
        new = collect.stat_one(self.root, host)
        if new is None and old is not None and old.ftype == DIR:
            return [
                Change("", r, None, tuple(diff.compare(r, None))) for r in self.reader.below(host)
            ]
        hashed = None
        if new is not None and new.ftype == FILE:
            hashed = collect.hash_file(host_to_disk(self.root, host), new.dev, new.ino, True)
            if hashed.error:
                return []  # replaced or gone while we looked: its own event follows
            new = engine._complete(new, hashed)
        drifts = tuple(diff.compare(old, new))
        if not drifts:
            return []
        return [
            Change(
                host_to_disk(self.root, host),
                old,
                new,
                drifts,
                hashed.head if hashed else b"",
                hashed.md5 if hashed else None,
            )
        ]

    def rescan(self, reason: str) -> None:
        """A full stat verify of every location (what was lost is found again)."""
        self.rescans += 1
        self.status("rescan", reason=reason)
        state = RunState()
        found = list(
            engine.changes(
                self.root,
                self.reader,
                self.roots,
                None,
                state,
                1,  # no worker processes: forking next to the watcher's threads is unsafe
                Sample(fraction=0),
                False,
            )
        )
        self._report(found, state, clear_missing=True)
        self.status("rescan-done", reason=reason, changed_paths=len(found))

    def _report(
        self, found: Sequence[Change], state: RunState, clear_missing: bool = False
    ) -> None:
        from sscguard.model import finding_to_dict

        findings, _ = engine._evaluate(self.root, list(found), self.locations, self.scanner, state)
        subjects = {self._subject(c) for c in found}
        for skip in state.skipped + self.scanner.skipped:
            self.emit(
                {
                    "type": "skipped",
                    "source": skip.source,
                    "code": skip.code.value,
                    "reason": skip.reason,
                }
            )
        self.scanner.skipped.clear()
        emitted: set[str] = set()
        for finding in findings:
            if finding.severity < self.config.min_severity:
                continue
            key = _state_key(finding)
            subject = finding.subject.path
            emitted.add(subject)
            if self.reported.get(subject) == key:
                continue
            self.reported[subject] = key
            self.emit({"type": "finding", **finding_to_dict(finding)})
        # A path back at its baseline state may be reported again when it changes again.
        for subject in subjects - emitted:
            self.reported.pop(subject, None)
        if clear_missing:
            for subject in set(self.reported) - emitted:
                self.reported.pop(subject, None)

    def _subject(self, change: Change) -> str:
        from sscguard.extract.files import display_path

        if change.disk:
            return display_path(change.disk)
        assert change.old is not None
        return display_path(host_to_disk(self.root, change.old.path))


class _OnlyPath:
    def __init__(self, inner: _Handler, path: str) -> None:
        self.inner = inner
        self.path = path

    def dispatch(self, event: Any) -> None:
        paths = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")}
        if self.path in paths:
            self.inner.dispatch(event)


def _state_key(finding: Finding) -> str:
    return finding.fingerprint + "|" + "|".join(e.detail for e in finding.evidence)


__all__ = ["Watcher"]


def start_background(
    write: Callable[[dict[str, Any]], None],
    stop: threading.Event,
    db: str,
    root: str = "/",
    pubkey: str | None = None,
) -> Callable[[], None] | None:
    """Run the integrity watch of baseline ``db`` in a thread for ``sscguard watch``.

    ``write`` receives the same JSON-ready records ``baseline watch`` prints (status,
    finding, skipped), from the watch thread. Returns a ``join`` that returns soon after
    ``stop`` is set, or None when there is no baseline at ``db`` (nothing to compare with).
    A baseline whose signature fails with ``pubkey`` raises ``BaselineError``.
    """
    from sscguard.baseline.engine import open_baseline

    if not os.path.isfile(db):
        return None
    open_baseline(db, pubkey, None).close()  # refuse a bad signature here, in the caller
    config = ScanConfig(jobs=1, progress=False)

    def body() -> None:  # SQLite connections belong to the thread that opens them
        try:
            with open_baseline(db, pubkey, None) as reader:
                Watcher(root, reader, config, write).run(stop)
        except Exception as exc:  # report, never kill the process watch
            log.debug("integrity watch failed", exc_info=True)
            write({"type": "status", "event": "integrity-watch-failed", "detail": repr(exc)})

    thread = threading.Thread(target=body, name="sscguard-integrity-watch", daemon=True)
    thread.start()

    def join() -> None:
        thread.join(timeout=10)

    return join
