"""Component locations: the folders a baseline covers, and how to find them under a root.

A location is named by its *host path* (``/var/www``: the path as the analysed system sees it)
and read through ``--root`` (a live host is ``/``, an image mounted at ``/mnt/img`` is read at
``/mnt/img/var/www``). Symbolic links on the way to a location are resolved *inside* the root,
as the analysed system would resolve them, so a link in an image can never lead out of it.

``default_locations(root)`` is the one place that decides what is covered by default; once
server discovery exists it can answer from there instead of this built-in list.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# kind -> ATT&CK (sub-)technique a change there is evidence of
KIND_TECHNIQUE = {
    "webroot": "T1505.003",
    "modules": "T1505.004",
    "config": "T1505",
    "sql-plugins": "T1505.001",
    "transport-agents": "T1505.002",
    "termsrv": "T1505.005",
    "extra": "T1505",
}

# (host path pattern, kind). Patterns may use shell wildcards in any component.
_BUILTIN: tuple[tuple[str, str], ...] = (
    # web roots
    ("/var/www", "webroot"),
    ("/srv/www", "webroot"),
    ("/srv/http", "webroot"),
    ("/usr/share/nginx/html", "webroot"),
    ("/usr/share/httpd", "webroot"),
    ("/var/lib/tomcat*/webapps", "webroot"),
    ("/usr/share/tomcat*/webapps", "webroot"),
    ("/usr/share/tomcat*-root", "webroot"),
    ("/usr/share/tomcat*-admin", "webroot"),
    ("/opt/tomcat*/webapps", "webroot"),
    # server modules, extensions, plugins
    ("/usr/lib/apache2/modules", "modules"),
    ("/usr/lib64/httpd/modules", "modules"),
    ("/usr/lib/httpd/modules", "modules"),
    ("/usr/lib/nginx/modules", "modules"),
    ("/usr/lib64/nginx/modules", "modules"),
    ("/usr/share/nginx/modules", "modules"),
    ("/usr/lib/php/[0-9]*", "modules"),
    ("/usr/lib64/php/modules", "modules"),
    ("/usr/share/tomcat*/lib", "modules"),
    ("/var/lib/tomcat*/lib", "modules"),
    ("/opt/tomcat*/lib", "modules"),
    ("/usr/lib/postgresql/*/lib", "sql-plugins"),
    ("/usr/lib64/pgsql", "sql-plugins"),
    ("/usr/pgsql-*/lib", "sql-plugins"),
    ("/usr/lib/mysql/plugin", "sql-plugins"),
    ("/usr/lib64/mysql/plugin", "sql-plugins"),
    ("/usr/lib/x86_64-linux-gnu/mariadb*/plugin", "sql-plugins"),
    # server configuration (what decides which components load)
    ("/etc/apache2", "config"),
    ("/etc/httpd", "config"),
    ("/etc/nginx", "config"),
    ("/etc/php", "config"),
    ("/etc/php.ini", "config"),
    ("/etc/php.d", "config"),
    ("/etc/php-fpm.d", "config"),
    ("/etc/tomcat*", "config"),
    ("/etc/postgresql", "config"),
    ("/var/lib/pgsql/data/postgresql.conf", "config"),
    ("/etc/mysql", "config"),
    ("/etc/my.cnf", "config"),
    ("/etc/my.cnf.d", "config"),
    # Windows images (IIS, Exchange, Terminal Services)
    ("/Windows/System32/inetsrv", "modules"),
    ("/inetpub/wwwroot", "webroot"),
    ("/Program Files/Microsoft/Exchange Server/V*/TransportRoles", "transport-agents"),
    ("/Program Files/Microsoft/Exchange Server/V*/bin", "transport-agents"),
    ("/Windows/System32/termsrv.dll", "termsrv"),
)


@dataclass(frozen=True, slots=True)
class ComponentLocation:
    """A folder (or file) a server loads components from, by host path."""

    path: str
    kind: str

    @property
    def technique(self) -> str:
        return KIND_TECHNIQUE.get(self.kind, "T1505")


class RootEscapeError(Exception):
    """A path that cannot be resolved inside the root (a loop, or too many links)."""


def host_to_disk(root: str, host_path: str) -> str:
    """The on-disk path of a host path under ``root`` (no link resolution)."""
    rel = host_path.lstrip("/")
    return root if not rel else os.path.join(root, rel)


def resolve_in_root(root: str, host_path: str, max_links: int = 40) -> str | None:
    """Resolve symbolic links in ``host_path`` as the analysed system would (chroot-style).

    Returns the resolved host path, or ``None`` if some component does not exist. Absolute
    link targets are taken relative to ``root``; ``..`` never climbs above it.
    """
    parts = [p for p in host_path.split("/") if p not in ("", ".")]
    done: list[str] = []
    links = 0
    while parts:
        part = parts.pop(0)
        if part == "..":
            if done:
                done.pop()
            continue
        candidate = host_to_disk(root, "/" + "/".join([*done, part]))
        try:
            st = os.lstat(candidate)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                return None
            raise
        if stat.S_ISLNK(st.st_mode):
            links += 1
            if links > max_links:
                raise RootEscapeError(f"too many symbolic links resolving {host_path}")
            target = os.readlink(candidate)
            if target.startswith("/"):
                done = []
            parts = [p for p in target.split("/") if p not in ("", ".")] + parts
            continue
        done.append(part)
    return "/" + "/".join(done)


def _expand(root: str, pattern: str) -> list[str]:
    """Host paths matching a pattern with wildcards, resolved inside the root."""
    found = ["/"]
    for part in [p for p in pattern.split("/") if p]:
        nxt: list[str] = []
        for base in found:
            if not any(ch in part for ch in "*?["):
                nxt.append(base.rstrip("/") + "/" + part)
                continue
            disk = host_to_disk(root, base)
            try:
                names = sorted(os.listdir(disk))
            except OSError:
                continue
            nxt.extend(base.rstrip("/") + "/" + n for n in names if fnmatch.fnmatchcase(n, part))
        found = nxt
    out = []
    for host in found:
        try:
            resolved = resolve_in_root(root, host)
        except (RootEscapeError, OSError):
            continue
        if resolved is not None:
            out.append(resolved)
    return out


def default_locations(root: str) -> list[ComponentLocation]:
    """The built-in component locations that exist under ``root`` (Debian and RHEL layouts,
    plus IIS/Exchange folders of a mounted Windows image)."""
    found: list[ComponentLocation] = []
    for pattern, kind in _BUILTIN:
        found.extend(ComponentLocation(host, kind) for host in _expand(root, pattern))
    return normalise(found)


def explicit_locations(
    root: str, paths: Iterable[str], known: Sequence[ComponentLocation] = ()
) -> list[ComponentLocation]:
    """Locations named with ``--path`` (host paths). A path at or inside a ``known`` location
    takes its kind (``--path /usr/lib/apache2/modules`` is a module folder); others are
    "extra". Missing ones are kept, so that they are reported rather than silently dropped."""
    out = []
    for path in paths:
        host = "/" + path.strip("/") if path.strip("/") else "/"
        try:
            resolved = resolve_in_root(root, host)
        except (RootEscapeError, OSError):
            resolved = None
        host = resolved or host
        parent = kind_of(host, known)
        out.append(ComponentLocation(host, parent.kind if parent else "extra"))
    return out


def normalise(locations: Sequence[ComponentLocation]) -> list[ComponentLocation]:
    """Sorted by walk order, without duplicate paths (the first kind named wins)."""
    by_path: dict[str, ComponentLocation] = {}
    for loc in locations:
        by_path.setdefault(loc.path, loc)
    return sorted(by_path.values(), key=lambda loc: path_key(loc.path))


def walk_roots(locations: Sequence[ComponentLocation]) -> list[str]:
    """The host paths to walk: each covered once, from its outermost location, in key order.

    A location nested in another one keeps its own kind through ``kind_of``.
    """
    out: list[str] = []
    for loc in normalise(locations):
        if out and _inside(loc.path, out[-1]):
            continue
        out.append(loc.path)
    return out


def kind_of(path: str, locations: Sequence[ComponentLocation]) -> ComponentLocation | None:
    """The most specific location a host path lies in."""
    best: ComponentLocation | None = None
    for loc in locations:
        if _inside(path, loc.path) and (best is None or len(loc.path) > len(best.path)):
            best = loc
    return best


def _inside(path: str, parent: str) -> bool:
    return parent == "/" or path == parent or path.startswith(parent.rstrip("/") + "/")


def path_key(host_path: str) -> bytes:
    """The sort key of a host path: depth-first walk order with children sorted by name."""
    return os.fsencode(host_path).replace(b"/", b"\0")


def key_path(key: bytes) -> str:
    return os.fsdecode(key.replace(b"\0", b"/"))
