"""The facts a baseline keeps about one file system entry, and when they must be re-hashed."""

from __future__ import annotations

import stat
from dataclasses import dataclass, replace

# Entry types
FILE = "f"
DIR = "d"
LINK = "l"
OTHER = "o"  # FIFO, socket, device: recorded, never opened

TYPE_NAMES = {FILE: "regular file", DIR: "directory", LINK: "symbolic link", OTHER: "special file"}

# Package states
PKG_OK = "ok"  # owned by a package and matching its recorded MD5
PKG_MODIFIED = "modified"  # owned, but the MD5 differs from dpkg's record
PKG_OWNED = "owned"  # owned, no digest recorded (directories, conffiles)
PKG_UNOWNED = "unowned"  # no package lists it
PKG_UNKNOWN = "unknown"  # no dpkg database under the root

#: Timestamp granularity: a file whose mtime or ctime is this close to (or after) the moment
#: the baseline began may have changed after it was hashed, without its stat changing.
GRANULARITY_NS = 2_000_000_000


def ftype_of(mode: int) -> str:
    if stat.S_ISREG(mode):
        return FILE
    if stat.S_ISDIR(mode):
        return DIR
    if stat.S_ISLNK(mode):
        return LINK
    return OTHER


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One entry: its stat, its content digest and who installed it."""

    path: str  # host path; may hold surrogate escapes for undecodable bytes
    ftype: str
    mode: int  # permission bits including setuid/setgid/sticky (stat.S_IMODE)
    uid: int
    gid: int
    size: int
    ino: int
    dev: int
    mtime_ns: int
    ctime_ns: int
    sha256: str | None = None  # hex; None for directories, special files, unreadable files
    link: str | None = None  # symbolic link target
    package: str | None = None
    pkg_state: str = PKG_UNKNOWN
    signature: str | None = None  # Authenticode state of PE files
    error: str | None = None  # why the content could not be hashed

    def with_content(self, **changes: object) -> FileRecord:
        return replace(self, **changes)  # type: ignore[arg-type]


def stat_changed(old: FileRecord, new: FileRecord) -> bool:
    """True when any stat field that a content change must touch differs.

    ``ctime`` is included because user space cannot set it: ``touch -r`` restores an mtime,
    never a ctime.
    """
    return (
        old.ftype != new.ftype
        or old.dev != new.dev
        or old.ino != new.ino
        or old.mode != new.mode
        or old.uid != new.uid
        or old.gid != new.gid
        or old.size != new.size
        or old.mtime_ns != new.mtime_ns
        or old.ctime_ns != new.ctime_ns
    )


def within_granularity(rec: FileRecord, baseline_started_ns: int) -> bool:
    """True when a record's timestamps are too close to the baseline's start to trust them."""
    edge = baseline_started_ns - GRANULARITY_NS
    return rec.mtime_ns >= edge or rec.ctime_ns >= edge
