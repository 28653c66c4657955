"""dpkg's database read directly under a root, so a mounted image works like a live host.

``info/<package>[:<arch>].list`` names every path a package installed; ``info/<package>.md5sums``
holds ``<md5>  <path without leading slash>`` for its regular files except conffiles. Nothing
is executed: ``dpkg -S`` and ``dpkg --verify`` would read the analysing host's database, not the
image's. Reads are bounded; a malformed line is ignored (an attacker who can write dpkg's
database can hide from it anyway, which is why the baseline keeps its own SHA-256).

On merged-/usr systems (``/lib -> usr/lib``) packages still list ``/lib/...``; those paths are
mapped to ``/usr/lib/...`` so ownership is found at the path the walk sees.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sscguard.baseline.locations import host_to_disk

log = logging.getLogger(__name__)

INFO_DIR = "/var/lib/dpkg/info"
MAX_LIST_BYTES = 64 << 20  # a single .list or .md5sums larger than this is not read
_MERGED_DIRS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


@dataclass(slots=True)
class Owner:
    package: str
    md5: bytes | None = None  # 16 raw bytes; None when dpkg recorded no digest


@dataclass(slots=True)
class DpkgIndex:
    """Owners of host paths under some prefixes (bounded to what the baseline covers)."""

    present: bool
    owners: dict[bytes, Owner] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def owner(self, host_path: str) -> Owner | None:
        return self.owners.get(os.fsencode(host_path))


def database_present(root: str) -> bool:
    return os.path.isdir(host_to_disk(root, INFO_DIR))


def _merged_aliases(root: str) -> dict[bytes, bytes]:
    """``/lib/`` -> ``/usr/lib/`` for each top-level directory that is a link into /usr."""
    aliases: dict[bytes, bytes] = {}
    for name in _MERGED_DIRS:
        disk = host_to_disk(root, "/" + name)
        try:
            target = os.readlink(disk)
        except OSError:
            continue
        if target.strip("/") in (f"usr/{name}",):
            aliases[f"/{name}/".encode()] = f"/usr/{name}/".encode()
    return aliases


def _canonical(path: bytes, aliases: dict[bytes, bytes]) -> bytes:
    for alias, real in aliases.items():
        if path.startswith(alias):
            return real + path[len(alias) :]
    return path


def _wanted(path: bytes, prefixes: tuple[bytes, ...]) -> bool:
    return any(path == p or path.startswith(p.rstrip(b"/") + b"/") for p in prefixes)


def _read_bounded(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        log.debug("cannot open %s: %s", path, exc)
        return None
    try:
        if os.fstat(fd).st_size > MAX_LIST_BYTES:
            return None
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _package_name(filename: str, suffix: str) -> str:
    return filename[: -len(suffix)]


def _info_files(info: str, suffix: str) -> Iterator[str]:
    try:
        names = sorted(os.listdir(info))
    except OSError:
        return
    yield from (n for n in names if n.endswith(suffix))


def load(root: str, prefixes: Iterable[str]) -> DpkgIndex:
    """Owners and digests of every dpkg-listed path at or below one of ``prefixes``."""
    info = host_to_disk(root, INFO_DIR)
    if not os.path.isdir(info):
        return DpkgIndex(present=False)
    wanted = tuple(os.fsencode(p) for p in prefixes)
    aliases = _merged_aliases(root)
    index = DpkgIndex(present=True)
    owners = index.owners
    for name in _info_files(info, ".list"):
        data = _read_bounded(os.path.join(info, name))
        if data is None:
            index.problems.append(f"{INFO_DIR}/{name} unreadable or too large")
            continue
        package = _package_name(name, ".list")
        for line in data.split(b"\n"):
            if not line.startswith(b"/"):
                continue
            path = _canonical(line, aliases)
            if _wanted(path, wanted) and path not in owners:
                owners[path] = Owner(package)
    for name in _info_files(info, ".md5sums"):
        data = _read_bounded(os.path.join(info, name))
        if data is None:
            index.problems.append(f"{INFO_DIR}/{name} unreadable or too large")
            continue
        package = _package_name(name, ".md5sums")
        _apply_md5sums(owners, package, data, aliases, wanted)
    return index


def _apply_md5sums(
    owners: dict[bytes, Owner],
    package: str,
    data: bytes,
    aliases: dict[bytes, bytes],
    wanted: tuple[bytes, ...],
) -> None:
    for line in data.split(b"\n"):
        digest, sep, rel = line.partition(b"  ")
        if not sep or len(digest) != 32:
            continue
        path = _canonical(b"/" + rel.lstrip(b"/"), aliases)
        if not _wanted(path, wanted):
            continue
        try:
            md5 = bytes.fromhex(digest.decode("ascii"))
        except ValueError:
            continue
        owner = owners.get(path)
        if owner is None:
            owners[path] = Owner(package, md5)
        elif owner.package == package or owner.md5 is None:
            owner.md5 = md5


def package_md5s(root: str, package: str) -> dict[bytes, bytes]:
    """Path -> MD5 from one package's *current* md5sums (after an upgrade the baseline's view
    of the package is older than dpkg's)."""
    info = host_to_disk(root, INFO_DIR)
    data = _read_bounded(os.path.join(info, package + ".md5sums"))
    if data is None:
        return {}
    owners: dict[bytes, Owner] = {}
    _apply_md5sums(owners, package, data, _merged_aliases(root), (b"/",))
    return {path: owner.md5 for path, owner in owners.items() if owner.md5 is not None}


def find_owner(root: str, host_path: str) -> Owner | None:
    """Who installed one path (a scan of every ``.list``, for the few paths verify adds)."""
    index = load(root, [host_path])
    return index.owner(host_path)
