"""Walking component locations under a root and hashing what they hold.

The walk is depth-first with each directory's entries sorted by their bytes, so records come out
in exactly the order of their key (``locations.path_key``): init streams them into SQLite in
key order and verify merge-joins them with the stored rows, in bounded memory either way.

Like the content scanner's walker it never follows a symbolic link (links are recorded with
their target), holds a descriptor per directory level and checks each directory it enters
against the inode it listed. Files are opened with ``O_NOFOLLOW`` and their inode is checked
against the listing before a single byte is hashed, so a file swapped mid-run is reported,
never silently hashed in its place. Hashing runs in threads: hashlib releases the GIL.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sscguard.baseline.locations import host_to_disk, key_path, path_key
from sscguard.baseline.records import DIR, FILE, LINK, FileRecord, ftype_of
from sscguard.extract import pe_signature
from sscguard.extract.files import _raise_fd_limit
from sscguard.model import SkipCode, Skipped

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
_NOATIME = getattr(os, "O_NOATIME", 0)
_CHUNK = 1 << 20
HEAD_BYTES = 64

BATCH_FILES = 128
BATCH_BYTES = 32 << 20


@dataclass(frozen=True, slots=True)
class Hashed:
    """What reading one file gave: its digests, first bytes and Authenticode state."""

    sha256: str | None
    md5: bytes | None = None
    head: bytes = b""
    signature: str | None = None
    error: str | None = None


def record_from_stat(host_path: str, st: os.stat_result, link: str | None = None) -> FileRecord:
    return FileRecord(
        path=host_path,
        ftype=ftype_of(st.st_mode),
        mode=stat.S_IMODE(st.st_mode),
        uid=st.st_uid,
        gid=st.st_gid,
        size=st.st_size,
        ino=st.st_ino,
        dev=st.st_dev,
        mtime_ns=st.st_mtime_ns,
        ctime_ns=st.st_ctime_ns,
        link=link,
    )


def _oserror_skip(host_path: str, exc: OSError, what: str) -> Skipped:
    from sscguard.extract.files import display_path

    shown = display_path(host_path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Skipped(shown, SkipCode.UNREADABLE, f"permission denied while {what}")
    if exc.errno in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR):
        return Skipped(shown, SkipCode.CHANGED, f"changed while {what}")
    return Skipped(shown, SkipCode.UNREADABLE, f"{exc.strerror or exc} while {what}")


def stat_one(root: str, host_path: str) -> FileRecord | None:
    """The stat-only record of one host path (``None`` if it does not exist)."""
    disk = host_to_disk(root, host_path)
    try:
        st = os.lstat(disk)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    link = os.readlink(disk) if stat.S_ISLNK(st.st_mode) else None
    return record_from_stat(host_path, st, link)


Walked = tuple[bytes, os.stat_result, "str | None"]


def walk(root: str, host_paths: Iterable[str], skipped: list[Skipped]) -> Iterator[Walked]:
    """``(key, lstat, link target)`` of everything at and below ``host_paths``, in key order.

    ``host_paths`` must be sorted by key and not nested (``locations.walk_roots``). Keys, not
    paths, come out: verify compares most entries by stat alone and never needs their path.
    """
    _raise_fd_limit()
    for host in host_paths:
        disk = host_to_disk(root, host)
        try:
            st = os.lstat(disk)
        except FileNotFoundError:
            continue  # a missing location: its stored rows become "removed"
        except OSError as exc:
            skipped.append(_oserror_skip(host, exc, "examining a location"))
            continue
        link = None
        if stat.S_ISLNK(st.st_mode):
            try:
                link = os.readlink(disk)
            except OSError as exc:
                skipped.append(_oserror_skip(host, exc, "reading a link"))
        key = path_key(host)
        yield key, st, link
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(key, disk, st, skipped)


def _walk_dir(
    key: bytes, disk: str, st: os.stat_result, skipped: list[Skipped]
) -> Iterator[Walked]:
    try:
        fd = os.open(disk, _DIR_FLAGS)
    except OSError as exc:
        skipped.append(_oserror_skip(key_path(key), exc, "opening a directory"))
        return
    opened = os.fstat(fd)
    if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino):
        os.close(fd)
        skipped.append(Skipped(key_path(key), SkipCode.CHANGED, "replaced while walking"))
        return
    # Each level: (descriptor, key prefix for children, remaining entries in reverse order)
    stack: list[tuple[int, bytes, list[tuple[bytes, str, os.stat_result | OSError]]]] = []
    try:
        stack.append((fd, b"" if key == b"\0" else key, _listing(fd)))
    except OSError as exc:
        os.close(fd)
        skipped.append(_oserror_skip(key_path(key), exc, "listing"))
        return
    isdir, islnk = stat.S_ISDIR, stat.S_ISLNK
    try:
        while stack:
            dfd, prefix, pending = stack[-1]
            if not pending:
                os.close(dfd)
                stack.pop()
                continue
            name_b, name, est = pending.pop()
            child = prefix + b"\0" + name_b
            if isinstance(est, OSError):
                skipped.append(_oserror_skip(key_path(child), est, "examining"))
                continue
            mode = est.st_mode
            link = None
            if islnk(mode):
                try:
                    link = os.readlink(name, dir_fd=dfd)
                except OSError as exc:
                    skipped.append(_oserror_skip(key_path(child), exc, "reading a link"))
            yield child, est, link
            if isdir(mode):
                try:
                    cfd = os.open(name, _DIR_FLAGS, dir_fd=dfd)
                except OSError as exc:
                    skipped.append(_oserror_skip(key_path(child), exc, "opening a directory"))
                    continue
                try:
                    now = os.fstat(cfd)
                    if (now.st_dev, now.st_ino) != (est.st_dev, est.st_ino):
                        raise OSError(errno.ELOOP, "replaced while walking")
                    listing = _listing(cfd)
                except OSError as exc:
                    os.close(cfd)
                    skipped.append(_oserror_skip(key_path(child), exc, "listing"))
                    continue
                stack.append((cfd, child, listing))
    finally:
        for dfd, _, _ in stack:
            os.close(dfd)


def _listing(fd: int) -> list[tuple[bytes, str, os.stat_result | OSError]]:
    """A directory's entries with their lstat, sorted by name bytes, reversed for ``pop()``."""
    out: list[tuple[bytes, str, os.stat_result | OSError]] = []
    with os.scandir(fd) as it:
        for entry in it:
            name = entry.name
            try:
                est: os.stat_result | OSError = entry.stat(follow_symlinks=False)
            except OSError as exc:
                est = exc
            out.append((name.encode("utf-8", "surrogateescape"), name, est))
    out.sort(key=lambda t: t[0], reverse=True)
    return out


