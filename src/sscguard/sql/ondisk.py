"""The database server's files under ``--root``: PostgreSQL configuration files and the
permissions of the directories servers load code from.

Paths named by the server (or by a catalog an attacker may have shaped) are resolved inside
the root the way a chroot would: a symbolic link is followed only to a target inside the root,
``..`` never climbs above it, and reads are bounded and never follow a final link.
"""

from __future__ import annotations

import errno
import glob
import os
import posixpath
import re
import stat
from dataclasses import dataclass

from sscguard.extract.files import display_path
from sscguard.model import SkipCode, Skipped
from sscguard.sql.base import DirState
from sscguard.sql.postgres import LIBRARY_SETTINGS, PgSetting

MAX_CONFIG = 4 << 20
MAX_INCLUDE_DEPTH = 10
MAX_HOPS = 40


class OutsideRootError(Exception):
    """A path (or a link on the way) leads outside the root."""


def resolve(root: str, path: str) -> str:
    """The host path of ``path`` as seen from inside ``root``, symlinks resolved in the root."""
    root = os.path.abspath(root)
    parts = [p for p in path.split("/") if p not in ("", ".")]
    resolved: list[str] = []
    hops = 0
    while parts:
        part = parts.pop(0)
        if part == "..":
            if resolved:
                resolved.pop()
            continue
        candidate = os.path.join(root, *resolved, part)
        try:
            st = os.lstat(candidate)
        except OSError:
            resolved.append(part)  # does not exist (yet): keep the rest literal
            continue
        if stat.S_ISLNK(st.st_mode):
            hops += 1
            if hops > MAX_HOPS:
                raise OutsideRootError(f"{path}: too many symbolic links")
            target = os.readlink(candidate)
            if target.startswith("/"):
                resolved = []  # absolute targets start again at the root, as in a chroot
            parts = [p for p in target.split("/") if p not in ("", ".")] + parts
            continue
        resolved.append(part)
    host = os.path.join(root, *resolved)
    if os.path.commonpath([root, host]) != root:
        raise OutsideRootError(path)
    return host


def shown(root: str, host: str) -> str:
    root = os.path.abspath(root)
    rel = "/" + os.path.relpath(host, root) if root != "/" else host
    return display_path(rel if root == "/" else f"{root}{rel}")


def read_bounded(host: str, limit: int = MAX_CONFIG) -> bytes:
    fd = os.open(host, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return os.read(fd, limit + 1)
    finally:
        os.close(fd)


# -- PostgreSQL configuration files ------------------------------------------------------------

_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=\s*|\s+)(.*)$")


def _value(rest: str) -> str:
    rest = rest.strip()
    if rest.startswith("'"):
        out: list[str] = []
        i = 1
        while i < len(rest):
            ch = rest[i]
            if ch == "'" and i + 1 < len(rest) and rest[i + 1] == "'":
                out.append("'")
                i += 2
                continue
            if ch == "\\" and i + 1 < len(rest):
                out.append(rest[i + 1])
                i += 2
                continue
            if ch == "'":
                break
            out.append(ch)
            i += 1
        return "".join(out)
    return rest.split("#", 1)[0].strip()


@dataclass(slots=True)
class _PgConfReader:
    root: str
    settings: list[PgSetting]
    skipped: list[Skipped]
    seen: set[str]

    def read(self, path: str, depth: int = 0, missing_ok: bool = False) -> None:
        try:
            host = resolve(self.root, path)
        except OutsideRootError as exc:
            self.skipped.append(Skipped(path, SkipCode.SYMLINK_OUTSIDE_ROOT, str(exc)))
            return
        if host in self.seen or depth > MAX_INCLUDE_DEPTH:
            return
        self.seen.add(host)
        where = shown(self.root, host)
        try:
            data = read_bounded(host)
        except FileNotFoundError:
            if not missing_ok:
                self.skipped.append(Skipped(where, SkipCode.NOT_FOUND, "configuration file"))
            return
        except OSError as exc:
            self.skipped.append(Skipped(where, SkipCode.UNREADABLE, exc.strerror or str(exc)))
            return
        if len(data) > MAX_CONFIG:
            self.skipped.append(Skipped(where, SkipCode.TOO_LARGE, "only the head was read"))
            data = data[:MAX_CONFIG]
        base = posixpath.dirname(path)
        for lineno, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            match = _LINE.match(line)
            if not match:
                continue
            name, rest = match.group(1).lower(), match.group(3)
            value = _value(rest)
            if name in ("include", "include_if_exists"):
                target = value if value.startswith("/") else posixpath.join(base, value)
                self.read(target, depth + 1, missing_ok=name == "include_if_exists")
            elif name == "include_dir":
                directory = value if value.startswith("/") else posixpath.join(base, value)
                self._read_dir(directory, depth + 1)
            elif name in LIBRARY_SETTINGS:
                self.settings.append(
                    PgSetting(name, value, "file", where, lineno, applied=True, from_disk=True)
                )

    def _read_dir(self, directory: str, depth: int) -> None:
        try:
            host = resolve(self.root, directory)
            names = sorted(os.listdir(host))
        except (OutsideRootError, OSError) as exc:
            self.skipped.append(Skipped(directory, SkipCode.UNREADABLE, str(exc)))
            return
        for name in names[:1000]:
            if name.endswith(".conf") and not name.startswith("."):
                self.read(posixpath.join(directory, name), depth)


