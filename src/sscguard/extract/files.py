"""Walking a tree an attacker may have shaped, and reading its files with bounds.

The walker never follows a symbolic link, keeps an open directory descriptor for each level
of the current path (so arbitrarily deep trees work without hitting PATH_MAX), checks every
directory it enters against the inode it listed (so a directory swapped for a link mid-scan is
caught), and reports everything it does not analyse as a ``Skipped`` with a reason.

Reading opens with ``O_NOFOLLOW | O_NONBLOCK`` (a FIFO swapped in cannot block us), checks the
opened inode against the listed one, never changes access times when the kernel allows
``O_NOATIME``, and reads at most ``max_size`` bytes: larger files are read as head and tail.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from sscguard.model import SkipCode, Skipped

# Paths longer than this are opened relative to their parent's descriptor by the walker
# itself instead of by absolute path in a worker process.
LONG_PATH = 3800

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
_NOATIME = getattr(os, "O_NOATIME", 0)


def display_path(path: str) -> str:
    """A printable, JSON-safe form of a path; undecodable bytes become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A regular file found by the walker, identified by path and inode."""

    path: str  # may contain surrogate escapes for undecodable bytes; see display_path()
    dev: int
    ino: int
    size: int
    mtime_ns: int
    data: bytes | None = None  # pre-read content for paths too long to reopen by name
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class WalkOptions:
    max_depth: int = 4096
    max_size: int = 32 << 20
    exclude: tuple[str, ...] = ()
    one_file_system: bool = False
    # When set (a hunt's --root), a link whose target lies inside this boundary but outside
    # the scanned folder is followed the way a web server would follow it: its target is
    # walked as one more root. Targets that contain a scanned folder, or the boundary itself,
    # are not walked (a link to "/" must not turn into a scan of the whole disk).
    link_boundary: str | None = None


MAX_LINKED_ROOTS = 256


@dataclass(frozen=True, slots=True)
class FileContent:
    data: bytes
    size: int
    truncated: bool


def _excluded(path: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path, p) for p in patterns)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _skip_for_oserror(path: str, exc: OSError, what: str) -> Skipped:
    shown = display_path(path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Skipped(shown, SkipCode.UNREADABLE, f"permission denied while {what}")
    if exc.errno == errno.ENOENT:
        return Skipped(shown, SkipCode.CHANGED, f"vanished while {what}")
    if exc.errno in (errno.EMFILE, errno.ENFILE):
        return Skipped(shown, SkipCode.TOO_DEEP, f"out of file descriptors while {what}")
    if exc.errno == errno.ELOOP:
        return Skipped(shown, SkipCode.CHANGED, f"replaced by a symbolic link while {what}")
    reason = exc.strerror or str(exc)
    return Skipped(shown, SkipCode.UNREADABLE, f"{reason} while {what}")


def read_content(fd: int, max_size: int, size: int | None = None) -> FileContent:
    """Read an open regular file: whole if small enough, else head and tail halves.

    ``size`` is the opened file's ``st_size`` when the caller already has it.
    """
    if size is None:
        size = os.fstat(fd).st_size
    if size <= max_size:
        chunks = []
        remaining = max_size + 1  # one extra byte tells us the file grew while we read
        # The first read asks for one byte more than the size: a shorter answer from a
        # regular file is its end, which saves the second read that would return nothing.
        want = min(remaining, size + 1, 1 << 20)
        while remaining > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
            if len(chunk) < want and len(chunks) == 1 and len(chunk) == size:
                break
            want = min(remaining, 1 << 20)
        data = b"".join(chunks)
        if len(data) <= max_size:
            return FileContent(data, len(data), truncated=False)
        size = max(size, len(data))
    half = max_size // 2
    head = os.pread(fd, half, 0)
    tail = os.pread(fd, half, max(half, size - half))
    return FileContent(head + b"\n" + tail, size, truncated=True)


def open_file(path: str, dev: int, ino: int, dir_fd: int | None = None) -> int:
    """Open ``path`` read-only without following links; raise if it is not the listed inode."""
    return open_checked(path, dev, ino, dir_fd)[0]


def open_checked(
    path: str, dev: int, ino: int, dir_fd: int | None = None
) -> tuple[int, os.stat_result]:
    """``open_file`` that also returns the opened file's ``fstat``."""
    target = os.path.basename(path) if dir_fd is not None else path
    try:
        fd = os.open(target, _FILE_FLAGS | _NOATIME, dir_fd=dir_fd)
    except PermissionError:
        if not _NOATIME:
            raise
        fd = os.open(target, _FILE_FLAGS, dir_fd=dir_fd)  # O_NOATIME needs ownership
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != (dev, ino):
        os.close(fd)
        raise FileChangedError(path)
    return fd, st


class FileChangedError(Exception):
    """The name now points at something other than what the walker listed."""


