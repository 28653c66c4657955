"""Shared vocabulary of the code analysers: taint steps, source-to-sink paths, bounds.

Every analyser (PHP, Java/JSP, C#/ASPX, VBScript/ASP) turns one file's bytes into an
``Analysis``: the source-to-sink paths it found, the layers it decoded and a few facts the
scoring policy uses. Nothing here does I/O.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import Any

#: Bounds every analyser respects; the fuzz tests hold them to these.
MAX_PARSE_BYTES = 2 << 20  # larger inputs are analysed on their first 2 MiB only
MAX_LAYERS = 4  # nested decoded layers analysed again
MAX_VALUE_BYTES = 1 << 20  # one constant-folded / decoded string
MAX_TOTAL_DECODED = 4 << 20  # all decoded bytes of one file together
MAX_NODES = 400_000  # syntax nodes visited per file, all layers together
MAX_SECONDS = 0.25  # CPU seconds per file, all layers together (``clock``)
MAX_PARSE_SECONDS = 0.5  # CPU seconds for one tree-sitter parse (error recovery can be slow)
MAX_STEPS = 12  # steps kept in one explained path
#: extra wall-clock time granted once per file to a decoder run over a long constant blob
#: (a packer's own decoder): the file's total stays bounded by MAX_SECONDS + this
DECODER_GRACE_SECONDS = 0.25


class SinkKind(enum.Enum):
    """What the attacker gets when request input reaches the sink."""

    CODE = "code-execution"
    COMMAND = "command-execution"
    FILE_WRITE = "file-write"
    SOCKET = "network-socket"


@dataclass(frozen=True, slots=True)
class Step:
    """One hop of a path: what the value is at that point and on which line."""

    label: str
    line: int

    def __str__(self) -> str:
        return f"{self.label} (line {self.line})"


@dataclass(frozen=True, slots=True)
class FlowPath:
    """Request input (first step) flowing to a sink (last step)."""

    kind: SinkKind
    sink: str
    steps: tuple[Step, ...]
    guarded: bool = False  # an authorisation check encloses the sink
    layer: int = 0  # 0: the file itself; n: the n-th decoded layer
    #: a file write whose request-chosen name keeps its own extension and whose file does
    #: no file-type check anywhere: an unrestricted upload (what upload shells are)
    unchecked: bool = False
    #: a file write whose whole content comes from the request into a file the web server
    #: runs by its name (``.php``, ``.jsp``...): a dropper
    to_script: bool = False

    def explain(self) -> str:
        return " -> ".join(str(s) for s in self.steps)


@dataclass(frozen=True, slots=True)
class DecodedLayer:
    """A string the deobfuscator recovered statically and analysed again."""

    line: int
    chain: tuple[str, ...]  # decoders applied, outermost first
    size: int
    preview: str
    executed: bool  # it reached a code-execution sink (eval of a decoded blob)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What one analyser learnt about one file."""

    language: str
    paths: tuple[FlowPath, ...] = ()
    layers: tuple[DecodedLayer, ...] = ()
    sinks: tuple[str, ...] = ()  # dangerous calls present, tainted or not
    sources: int = 0  # number of request-input reads seen
    dynamic_calls: int = 0  # calls through a computed name
    bounded: str = ""  # non-empty when a bound cut the analysis short


def clock() -> float:
    """The analysers' clock: CPU time of this thread, so a busy machine (other processes
    competing for the cores) does not change what is found; wall time would."""
    return time.thread_time()


_FIRST_CHUNK = 512
_MAX_CHUNK = 65536
_CLOCK_EVERY = 8  # progress callbacks per look at the clock (from the first one on)


def parse_bounded(parser: Any, data: bytes, seconds: float = MAX_PARSE_SECONDS) -> Any | None:
    """``parser.parse(data)`` stopped after ``seconds`` of CPU time (tree-sitter's error
    recovery is super-linear on some hostile inputs); None when it was stopped.

    Only a read callback gets a progress callback (a bytestring parse ignores it), and
    py-tree-sitter 0.26 keeps a reference to every object the callback returns during the
    parse. So the parse reads through one bytearray, refilled for each chunk and emptied at
    the end: the leaked references pin a 56-byte object, not every chunk of every file (which
    grew each worker by tens of MB over a corpus). The binding releases its view of a chunk
    before it asks for the next one, so refilling it is safe. After the parse the tree reads
    node text through the same callback, which must then return bytes (0.26's ``node.text``
    reads the result as bytes) and does not leak them."""
    deadline = clock() + seconds
    view = memoryview(data)
    chunk = bytearray()
    parsing = True
    # ``node.text`` reads: the binding's cost per call grows with the chunk returned (~100 us
    # for 64 KiB), so start each read small and double the chunk only while the reads
    # continue each other; a short node's text costs ~1 us and a long one still few calls.
    follow = [-1, _FIRST_CHUNK]  # the offset a continuing read would ask for, chunk size

    def read(offset: int, _point: object) -> bytes | bytearray:
        if parsing:
            chunk[:] = view[offset : offset + _MAX_CHUNK]
            return chunk
        size = min(follow[1] * 2, _MAX_CHUNK) if offset == follow[0] else _FIRST_CHUNK
        follow[0], follow[1] = offset + size, size
        return data[offset : offset + size]

    ticks = [0]

    def progress(*_state: object) -> bool:
        # tree-sitter calls this ~100 times per parse; the CPU clock is a system call (~2 us)
        ticks[0] += 1
        return ticks[0] % _CLOCK_EVERY == 1 and clock() > deadline

    try:
        return parser.parse(read, progress_callback=progress)
    except ValueError:  # "Parsing failed": the progress callback stopped it
        return None
    finally:
        parsing = False
        chunk.clear()  # no view of it is left once parse() returned


@dataclass(slots=True)
class Budget:
    """Time, node and decoded-size budget shared by all layers of one file."""

    deadline: float = field(default_factory=lambda: clock() + MAX_SECONDS)
    nodes: int = MAX_NODES
    decoded: int = MAX_TOTAL_DECODED
    exhausted: str = ""
    calls: int = 0
    graced: bool = False

    def grace(self) -> float:
        """Move the deadline once by ``DECODER_GRACE_SECONDS``; returns the deadline."""
        if not self.graced and not self.exhausted:
            self.graced = True
            self.deadline = max(self.deadline, clock()) + DECODER_GRACE_SECONDS
        return self.deadline

    def spend_nodes(self, count: int = 1) -> bool:
        """Use ``count`` node visits; False once any bound is reached."""
        if self.exhausted:
            return False
        self.nodes -= count
        if self.nodes < 0:
            self.exhausted = f"more than {MAX_NODES} syntax nodes"
            return False
        self.calls += 1
        if self.calls % 512 == 0 and clock() > self.deadline:
            self.exhausted = f"analysis took longer than {MAX_SECONDS:g} s"
            return False
        return True

    def spend_bytes(self, count: int) -> bool:
        if self.exhausted:
            return False
        self.decoded -= count
        if self.decoded < 0:
            self.exhausted = f"more than {MAX_TOTAL_DECODED} decoded bytes"
            return False
        return True
