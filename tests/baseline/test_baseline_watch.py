"""``baseline watch``: a dropped web shell is reported within 2 s; lost events lead to a rescan;
SIGTERM stops it cleanly."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import SHELL, sscguard_cmd


class Watch:
    def __init__(self, db: Path, *extra: str) -> None:
        self.proc = subprocess.Popen(
            sscguard_cmd("baseline", "watch", "--db", str(db), *extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def wait_for(self, pred: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        for line in self.seen:
            if pred(line):
                return line
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if pred(line):
                return line
        stderr = ""
        if self.proc.poll() is not None and self.proc.stderr is not None:
            stderr = self.proc.stderr.read()
        raise AssertionError(f"not seen within {timeout}s; lines: {self.seen}; stderr: {stderr}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise


@pytest.fixture()
def watching(www: Path, db: Path, init: Callable[..., Any]) -> Iterator[Watch]:
    init(www)
    watch = Watch(db, "--no-initial-verify")
    try:
        watch.wait_for(lambda d: d.get("event") == "ready", timeout=30)
        yield watch
    finally:
        if watch.proc.poll() is None:
            watch.proc.kill()
            watch.proc.wait()


def _finding_for(path: Path) -> Callable[[dict[str, Any]], bool]:
    return lambda d: d.get("type") == "finding" and d["subject"]["path"] == str(path)


def test_web_shell_reported_within_two_seconds(watching: Watch, www: Path) -> None:
    target = www / "app" / "upload.php"
    start = time.monotonic()
    target.write_bytes(SHELL)
    finding = watching.wait_for(_finding_for(target), timeout=10)
    elapsed = time.monotonic() - start
    assert elapsed < 2.0, f"reported after {elapsed:.2f}s"
    assert finding["rule_id"] == "SSC-000-100"
    assert finding["severity"] in ("high", "critical")
    assert any(e["kind"].startswith("content:SSC-003-") for e in finding["evidence"])
    # Benign: a plain page written afterwards is below the default threshold, not reported.
    (www / "about.html").write_text("<p>about</p>\n")
    time.sleep(1.0)
    assert watching.stop() == 0
    assert not any(
        d.get("type") == "finding" and d["subject"]["path"].endswith("about.html")
        for d in watching.seen + list(watching.lines.queue)
    )


def test_sigterm_stops_cleanly(watching: Watch) -> None:
    assert watching.stop() == 0
    watching.wait_for(lambda d: d.get("event") == "stopped", timeout=5)


def test_queue_overflow_triggers_rescan(watching: Watch, www: Path) -> None:
    """A real kernel overflow: the watcher is stopped (SIGSTOP) while more events than
    fs.inotify.max_queued_events (16,384 by default) are generated, then a change is made that
    only a rescan can find, because its events were dropped."""
    limit = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    noise = [www / "noise-a.txt", www / "noise-b.txt"]
    fds = [os.open(p, os.O_WRONLY | os.O_CREAT, 0o644) for p in noise]
    time.sleep(0.5)
    os.kill(watching.proc.pid, signal.SIGSTOP)
    try:
        for i in range(limit + 1000):  # alternating files: the kernel cannot merge them
            os.write(fds[i % 2], b"x")
        (www / "lost.php").write_bytes(SHELL)  # dropped from the full queue
    finally:
        for fd in fds:
            os.close(fd)
        os.kill(watching.proc.pid, signal.SIGCONT)
    watching.wait_for(
        lambda d: d.get("event") == "rescan" and "overflow" in d.get("reason", ""), timeout=20
    )
    finding = watching.wait_for(_finding_for(www / "lost.php"), timeout=20)
    assert finding["rule_id"] == "SSC-000-100"
    assert watching.stop() == 0


def test_replaced_location_restarts_watch_and_rescans(watching: Watch, www: Path) -> None:
    moved = www.parent / "www-old"
    www.rename(moved)
    www.mkdir()
    (www / "index.php").write_bytes(SHELL)
    watching.wait_for(lambda d: d.get("event") == "watcher-error", timeout=10)
    finding = watching.wait_for(_finding_for(www / "index.php"), timeout=10)
    assert finding["severity"] in ("high", "critical")
    # The restarted watch still sees new events.
    (www / "again.php").write_bytes(SHELL)
    watching.wait_for(_finding_for(www / "again.php"), timeout=5)
    assert watching.stop() == 0