def read_entry(entry: FileEntry, max_size: int) -> FileContent | Skipped:
    """Read a walked file by path (worker side), or explain why not."""
    if entry.data is not None:
        return FileContent(entry.data, entry.size, entry.truncated)
    try:
        fd, st = open_checked(entry.path, entry.dev, entry.ino)
    except FileChangedError:
        return Skipped(
            display_path(entry.path), SkipCode.CHANGED, "replaced between listing and reading"
        )
    except OSError as exc:
        return _skip_for_oserror(entry.path, exc, "opening")
    try:
        return read_content(fd, max_size, st.st_size)
    except OSError as exc:
        return _skip_for_oserror(entry.path, exc, "reading")
    finally:
        os.close(fd)


def _join(parent: str, name: str) -> str:
    return parent + name if parent.endswith(os.sep) else parent + os.sep + name


class Walker:
    """Iterate over regular files under some roots, reporting what it skips."""

    def __init__(self, options: WalkOptions) -> None:
        self.options = options
        self.dirs = 0
        _raise_fd_limit()

    def walk(self, roots: list[str]) -> Iterator[FileEntry | Skipped]:
        seen_files: set[tuple[int, int]] = set()
        self._roots = [os.path.realpath(r) for r in roots]
        self._linked: list[str] = []
        for root in roots:
            yield from self._walk_root(root, seen_files)
        index = 0
        while index < len(self._linked):  # targets of links followed within the boundary
            yield from self._walk_root(self._linked[index], seen_files)
            index += 1

    def _follow(self, path: str, resolved: str) -> Skipped | None:
        """Queue a link target inside the boundary; None when the link is not followed."""
        boundary = self.options.link_boundary
        if boundary is None or not _inside(resolved, os.path.realpath(boundary)):
            return None
        shown = display_path(path)
        target = display_path(resolved)
        if any(_inside(r, resolved) for r in self._roots) or resolved == "/":
            return Skipped(
                shown,
                SkipCode.SYMLINK,
                f"symbolic link to {target}, which contains a scanned folder; not followed",
            )
        if resolved not in self._linked and not any(_inside(resolved, r) for r in self._roots):
            if len(self._linked) >= MAX_LINKED_ROOTS:
                return Skipped(
                    shown,
                    SkipCode.TOO_DEEP,
                    f"symbolic link to {target} not followed: more than "
                    f"{MAX_LINKED_ROOTS} linked targets",
                )
            self._linked.append(resolved)
        return Skipped(
            shown, SkipCode.SYMLINK, f"symbolic link to {target}; followed, scanned at that path"
        )

    # -- one root ----------------------------------------------------------------------

    def _walk_root(
        self, root: str, seen_files: set[tuple[int, int]]
    ) -> Iterator[FileEntry | Skipped]:
        # The user named this root: resolve it once, then never leave it.
        real = os.path.realpath(root)
        try:
            st = os.stat(real)
        except OSError as exc:
            skip = _skip_for_oserror(root, exc, "looking up the scan root")
            if exc.errno == errno.ENOENT:
                skip = Skipped(display_path(root), SkipCode.NOT_FOUND, "no such file or directory")
            yield skip
            return
        if stat.S_ISREG(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key not in seen_files:
                seen_files.add(key)
                yield FileEntry(real, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
            return
        if not stat.S_ISDIR(st.st_mode):
            yield Skipped(display_path(root), SkipCode.SPECIAL_FILE, _kind(st.st_mode))
            return
        try:
            fd = os.open(real, _DIR_FLAGS)
        except OSError as exc:
            yield _skip_for_oserror(real, exc, "opening the scan root")
            return
        yield from self._walk_tree(real, fd, st.st_dev, seen_files)

    def _walk_tree(
        self, root: str, root_fd: int, root_dev: int, seen_files: set[tuple[int, int]]
    ) -> Iterator[FileEntry | Skipped]:
        opts = self.options
        root_st = os.fstat(root_fd)
        visited: set[tuple[int, int]] = {(root_st.st_dev, root_st.st_ino)}
        # Each level: (descriptor, its path, sorted entry names still to visit)
        stack: list[tuple[int, str, list[str]]] = []
        try:
            names = _list(root_fd)
        except OSError as exc:
            os.close(root_fd)
            yield _skip_for_oserror(root, exc, "listing")
            return
        self.dirs += 1
        stack.append((root_fd, root, names))
        try:
            while stack:
                fd, dpath, pending = stack[-1]
                if not pending:
                    os.close(fd)
                    stack.pop()
                    continue
                name = pending.pop()
                path = _join(dpath, name)
                if opts.exclude and _excluded(display_path(path), opts.exclude):
                    continue
                try:
                    st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                except OSError as exc:
                    yield _skip_for_oserror(path, exc, "examining")
                    continue
                mode = st.st_mode
                if stat.S_ISREG(mode):
                    key = (st.st_dev, st.st_ino)
                    if key in seen_files:
                        continue  # a hard link (or a second root) already covered it
                    seen_files.add(key)
                    yield self._file_entry(path, name, fd, st)
                elif stat.S_ISDIR(mode):
                    entered = self._enter(path, name, fd, st, root_dev, visited, len(stack))
                    if isinstance(entered, Skipped):
                        yield entered
                    elif entered is not None:
                        stack.append(entered)
                elif stat.S_ISLNK(mode):
                    skip = _symlink_skip(path, name, fd, root)
                    if skip.code is SkipCode.SYMLINK_OUTSIDE_ROOT:
                        followed = self._follow(path, os.path.realpath(path))
                        skip = followed or skip
                    yield skip
                else:
                    yield Skipped(display_path(path), SkipCode.SPECIAL_FILE, _kind(mode))
        finally:
            for fd, _, _ in stack:
                os.close(fd)

    def _file_entry(
        self, path: str, name: str, dir_fd: int, st: os.stat_result
    ) -> FileEntry | Skipped:
        if len(os.fsencode(path)) < LONG_PATH:
            return FileEntry(path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        # Too long to reopen by name elsewhere: read it here, relative to its directory.
        try:
            fd = open_file(name, st.st_dev, st.st_ino, dir_fd=dir_fd)
        except FileChangedError:
            return Skipped(display_path(path), SkipCode.CHANGED, "replaced while listing")
        except OSError as exc:
            return _skip_for_oserror(path, exc, "opening")
        try:
            content = read_content(fd, self.options.max_size)
        except OSError as exc:
            return _skip_for_oserror(path, exc, "reading")
        finally:
            os.close(fd)
        return FileEntry(
            path,
            st.st_dev,
            st.st_ino,
            content.size,
            st.st_mtime_ns,
            data=content.data,
            truncated=content.truncated,
        )

    def _enter(
        self,
        path: str,
        name: str,
        parent_fd: int,
        st: os.stat_result,
        root_dev: int,
        visited: set[tuple[int, int]],
        depth: int,
    ) -> tuple[int, str, list[str]] | Skipped | None:
        opts = self.options
        if depth >= opts.max_depth:
            return Skipped(
                display_path(path), SkipCode.TOO_DEEP, f"deeper than max_depth={opts.max_depth}"
            )
        if opts.one_file_system and st.st_dev != root_dev:
            return Skipped(display_path(path), SkipCode.OTHER_DEVICE, "on another file system")
        key = (st.st_dev, st.st_ino)
        if key in visited:
            return Skipped(display_path(path), SkipCode.LOOP, "directory already visited")
        try:
            fd = os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
        except OSError as exc:
            return _skip_for_oserror(path, exc, "opening directory")
        try:
            now = os.fstat(fd)
            if (now.st_dev, now.st_ino) != key:
                os.close(fd)
                return Skipped(display_path(path), SkipCode.CHANGED, "replaced while listing")
            names = _list(fd)
        except OSError as exc:
            os.close(fd)
            return _skip_for_oserror(path, exc, "listing")
        visited.add(key)
        self.dirs += 1
        return (fd, path, names)


def _list(fd: int) -> list[str]:
    """Entry names of an open directory, reversed so that ``pop()`` yields them in order."""
    with os.scandir(fd) as it:
        names = [e.name for e in it]
    names.sort(reverse=True)
    return names


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO) not read"
    if stat.S_ISSOCK(mode):
        return "socket not read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device not read"
    return "not a regular file"


def _symlink_skip(path: str, name: str, dir_fd: int, root: str) -> Skipped:
    shown = display_path(path)
    try:
        target = os.readlink(name, dir_fd=dir_fd)
    except OSError as exc:
        return _skip_for_oserror(path, exc, "reading symbolic link")
    shown_target = display_path(target)
    if len(os.fsencode(path)) >= LONG_PATH:
        return Skipped(shown, SkipCode.SYMLINK, f"symbolic link to {shown_target} not followed")
    try:
        resolved = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Skipped(shown, SkipCode.SYMLINK, f"symbolic link loop via {shown_target}")
        return Skipped(shown, SkipCode.SYMLINK, f"dangling symbolic link to {shown_target}")
    if not _inside(resolved, root):
        return Skipped(
            shown,
            SkipCode.SYMLINK_OUTSIDE_ROOT,
            f"symbolic link to {display_path(resolved)} outside the scan root; not followed",
        )
    return Skipped(
        shown,
        SkipCode.SYMLINK,
        f"symbolic link to {display_path(resolved)}; analysed at that path, not through the link",
    )


def _raise_fd_limit() -> None:
    """Deep trees need one descriptor per level: lift the soft limit to the hard one."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = hard if hard != resource.RLIM_INFINITY else 65536
        if soft != resource.RLIM_INFINITY and soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, 1 << 20), hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - best effort
        pass
