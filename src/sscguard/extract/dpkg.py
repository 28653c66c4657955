"""dpkg's database read directly from ``/var/lib/dpkg/info`` under a root.

``PackageDb.load(rootfs)`` reads every ``*.list`` (which package installed which path) and,
lazily, ``*.md5sums`` (the MD5 digest dpkg recorded for each file). dpkg records MD5 only:
it tells "changed since install" reliably for accidents, not against an attacker who can
also rewrite the ``.md5sums`` file. ``/usr`` merge aliases (``/lib`` -> ``/usr/lib`` and so on)
are tried both ways. RPM databases are not read.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field

from sscguard.extract.rootfs import RootFS
from sscguard.model import Skipped

INFO_DIR = "/var/lib/dpkg/info"
_MERGED = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_MAX_LIST = 16 << 20


def _aliases(path: str) -> tuple[str, ...]:
    for top in _MERGED:
        if path == top or path.startswith(top + "/"):
            return (path, "/usr" + path)
        usr = "/usr" + top
        if path.startswith(usr + "/"):
            return (path, path[4:])
    return (path,)


@dataclass(slots=True)
class PackageDb:
    """Path ownership and recorded digests from dpkg (empty when there is no dpkg)."""

    rootfs: RootFS
    owners: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    _md5: dict[str, str] | None = None

    @classmethod
    def load(cls, rootfs: RootFS) -> PackageDb:
        db = cls(rootfs)
        for name in rootfs.listdir(INFO_DIR):
            if not name.endswith(".list"):
                continue
            package = name[: -len(".list")].split(":")[0]
            text = rootfs.read_text(posixpath.join(INFO_DIR, name), _MAX_LIST)
            if isinstance(text, Skipped):
                db.skipped.append(text)
                continue
            for line in text.splitlines():
                if line.startswith("/") and line != "/.":
                    db.owners.setdefault(line, package)
        return db

    @property
    def present(self) -> bool:
        return bool(self.owners)

    def owner(self, path: str) -> str | None:
        """The package that installed ``path`` (a path inside the root), if any."""
        for alias in _aliases(path):
            found = self.owners.get(alias)
            if found:
                return found
        return None

    def md5(self, path: str) -> str | None:
        """The MD5 hex digest dpkg recorded for ``path``, if any."""
        if self._md5 is None:
            self._md5 = self._load_md5()
        for alias in _aliases(path):
            found = self._md5.get(alias)
            if found:
                return found
        return None

    def verify(self, path: str, max_size: int = 256 << 20) -> str:
        """``ok``, ``modified``, ``no-digest``, ``unowned`` or ``unreadable`` for a file."""
        if self.owner(path) is None:
            return "unowned"
        want = self.md5(path)
        if want is None:
            return "no-digest"
        data = self.rootfs.read(path, max_size)
        if isinstance(data, Skipped):
            return "unreadable"
        got = hashlib.md5(data, usedforsecurity=False).hexdigest()
        return "ok" if got == want else "modified"

    def _load_md5(self) -> dict[str, str]:
        digests: dict[str, str] = {}
        for name in self.rootfs.listdir(INFO_DIR):
            if not name.endswith(".md5sums"):
                continue
            text = self.rootfs.read_text(posixpath.join(INFO_DIR, name), _MAX_LIST)
            if isinstance(text, Skipped):
                self.skipped.append(text)
                continue
            for line in text.splitlines():
                digest, _, rel = line.partition("  ")
                if len(digest) == 32 and rel:
                    digests.setdefault("/" + rel.lstrip("/"), digest)
        return digests
