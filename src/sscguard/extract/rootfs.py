"""Reading a system through a root directory without ever leaving it.

``RootFS(root)`` maps paths as the scanned system sees them (``/etc/apache2/apache2.conf``) to
files under ``root`` on this machine. Symbolic links are resolved the way ``chroot`` (or
``openat2(RESOLVE_IN_ROOT)``) would: an absolute target starts again at the root and ``..``
never climbs above it, so nothing reached through a ``RootFS`` lies outside the root. A live
host is ``RootFS("/")``.

Every read is bounded; failures come back as ``Skipped`` values, never exceptions.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import posixpath
import stat
from dataclasses import dataclass

from sscguard.extract.files import display_path
from sscguard.model import SkipCode, Skipped

MAX_CONFIG = 4 << 20  # a configuration file larger than this is not a configuration file
_MAX_LINKS = 40
_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY


@dataclass(frozen=True, slots=True)
class PathStat:
    """What ``stat`` says about a path inside the root (symbolic links resolved in the root)."""

    path: str
    uid: int
    gid: int
    mode: int
    size: int
    is_dir: bool
    is_file: bool


class RootFS:
    """A read-only view of the file system under ``root``."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self.live = self.root == "/"

    # -- paths ---------------------------------------------------------------------------

    def host(self, path: str) -> str:
        """The path on this machine of an in-root path (no symbolic link resolution)."""
        norm = normpath(path)
        return norm if self.live else self.root + norm

    def display(self, path: str) -> str:
        """A printable host path for evidence."""
        return display_path(self.host(path))

    def resolve(self, path: str) -> str | None:
        """Resolve ``path`` inside the root; returns the in-root path or None on a link loop."""
        parts = [p for p in normpath(path).split("/") if p]
        done: list[str] = []
        hops = 0
        while parts:
            name = parts.pop(0)
            if name == "..":
                if done:
                    done.pop()
                continue
            candidate = "/" + "/".join([*done, name])
            try:
                st = os.lstat(self.host(candidate))
            except OSError:
                done.append(name)
                done.extend(p for p in parts if p != "..")
                return "/" + "/".join(done)
            if stat.S_ISLNK(st.st_mode):
                hops += 1
                if hops > _MAX_LINKS:
                    return None
                try:
                    target = os.readlink(self.host(candidate))
                except OSError:
                    return None
                if target.startswith("/"):
                    done = []
                parts = [p for p in target.split("/") if p and p != "."] + parts
                continue
            done.append(name)
        return "/" + "/".join(done)

    def find_ci(self, path: str) -> str | None:
        """The existing in-root path matching ``path`` case-insensitively (Windows images)."""
        current = "/"
        for part in (p for p in normpath(path).split("/") if p):
            exact = posixpath.join(current, part)
            if self.exists(exact):
                current = exact
                continue
            lowered = part.lower()
            match = next((n for n in self.listdir(current) if n.lower() == lowered), None)
            if match is None:
                return None
            current = posixpath.join(current, match)
        return current

    def stat(self, path: str) -> PathStat | None:
        real = self.resolve(path)
        if real is None:
            return None
        try:
            st = os.lstat(self.host(real))
        except OSError:
            return None
        return PathStat(
            real,
            st.st_uid,
            st.st_gid,
            stat.S_IMODE(st.st_mode),
            st.st_size,
            stat.S_ISDIR(st.st_mode),
            stat.S_ISREG(st.st_mode),
        )

    def exists(self, path: str) -> bool:
        return self.stat(path) is not None

    def is_dir(self, path: str) -> bool:
        st = self.stat(path)
        return st is not None and st.is_dir

    def is_file(self, path: str) -> bool:
        st = self.stat(path)
        return st is not None and st.is_file

    def listdir(self, path: str) -> list[str]:
        """Sorted entry names of a directory; empty if it is not a readable directory."""
        real = self.resolve(path)
        if real is None:
            return []
        try:
            fd = os.open(self.host(real), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            return []
        try:
            with os.scandir(fd) as it:
                return sorted(e.name for e in it)
        except OSError:
            return []
        finally:
            os.close(fd)

    def glob(self, pattern: str, limit: int = 10000) -> list[str]:
        """Expand a shell glob (``*``, ``?``, ``[...]`` per path component) inside the root."""
        parts = [p for p in normpath(pattern).split("/") if p]
        found = ["/"]
        for part in parts:
            nxt: list[str] = []
            magic = any(c in part for c in "*?[")
            for base in found:
                if magic:
                    nxt.extend(
                        posixpath.join(base, n)
                        for n in self.listdir(base)
                        if not n.startswith(".") and fnmatch.fnmatchcase(n, part)
                    )
                else:
                    nxt.append(posixpath.join(base, part))
                if len(nxt) > limit:
                    break
            found = nxt[:limit]
        return sorted(p for p in found if self.exists(p))

    # -- reading -------------------------------------------------------------------------

    def read(self, path: str, max_size: int = MAX_CONFIG) -> bytes | Skipped:
        """Read a whole regular file of at most ``max_size`` bytes, or say why not."""
        shown = self.display(path)
        real = self.resolve(path)
        if real is None:
            return Skipped(shown, SkipCode.SYMLINK, "symbolic link loop")
        return read_regular(self.host(real), shown, max_size)

    def read_text(self, path: str, max_size: int = MAX_CONFIG) -> str | Skipped:
        data = self.read(path, max_size)
        if isinstance(data, Skipped):
            return data
        return data.decode("utf-8", "surrogateescape")


def read_regular(
    name: str, shown: str, max_size: int, dir_fd: int | None = None
) -> bytes | Skipped:
    """Read a whole regular file (``name`` relative to ``dir_fd`` when given) of at most
    ``max_size`` bytes without following a final link or blocking on a FIFO; or say why not."""
    try:
        fd = os.open(name, _FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return Skipped(shown, SkipCode.NOT_FOUND, "no such file")
        return Skipped(shown, SkipCode.UNREADABLE, exc.strerror or str(exc))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return Skipped(shown, SkipCode.SPECIAL_FILE, "not a regular file")
        if st.st_size > max_size:
            return Skipped(shown, SkipCode.TOO_LARGE, f"{st.st_size} bytes; limit is {max_size}")
        # one read of the size fstat promised (+1 to see growth), then small reads if it grew
        chunks = [os.read(fd, st.st_size + 1)]
        total = len(chunks[0])
        while total > st.st_size and (chunk := os.read(fd, 1 << 16)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_size:
                return Skipped(shown, SkipCode.TOO_LARGE, f"grew past {max_size} bytes")
        return b"".join(chunks)
    except OSError as exc:
        return Skipped(shown, SkipCode.UNREADABLE, exc.strerror or str(exc))
    finally:
        os.close(fd)


def normpath(path: str) -> str:
    """An absolute, normalised POSIX path (``..`` cannot climb above ``/``)."""
    norm = posixpath.normpath("/" + path)
    return "/" + norm.lstrip("/")
