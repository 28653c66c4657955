"""Members of ZIP-based archives (WAR, JAR, EAR, ZIP), read with hard bounds.

A deployed WAR is how many JSP shells arrive (Tomcat's manager, an upload): its server-side
pages are scanned like files on disk, named ``archive.war!/path/in/archive.jsp``. Everything is
bounded: the number of members looked at, each member's decompressed size (read through a
size-limited stream, so a member that lies about its size cannot inflate further), the total
decompressed bytes, the compression ratio, and the nesting depth (a JAR inside a WAR is opened,
nothing deeper). What is not read is reported with the reason.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from sscguard.model import SkipCode, Skipped

ARCHIVE_SUFFIXES = (".war", ".jar", ".ear", ".zip")
#: Members worth a content scan: server-side pages and nested archives.
SCRIPT_SUFFIXES = (
    ".jsp", ".jspx", ".jspf", ".php", ".phtml", ".asp", ".aspx", ".ashx", ".asmx", ".cfm",
    ".inc", ".groovy",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Limits:
    max_members: int = 2000  # server-side pages and nested archives scanned per archive
    max_member_size: int = 4 << 20  # decompressed bytes read per member
    max_total: int = 64 << 20  # decompressed bytes read per archive (nested ones included)
    max_ratio: int = 200  # decompressed/compressed above this is treated as a bomb
    max_depth: int = 2  # the archive itself, and archives inside it


@dataclass(frozen=True, slots=True)
class Member:
    path: str  # "outer.war!/WEB-INF/x.jsp"
    data: bytes


def is_archive(name: str, head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") and name.lower().endswith(ARCHIVE_SUFFIXES)


def members(name: str, data: bytes, limits: Limits = Limits()) -> Iterator[Member | Skipped]:
    """Scannable members of the archive ``data`` (named ``name`` in reports)."""
    budget = [limits.max_total]
    yield from _walk(name, data, limits, 1, budget)


def _walk(
    name: str, data: bytes, limits: Limits, depth: int, budget: list[int]
) -> Iterator[Member | Skipped]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        yield Skipped(name, SkipCode.UNSUPPORTED, f"archive not readable: {exc}")
        return
    with archive:
        taken = 0
        for info in infos:
            member = info.filename
            lower = member.lower()
            nested = lower.endswith(ARCHIVE_SUFFIXES)
            if info.is_dir() or not (lower.endswith(SCRIPT_SUFFIXES) or nested):
                continue
            shown = f"{name}!/{member.lstrip('/')}"
            taken += 1
            if taken > limits.max_members:
                yield Skipped(
                    name,
                    SkipCode.TOO_LARGE,
                    f"more than {limits.max_members} pages or archives inside; the rest not "
                    "scanned",
                )
                return
            if nested and depth >= limits.max_depth:
                yield Skipped(shown, SkipCode.TOO_DEEP, "archive nested too deep; not opened")
                continue
            reason = _refuse(info, limits, budget[0])
            if reason:
                yield Skipped(shown, SkipCode.TOO_LARGE, reason)
                continue
            try:
                with archive.open(info) as stream:
                    content = stream.read(limits.max_member_size + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
                # RuntimeError: encrypted member; the others: corrupt or truncated data
                yield Skipped(shown, SkipCode.UNSUPPORTED, f"member not readable: {exc}")
                continue
            if len(content) > limits.max_member_size:
                yield Skipped(
                    shown,
                    SkipCode.TOO_LARGE,
                    f"decompresses to more than {limits.max_member_size} bytes; not scanned",
                )
                continue
            budget[0] -= len(content)
            if nested:
                yield from _walk(shown, content, limits, depth + 1, budget)
            else:
                yield Member(shown, content)


def _refuse(info: zipfile.ZipInfo, limits: Limits, remaining: int) -> str:
    if info.file_size > limits.max_member_size:
        return f"member of {info.file_size} bytes is above {limits.max_member_size}; not scanned"
    if info.file_size > remaining:
        return "the archive's decompression budget is spent; not scanned"
    if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
        return f"compression ratio above {limits.max_ratio} (a decompression bomb?); not scanned"
    return ""
