"""Following access logs like ``tail -F``: from the end, across rotation and truncation.

Lines are bounded (a longer line is cut) and decoded leniently; nothing in them is trusted.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

MAX_LINE = 16 << 10
MAX_READ = 4 << 20  # per poll and file: a flood cannot stall the watch loop


@dataclass(slots=True)
class LogTail:
    path: str
    _handle: io.FileIO | None = None
    _inode: tuple[int, int] | None = None
    _partial: bytes = b""
    errors: list[str] = field(default_factory=list)

    def _open(self, at_end: bool) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as exc:
            self._handle = None
            self.errors.append(f"{self.path}: {exc.strerror or exc}")
            return
        handle = io.FileIO(fd, "rb", closefd=True)
        st = os.fstat(fd)
        self._inode = (st.st_dev, st.st_ino)
        if at_end:
            handle.seek(0, os.SEEK_END)
        self._handle = handle
        self._partial = b""

    def start(self) -> None:
        self._open(at_end=True)

    def poll(self) -> list[str]:
        """New complete lines since the last poll."""
        if self._handle is None:
            self._open(at_end=False)
            if self._handle is None:
                return []
        handle = self._handle
        lines = self._read(handle)
        try:
            st = os.stat(self.path)
            current = (st.st_dev, st.st_ino)
        except OSError:
            return lines  # rotated away and not recreated yet
        if current != self._inode:
            handle.close()
            self._open(at_end=False)  # the new file: from its start
            if self._handle is not None:
                lines.extend(self._read(self._handle))
        elif st.st_size < handle.tell():  # truncated in place
            handle.seek(0)
            self._partial = b""
            lines.extend(self._read(handle))
        return lines

    def _read(self, handle: io.FileIO) -> list[str]:
        data = handle.read(MAX_READ) or b""
        if not data:
            return []
        chunks = (self._partial + data).split(b"\n")
        self._partial = chunks.pop()[:MAX_LINE]
        return [c[:MAX_LINE].decode("utf-8", "replace").rstrip("\r") for c in chunks]

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