def pg_config_files(
    root: str, config_file: str, data_directory: str, *, guess: bool = False
) -> tuple[list[PgSetting], list[Skipped], list[str]]:
    """Library settings from postgresql.conf (with includes) and postgresql.auto.conf.

    Without paths from the server, the usual Debian and Red Hat locations under the root are
    read when ``guess`` (an explicit --root); otherwise that is reported as skipped, since a
    guess on a live host could read another cluster's files. Returns the settings, what was
    skipped, and the files looked at.
    """
    reader = _PgConfReader(root, [], [], set())
    files: list[str] = []
    if config_file or data_directory:
        if config_file:
            files.append(config_file)
        if data_directory:
            files.append(posixpath.join(data_directory, "postgresql.auto.conf"))
            if not config_file:
                files.append(posixpath.join(data_directory, "postgresql.conf"))
    elif not guess:
        reader.skipped.append(
            Skipped(
                "postgresql.conf",
                SkipCode.UNREADABLE,
                "the server did not say where its files are (needs superuser or "
                "pg_read_all_settings); give --root DIR to look in the usual places",
            )
        )
    else:
        for pattern in (
            "/etc/postgresql/*/*/postgresql.conf",
            "/var/lib/postgresql/*/*/postgresql.auto.conf",
            "/var/lib/pgsql/data/postgresql*.conf",
            "/var/lib/pgsql/*/data/postgresql*.conf",
        ):
            host_pattern = os.path.join(os.path.abspath(root), pattern.lstrip("/"))
            for host in sorted(glob.glob(host_pattern))[:50]:
                rel = "/" + os.path.relpath(host, os.path.abspath(root))
                files.append(rel)
    for path in files:
        reader.read(path, missing_ok=path.endswith("postgresql.auto.conf"))
    return reader.settings, reader.skipped, files


# -- directory permissions -------------------------------------------------------------------


def _passwd(root: str, uid: int) -> tuple[str, set[int]]:
    """The user name of ``uid`` and its groups, from the root's /etc/passwd and /etc/group."""
    name, gids = str(uid), set[int]()
    try:
        for line in read_bounded(resolve(root, "/etc/passwd"), 1 << 20).decode().splitlines():
            fields = line.split(":")
            if len(fields) > 3 and fields[2] == str(uid):
                name = fields[0]
                gids.add(int(fields[3]))
                break
        for line in read_bounded(resolve(root, "/etc/group"), 1 << 20).decode().splitlines():
            fields = line.split(":")
            if len(fields) > 3 and name in fields[3].split(","):
                gids.add(int(fields[2]))
    except (OSError, OutsideRootError, ValueError, UnicodeDecodeError):
        pass
    return name, gids


def dir_state(root: str, purpose: str, path: str, datadir: str) -> DirState | Skipped:
    """Is ``path`` writable by the server's OS user (the owner of ``datadir``)?"""
    try:
        host = resolve(root, path)
        data_host = resolve(root, datadir)
        st = os.stat(host)
        owner = os.stat(data_host).st_uid
    except OutsideRootError as exc:
        return Skipped(path, SkipCode.SYMLINK_OUTSIDE_ROOT, str(exc))
    except OSError as exc:
        code = SkipCode.NOT_FOUND if exc.errno == errno.ENOENT else SkipCode.UNREADABLE
        return Skipped(
            display_path(exc.filename or path), code, f"{purpose}: {exc.strerror or exc}"
        )
    name, gids = _passwd(root, owner)
    mode = stat.S_IMODE(st.st_mode)
    writable = bool(
        (st.st_uid == owner and mode & stat.S_IWUSR)
        or (st.st_gid in gids and mode & stat.S_IWGRP)
        or mode & stat.S_IWOTH
    )
    if owner == 0:
        writable = False  # a server running as root is a finding of its own, not this one
    return DirState(purpose, path, shown(root, host), st.st_uid, mode, writable, name)
