"""Run a command and measure it: wall time and the peak resident memory of its whole process
tree (workers included), sampled from /proc every 20 ms. Shared by the bench scripts."""

from __future__ import annotations

import os
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
    text = err.decode(errors="replace")
    if proc.returncode not in ok_codes:
        raise SystemExit(f"{name} failed (exit {proc.returncode}): {text[-2000:]}")
    errors = [line for line in text.splitlines() if line.lower().startswith("error")]
    if errors:
        print(f"{name}: {len(errors)} error line(s) on stderr, first: {errors[0][:200]}")
    return Measure(name, wall, peak / 1024, proc.returncode)
