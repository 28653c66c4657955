"""Pure comparison of a baseline record with the current state of the same path."""

from __future__ import annotations

from dataclasses import dataclass

from sscguard.baseline.records import FILE, LINK, TYPE_NAMES, FileRecord, stat_changed

ADDED = "added"
REMOVED = "removed"
CONTENT = "content"
CONTENT_SAME_STAT = "content-same-stat"
MODE = "mode"
OWNER = "owner"
TYPE = "type"
LINK_TARGET = "link"

KINDS = (ADDED, REMOVED, CONTENT, CONTENT_SAME_STAT, MODE, OWNER, TYPE, LINK_TARGET)


@dataclass(frozen=True, slots=True)
class Drift:
    """One way a path differs from its baseline."""

    kind: str
    path: str
    detail: str


def _mode(mode: int) -> str:
    return f"{mode:04o}"


def compare(old: FileRecord | None, new: FileRecord | None) -> list[Drift]:
    """How ``new`` differs from ``old``. ``new.sha256`` is ``None`` when it was not re-hashed
    (its stat matched), which never counts as a content change."""
    if old is None and new is None:
        return []
    if old is None:
        assert new is not None
        what = TYPE_NAMES.get(new.ftype, new.ftype)
        return [
            Drift(
                ADDED,
                new.path,
                f"new {what}, mode {_mode(new.mode)}, owner {new.uid}:{new.gid}, {new.size} bytes",
            )
        ]
    if new is None:
        return [Drift(REMOVED, old.path, f"{TYPE_NAMES.get(old.ftype, old.ftype)} removed")]
    out: list[Drift] = []
    if old.ftype != new.ftype:
        out.append(
            Drift(
                TYPE,
                new.path,
                f"{TYPE_NAMES.get(old.ftype, old.ftype)} became a "
                f"{TYPE_NAMES.get(new.ftype, new.ftype)}"
                + (f" pointing to {new.link}" if new.ftype == LINK else ""),
            )
        )
        return out
    if new.ftype == LINK and old.link != new.link:
        out.append(Drift(LINK_TARGET, new.path, f"link target {old.link} -> {new.link}"))
    if (
        new.ftype == FILE
        and new.sha256 is not None
        and old.sha256 is not None
        and new.sha256 != old.sha256
    ):
        if stat_changed(old, new):
            out.append(
                Drift(
                    CONTENT,
                    new.path,
                    f"SHA-256 {old.sha256[:16]}... -> {new.sha256[:16]}..., "
                    f"size {old.size} -> {new.size}",
                )
            )
        else:
            out.append(
                Drift(
                    CONTENT_SAME_STAT,
                    new.path,
                    f"SHA-256 {old.sha256[:16]}... -> {new.sha256[:16]}... while size, "
                    "mtime and ctime are unchanged",
                )
            )
    if old.mode != new.mode:
        out.append(Drift(MODE, new.path, f"mode {_mode(old.mode)} -> {_mode(new.mode)}"))
    if (old.uid, old.gid) != (new.uid, new.gid):
        out.append(Drift(OWNER, new.path, f"owner {old.uid}:{old.gid} -> {new.uid}:{new.gid}"))
    return out