def record_of(key: bytes, st: os.stat_result, link: str | None) -> FileRecord:
    return record_from_stat(key_path(key), st, link)


def hash_file(disk: str, dev: int, ino: int, want_md5: bool = False) -> Hashed:
    """SHA-256 (and MD5 for dpkg) of one regular file, with the inode checked first."""
    try:
        try:
            fd = os.open(disk, _FILE_FLAGS | _NOATIME)
        except PermissionError:
            if not _NOATIME:
                raise
            fd = os.open(disk, _FILE_FLAGS)
    except OSError as exc:
        return Hashed(None, error=f"cannot open: {exc.strerror or exc}")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != (dev, ino):
            return Hashed(None, error="replaced between listing and hashing")
        sha = hashlib.sha256()
        md5 = hashlib.md5(usedforsecurity=False) if want_md5 else None
        buf = bytearray(_CHUNK)
        view = memoryview(buf)
        head = b""
        while True:
            n = os.readv(fd, [buf])
            if n <= 0:
                break
            chunk = view[:n]
            if not head:
                head = bytes(chunk[:HEAD_BYTES])
            sha.update(chunk)
            if md5 is not None:
                md5.update(chunk)
        signature = None
        if pe_signature.is_pe(head):
            signature = _pe_state(fd, st.st_size)
        return Hashed(sha.hexdigest(), md5.digest() if md5 is not None else None, head, signature)
    except OSError as exc:
        return Hashed(None, error=f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)


def _pe_state(fd: int, size: int) -> str:
    limit = pe_signature.MAX_PE_BYTES
    data = os.pread(fd, min(size, limit), 0)
    return pe_signature.signature_state(data, truncated=size > limit)


@dataclass(slots=True)
class Job:
    """One entry on its way through hashing; ``payload`` travels with it untouched."""

    rec: FileRecord | None
    disk: str
    want_hash: bool = False
    want_md5: bool = False
    payload: Any = None
    hashed: Hashed | None = None


def _run(job: Job) -> None:
    rec = job.rec
    if job.want_hash and rec is not None and rec.ftype == FILE:
        job.hashed = hash_file(job.disk, rec.dev, rec.ino, job.want_md5)


def hash_stream(jobs_in: Iterable[Job], threads: int) -> Iterator[Job]:
    """Hash the regular files the jobs ask for, in threads, yielding jobs in input order."""
    if threads <= 1:
        for job in jobs_in:
            _run(job)
            yield job
        return
    window: deque[tuple[list[Job], Future[None]]] = deque()
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sscguard-hash") as pool:
        batch: list[Job] = []
        size = 0
        for job in jobs_in:
            batch.append(job)
            if job.want_hash and job.rec is not None:
                size += job.rec.size
            if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
                window.append((batch, pool.submit(_hash_batch, batch)))
                batch, size = [], 0
                while len(window) > threads * 3:
                    yield from _drain_one(window)
        if batch:
            window.append((batch, pool.submit(_hash_batch, batch)))
        while window:
            yield from _drain_one(window)


def _hash_batch(batch: list[Job]) -> None:
    for job in batch:
        _run(job)


def _drain_one(window: deque[tuple[list[Job], Future[None]]]) -> Iterator[Job]:
    batch, future = window.popleft()
    future.result()
    yield from batch


__all__ = ["DIR", "FILE", "LINK", "Hashed", "Job", "hash_file", "hash_stream", "stat_one", "walk"]
