"""A worker task that really kills its process (SIGKILL, as the OOM killer does; YARA-X's
wasmtime handles a SIGSEGV that is not a fault by returning) on marked files, to test that a
scan survives a crash in a parser or the rule engine. Imported by the worker processes
(they inherit the test run's ``sys.path``), so it lives in a module, not in a test."""

from __future__ import annotations

import importlib
import os
import signal

from sscguard.extract.files import FileEntry
from sscguard.scan import BatchResult, _scan_batch

# the module, for the worker state it sets (``from sscguard import scan`` is the package's
# ``scan`` function)
scan = importlib.import_module("sscguard.scan")

#: the worker dies on a file with this marker while the code analysis is on
IN_ANALYSIS = b"SSCGUARD-TEST-CRASH-IN-ANALYSIS"
#: the worker dies on a file with this marker whatever it runs
ALWAYS = b"SSCGUARD-TEST-CRASH-ALWAYS"


def crash_on_marker(entries: list[FileEntry]) -> BatchResult:
    assert scan._WORKER is not None
    code_analysis = scan._WORKER[2]
    for entry in entries:
        with open(entry.path, "rb") as handle:
            data = handle.read()
        if ALWAYS in data or (IN_ANALYSIS in data and code_analysis):
            os.kill(os.getpid(), signal.SIGKILL)
    return _scan_batch(entries)
