"""Run a command and measure it: wall time, the peak resident memory of its whole process
tree (workers included, sampled from /proc every 20 ms) and the CPU seconds (user + system)
of that whole tree. Shared by the bench scripts.

CPU time is exact, not sampled: the bench process becomes a "child subreaper" (Linux
prctl), so worker processes orphaned by the command (a forkserver and its workers) are
re-parented to it and reaped here, and their CPU time lands in RUSAGE_CHILDREN. On a
machine other people use, CPU seconds are a steadier measure than wall time.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass


@dataclass
class Measure:
    name: str
    wall_s: float
    peak_rss_mb: float
    exit_code: int
    user_s: float = 0.0  # CPU seconds of the whole process tree
    sys_s: float = 0.0

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s


_PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # not Linux
        return False


def _reap_orphans() -> None:
    """Wait for every re-parented descendant, so its CPU time is counted."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:  # pragma: no cover
            continue


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total = 0
    stack = [pid]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status") as handle:
                total += next((int(ln.split()[1]) for ln in handle if ln.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(name: str, argv: list[str], ok_codes: tuple[int, ...] = (0, 1)) -> Measure:
    """Run ``argv``; raise SystemExit with its stderr if its exit code is not in ok_codes.
    Error lines of a run that still completed (yara's per-file scan errors) are counted."""
    peak = 0
    reaper = _become_subreaper()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if reaper:
        _reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = err.decode(errors="replace")
    if proc.returncode not in ok_codes:
        raise SystemExit(f"{name} failed (exit {proc.returncode}): {text[-2000:]}")
    errors = [line for line in text.splitlines() if line.lower().startswith("error")]
    if errors:
        print(f"{name}: {len(errors)} error line(s) on stderr, first: {errors[0][:200]}")
    return Measure(
        name,
        wall,
        peak / 1024,
        proc.returncode,
        user_s=after.ru_utime - before.ru_utime,
        sys_s=after.ru_stime - before.ru_stime,
    )
