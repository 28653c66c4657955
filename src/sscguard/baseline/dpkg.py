"""dpkg ownership and digests of the paths a baseline covers (see ``extract.dpkg``).

``info/<package>[:<arch>].list`` names every path a package installed; ``info/<package>.md5sums``
holds ``<md5>  <path without leading slash>`` for its regular files except conffiles. The files
are read by ``extract.dpkg`` (the one dpkg reader: through the root, bounded). Only paths at or
below the baseline's prefixes are kept. On merged-/usr systems (``/lib -> usr/lib``) listed
``/lib/...`` paths are mapped to ``/usr/lib/...`` so ownership is found where the walk sees it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from sscguard.extract import dpkg as reader
from sscguard.extract.rootfs import RootFS
from sscguard.model import Skipped

INFO_DIR = reader.INFO_DIR


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
    return reader.present(RootFS(root))


def _canonical(path: bytes, aliases: dict[bytes, bytes]) -> bytes:
    for alias, real in aliases.items():
        if path.startswith(alias):
            return real + path[len(alias) :]
    return path


def _wanted(path: bytes, prefixes: tuple[bytes, ...]) -> bool:
    return any(path == p or path.startswith(p.rstrip(b"/") + b"/") for p in prefixes)


def _problem(skip: Skipped) -> str:
    return f"{skip.source}: {skip.reason}"


def load(root: str, prefixes: Iterable[str]) -> DpkgIndex:
    """Owners and digests of every dpkg-listed path at or below one of ``prefixes``."""
    fs = RootFS(root)
    if not reader.present(fs):
        return DpkgIndex(present=False)
    wanted = tuple(os.fsencode(p) for p in prefixes)
    aliases = reader.merged_links(fs)
    index = DpkgIndex(present=True)
    owners = index.owners
    for package, data in reader.info_files(fs, ".list"):
        if isinstance(data, Skipped):
            index.problems.append(_problem(data))
            continue
        for line in reader.listed_paths(data):
            path = _canonical(line, aliases)
            if _wanted(path, wanted) and path not in owners:
                owners[path] = Owner(package)
    for package, data in reader.info_files(fs, ".md5sums"):
        if isinstance(data, Skipped):
            index.problems.append(_problem(data))
            continue
        _apply_md5sums(owners, package, data, aliases, wanted)
    return index


def _apply_md5sums(
    owners: dict[bytes, Owner],
    package: str,
    data: bytes,
    aliases: dict[bytes, bytes],
    wanted: tuple[bytes, ...],
) -> None:
    for listed, md5 in reader.md5sum_lines(data):
        path = _canonical(listed, aliases)
        if not _wanted(path, wanted):
            continue
        owner = owners.get(path)
        if owner is None:
            owners[path] = Owner(package, md5)
        elif owner.package == package or owner.md5 is None:
            owner.md5 = md5


def package_md5s(root: str, package: str) -> dict[bytes, bytes]:
    """Path -> MD5 from one package's *current* md5sums (after an upgrade the baseline's view
    of the package is older than dpkg's)."""
    fs = RootFS(root)
    data = fs.read(f"{INFO_DIR}/{package}.md5sums", reader.MAX_INFO_BYTES)
    if isinstance(data, Skipped):
        return {}
    owners: dict[bytes, Owner] = {}
    _apply_md5sums(owners, package, data, reader.merged_links(fs), (b"/",))
    return {path: owner.md5 for path, owner in owners.items() if owner.md5 is not None}


def find_owner(root: str, host_path: str) -> Owner | None:
    """Who installed one path (a scan of every ``.list``, for the few paths verify adds)."""
    index = load(root, [host_path])
    return index.owner(host_path)
