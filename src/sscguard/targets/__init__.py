"""Discovery: which servers exist under a root, and every component each one loads.

API (other areas build on this; keep it stable):

    inv = discover(root)                 # root "/" is the live host; anything else an image
    inv.servers      tuple[Server]       # kind, name, version, config_files, web_roots,
                                         #   component_dirs, log_files (LogSource), user
    inv.components   tuple[Component]    # server (a Server.name), kind, name, path,
                                         #   configured_at (Location: file:line or hive://),
                                         #   owner_package, signature_state, detail
    inv.settings     tuple[Setting]      # directives the hardening checks read (php.*, ...)
    inv.paths        {path: PathFacts}   # owner, group, mode of config files, web roots,
                                         #   component folders and component files
    inv.skipped      tuple[Skipped]      # what could not be read or parsed, and why
    inv.host_path(p) / inv.display(p)    # in-root path -> path on this machine

Paths in ``Server``, ``Component.path`` and ``inv.paths`` are as the scanned system sees them
(``/etc/apache2/apache2.conf``); ``Location`` values are host paths ready to print. Discovery
reads only under the root and never executes anything it finds. Live-only facts (process
environments) are gathered only when the root is ``/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sscguard.model import Location, Skipped

# signature_state values
SIG_OK = "package-verified"  # owned by a package and its digest matches
SIG_MODIFIED = "package-modified"  # owned by a package, digest differs
SIG_UNOWNED = "unowned"  # no package installed this file
SIG_NO_DIGEST = "package-no-digest"
SIG_MISSING = "missing"  # configured but absent
SIG_UNKNOWN = "unknown"  # no package database to ask (or unreadable file)
SIG_NA = "n/a"  # not a file (a Java class name, a registry value, ...)
SIG_UNVERIFIED = "unverified"  # a Windows binary that could not be read for its signature


@dataclass(frozen=True, slots=True)
class LogSource:
    path: str
    format: str  # the format string when known (LogFormat/log_format/pattern), else a name
    configured_at: Location


@dataclass(frozen=True, slots=True)
class Server:
    kind: str  # apache, nginx, php, php-fpm, tomcat, jenkins, iis, exchange, termservice, esxi
    name: str  # unique label, e.g. "apache:/etc/apache2"
    platform: str  # linux, windows, esxi
    version: str | None = None
    config_files: tuple[str, ...] = ()
    web_roots: tuple[str, ...] = ()
    component_dirs: tuple[str, ...] = ()
    log_files: tuple[LogSource, ...] = ()
    user: str | None = None


@dataclass(frozen=True, slots=True)
class Component:
    server: str  # Server.name
    kind: str  # module, php-extension, prepend, valve, listener, filter, servlet, webapp, jar,
    # plugin, init-script, preload, native-module, managed-module, isapi-filter, handler,
    # transport-agent, service-dll, vib, nginx-script
    name: str
    path: str | None
    configured_at: Location
    owner_package: str | None = None
    signature_state: str = SIG_NA
    detail: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str = "") -> str:
        return next((v for k, v in self.detail if k == key), default)


@dataclass(frozen=True, slots=True)
class Setting:
    server: str
    key: str  # namespaced: php.allow_url_include, tomcat.user, esxi.acceptance, ...
    value: str
    location: Location
    detail: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str = "") -> str:
        return next((v for k, v in self.detail if k == key), default)


@dataclass(frozen=True, slots=True)
class PathFacts:
    path: str
    uid: int
    gid: int
    mode: int
    is_dir: bool


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    uid: int
    gids: frozenset[int]


@dataclass(frozen=True, slots=True)
class Inventory:
    root: str
    servers: tuple[Server, ...] = ()
    components: tuple[Component, ...] = ()
    settings: tuple[Setting, ...] = ()
    paths: Mapping[str, PathFacts] = field(default_factory=dict)
    accounts: Mapping[str, Account] = field(default_factory=dict)
    skipped: tuple[Skipped, ...] = ()

    def host_path(self, path: str) -> str:
        return path if self.root == "/" else self.root.rstrip("/") + path

    def display(self, path: str) -> str:
        from sscguard.extract.files import display_path

        return display_path(self.host_path(path))

    def server(self, name: str) -> Server | None:
        return next((s for s in self.servers if s.name == name), None)

    def components_of(self, server: Server) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.server == server.name)


def discover(root: str = "/") -> Inventory:
    """Find servers and their components under ``root`` (see the module docstring)."""
    from sscguard.targets.discovery import discover as _discover

    return _discover(root)
