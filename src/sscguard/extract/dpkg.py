"""dpkg's database read directly from ``/var/lib/dpkg/info`` under a root: the one reader.

Nothing is executed: ``dpkg -S`` and ``dpkg --verify`` would read the analysing host's
database, not the image's. Every file is read through ``RootFS`` (links resolved inside the
root, ``O_NOFOLLOW``, bounded size), so an attacker-made link in an image cannot point the
reader at the analyst's own database. Three views are built on the same primitives:

* ``PackageDb``: every listed path and its package, MD5 digests loaded on first use
  (inventory and component audit: many questions, about any path);
* ``DpkgOwners``: streams the ``.list`` files once per batch of questions and keeps only
  the answers (process hunting: a few dozen library paths, small memory);
* ``baseline.dpkg.load``: owners and digests of the paths under the baseline's prefixes.

dpkg records MD5 only: it tells "changed since install" reliably for accidents, not against
an attacker who can also rewrite the ``.md5sums`` file (the baseline keeps its own SHA-256).
Merged ``/usr``: Debian 12 packages still list ``/lib/...`` while the walk sees
``/usr/lib/...``; ``aliases`` gives both spellings. RPM databases are not read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sscguard.extract.rootfs import RootFS, read_regular
from sscguard.model import Skipped

INFO_DIR = "/var/lib/dpkg/info"
MAX_INFO_BYTES = 64 << 20  # a single .list or .md5sums larger than this is not read
MERGED_DIRS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


def aliases(path: str) -> tuple[str, ...]:
    """The spellings of ``path`` under merged /usr, itself first."""
    for top in MERGED_DIRS:
        short = "/" + top
        if path == short or path.startswith(short + "/"):
            return (path, "/usr" + path)
        if path.startswith("/usr" + short + "/"):
            return (path, path[4:])
    return (path,)


def merged_links(fs: RootFS) -> dict[bytes, bytes]:
    """``b"/lib/"`` -> ``b"/usr/lib/"`` for each top-level directory that is a link into /usr
    on this root (so listed paths can be mapped to where a walk finds them)."""
    out: dict[bytes, bytes] = {}
    for top in MERGED_DIRS:
        if fs.resolve("/" + top) == f"/usr/{top}":
            out[f"/{top}/".encode()] = f"/usr/{top}/".encode()
    return out


def present(fs: RootFS) -> bool:
    return fs.is_dir(INFO_DIR)


def info_files(fs: RootFS, suffix: str) -> Iterator[tuple[str, bytes | Skipped]]:
    """``(package, content or Skipped)`` for every ``info/*<suffix>``, sorted by name.

    ``package`` keeps dpkg's ``:arch`` qualifier when the file name has one. The directory is
    resolved inside the root once; each file is opened relative to it with ``O_NOFOLLOW``."""
    real = fs.resolve(INFO_DIR)
    if real is None:
        return
    try:
        dir_fd = os.open(fs.host(real), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        names = sorted(n for n in os.listdir(dir_fd) if n.endswith(suffix) and n != suffix)
        for name in names:
            shown = fs.display(f"{INFO_DIR}/{name}")
            yield name[: -len(suffix)], read_regular(name, shown, MAX_INFO_BYTES, dir_fd)
    finally:
        os.close(dir_fd)


def listed_paths(data: bytes) -> Iterator[bytes]:
    """The absolute paths of one ``.list`` file."""
    for line in data.split(b"\n"):
        if line.startswith(b"/") and line != b"/.":
            yield line


def md5sum_lines(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """``(absolute path, 16-byte digest)`` for every well-formed line of one ``.md5sums``."""
    for line in data.split(b"\n"):
        digest, sep, rel = line.partition(b"  ")
        if not sep or len(digest) != 32 or not rel:
            continue
        try:
            raw = bytes.fromhex(digest.decode("ascii"))
        except ValueError:
            continue
        yield b"/" + rel.lstrip(b"/"), raw


def _decode(path: bytes) -> str:
    return path.decode("utf-8", "surrogateescape")


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
        for package, data in info_files(rootfs, ".list"):
            if isinstance(data, Skipped):
                db.skipped.append(data)
                continue
            name = package.split(":")[0]
            for path in listed_paths(data):
                db.owners.setdefault(_decode(path), name)
        return db

    @property
    def present(self) -> bool:
        return bool(self.owners)

    def owner(self, path: str) -> str | None:
        """The package that installed ``path`` (a path inside the root), if any."""
        for alias in aliases(path):
            found = self.owners.get(alias)
            if found:
                return found
        return None

    def md5(self, path: str) -> str | None:
        """The MD5 hex digest dpkg recorded for ``path``, if any."""
        if self._md5 is None:
            self._md5 = self._load_md5()
        for alias in aliases(path):
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
        for _, data in info_files(self.rootfs, ".md5sums"):
            if isinstance(data, Skipped):
                self.skipped.append(data)
                continue
            for path, raw in md5sum_lines(data):
                digests.setdefault(_decode(path), raw.hex())
        return digests


class DpkgOwners:
    """Which package owns a path, keeping only the answers asked for.

    The ``.list`` files are streamed once per batch of new questions (``owners(paths)``) and
    matched against the pending set; a package's ``.list`` is written by dpkg as root, so
    ownership is a hint, not proof."""

    def __init__(self, root: str = "/") -> None:
        self.fs = RootFS(root)
        self.info_dir = self.fs.display(INFO_DIR)
        self._known: dict[str, str | None] = {}

    @property
    def available(self) -> bool:
        return present(self.fs)

    def owner(self, path: str) -> str | None:
        """The owning package (``name`` or ``name:arch``), or None when no package lists it."""
        return self.owners([path])[path]

    def owners(self, paths: Iterable[str]) -> dict[str, str | None]:
        wanted = list(dict.fromkeys(paths))
        pending = {
            alias.encode("utf-8", "surrogateescape"): p
            for p in wanted
            if p not in self._known
            for alias in aliases(p)
        }
        if pending:
            originals = set(pending.values())
            found: dict[str, str] = {}
            for package, data in info_files(self.fs, ".list"):
                if isinstance(data, Skipped):
                    continue
                for line in listed_paths(data):
                    original = pending.get(line)
                    if original is not None and original not in found:
                        found[original] = package
                if len(found) == len(originals):
                    break
            for original in originals:
                self._known[original] = found.get(original)
        return {p: self._known[p] for p in wanted}
