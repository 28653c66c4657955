"""What is a server, what is its worker, and what kind of program is a descendant (pure).

Identity comes from the executable (``/proc/PID/exe``), never from the process title, which
postgres and php-fpm rewrite. Only when the executable could not be read (another user's
process, not root) does the kernel name stand in. Java and Python servers are recognised by
their main class or script in the command line, because their executable is the runtime.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sscguard.extract.processes import ProcessNode


class Role(enum.Enum):
    WEB = "web"
    DB = "db"


@dataclass(frozen=True, slots=True)
class ServerKind:
    name: str
    role: Role
    proxy: bool = False  # its outbound connections are upstreams by design


_EXE_KINDS: tuple[tuple[re.Pattern[str], ServerKind], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"^(apache2|httpd)$", ServerKind("apache", Role.WEB, proxy=True)),
        (r"^nginx$", ServerKind("nginx", Role.WEB, proxy=True)),
        (r"^lighttpd$", ServerKind("lighttpd", Role.WEB, proxy=True)),
        (r"^caddy$", ServerKind("caddy", Role.WEB, proxy=True)),
        (r"^php-fpm[\d.]*$", ServerKind("php-fpm", Role.WEB)),
        (r"^php-cgi[\d.]*$", ServerKind("php-cgi", Role.WEB)),
        (r"^uwsgi(-core)?$", ServerKind("uwsgi", Role.WEB)),
        (r"^(postgres|postmaster)$", ServerKind("postgres", Role.DB)),
        (r"^(mysqld|mariadbd)$", ServerKind("mysql", Role.DB)),
    )
)
_JAVA = re.compile(r"^java$")
_JAVA_MARKERS = (
    ("org.apache.catalina.startup.Bootstrap", "tomcat"),
    ("catalina", "tomcat"),
    ("jenkins", "jenkins"),
    ("hudson", "jenkins"),
    ("winstone", "jenkins"),
    ("org.eclipse.jetty", "jetty"),
    ("jboss", "wildfly"),
)
_PYTHON = re.compile(r"^python[\d.]*$")
_NODE = re.compile(r"^(node|nodejs)$")

#: Programs whose listeners count as the upstream services of a web worker (not servers we
#: audit for children here, only owners of the ports workers are expected to reach).
UPSTREAM_SERVICES = re.compile(
    r"^(redis-server|memcached|mongod|valkey-server|beam\.smp|clickhouse-server|haproxy|"
    r"varnishd|squid|elasticsearch|opensearch|php-fpm[\d.]*|postgres|mysqld|mariadbd|nginx|"
    r"apache2|httpd|uwsgi(-core)?)$"
)

SHELLS = re.compile(r"^(sh|bash|dash|zsh|ksh|ksh93|mksh|ash|csh|tcsh|fish|busybox|rbash)$")
INTERPRETERS = re.compile(
    r"^(python[\d.]*|perl[\d.]*|ruby[\d.]*|php[\d.]*|lua[\d.]*|luajit|tclsh[\d.]*|wish[\d.]*|"
    r"node|nodejs|gawk|mawk|awk|nawk|expect|pwsh|osascript|jrunscript|jshell)$"
)
RECON = re.compile(
    r"^(id|whoami|uname|hostname|hostnamectl|ifconfig|ip|netstat|ss|ps|w|who|last|lastlog|"
    r"lsof|arp|route|getent|groups|lscpu|lsb_release|env|printenv|nproc|df|mount|finger|"
    r"systeminfo|ipconfig|net|net1|tasklist|quser)$"
)
DOWNLOADERS = re.compile(
    r"^(curl|wget|fetch|nc|ncat|netcat|nc\.openbsd|nc\.traditional|socat|telnet|ssh|scp|sftp|"
    r"ftp|tftp|rsync|openssl|certutil|bitsadmin|aria2c|lftp|chisel|frpc|ngrok)$"
)
#: Children a server starts legitimately (mail(), piped loggers): reported at low severity.
BENIGN_HELPERS = re.compile(
    r"^(sendmail|exim|exim4|msmtp|ssmtp|postdrop|rotatelogs|cronolog|logger|gzip)$"
)


class Category(enum.Enum):
    SHELL = "shell"
    INTERPRETER = "interpreter"
    RECON = "recon"
    DOWNLOADER = "downloader"
    OTHER = "other"


def program(node: ProcessNode) -> str:
    """The program a process runs: exe base name (busybox applets by argv[0])."""
    name = node.exe_name
    if name == "busybox" and node.cmdline:
        return os.path.basename(node.cmdline[0]) or name
    return name


def category(node: ProcessNode) -> Category:
    name = program(node)
    if SHELLS.match(name):
        return Category.SHELL
    if RECON.match(name):
        return Category.RECON
    if DOWNLOADERS.match(name):
        return Category.DOWNLOADER
    if INTERPRETERS.match(name):
        return Category.INTERPRETER
    return Category.OTHER


def _java_kind(node: ProcessNode) -> ServerKind | None:
    text = " ".join(node.cmdline[:64]).lower()
    for marker, name in _JAVA_MARKERS:
        if marker.lower() in text:
            return ServerKind(name, Role.WEB)
    return None


def _python_kind(node: ProcessNode) -> ServerKind | None:
    for arg in node.cmdline[:4]:
        base = os.path.basename(arg)
        if base in ("gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve"):
            return ServerKind(base, Role.WEB)
    return None


@dataclass(frozen=True, slots=True)
class Classifier:
    """Identifies server processes; ``extra`` are ``--server`` names (exe base name or path)."""

    extra: tuple[str, ...] = ()

    def candidate(self, node: ProcessNode) -> bool:
        """Could this be a server? (node needs its sockets read before ``kind`` can say.)"""
        return self.kind(node, listening=True) is not None

    def kind(self, node: ProcessNode, listening: bool | None = None) -> ServerKind | None:
        name = node.exe_name
        if node.exe and (node.exe in self.extra or name in self.extra):
            return ServerKind(name, Role.WEB)
        if not node.exe and name in self.extra:
            return ServerKind(name, Role.WEB)
        for pattern, kind in _EXE_KINDS:
            if pattern.match(name):
                return kind
        if _JAVA.match(name):
            return _java_kind(node)
        if _PYTHON.match(name):
            return _python_kind(node)
        if _NODE.match(name):
            if listening is None:
                listening = any(s.listening for s in node.sockets or ())
            return ServerKind("node", Role.WEB) if listening else None
        return None


@dataclass(frozen=True, slots=True)
class ServerMap:
    """Server processes by pid, and each server family's top process (its master)."""

    kinds: Mapping[int, ServerKind]
    masters: Mapping[int, int]  # server pid -> topmost ancestor of the same kind

    def is_server(self, pid: int) -> bool:
        return pid in self.kinds


def classify(nodes: Mapping[int, ProcessNode], classifier: Classifier) -> ServerMap:
    kinds: dict[int, ServerKind] = {}
    for pid, node in nodes.items():
        kind = classifier.kind(node)
        if kind is not None:
            kinds[pid] = kind
    # node workers inherit their master's role even without their own listener
    changed = True
    while changed:
        changed = False
        for pid, node in nodes.items():
            parent_kind = kinds.get(node.ppid)
            if (
                pid not in kinds
                and parent_kind is not None
                and parent_kind.name == "node"
                and _NODE.match(node.exe_name)
            ):
                kinds[pid] = parent_kind
                changed = True
    masters: dict[int, int] = {}
    for pid in kinds:
        top = pid
        seen = {pid}
        while True:
            parent = nodes[top].ppid
            if parent in seen or kinds.get(parent) is None:
                break
            if kinds[parent].name != kinds[pid].name:
                break
            seen.add(parent)
            top = parent
        masters[pid] = top
    return ServerMap(kinds=kinds, masters=masters)


def descendants(
    root: int, children: Mapping[int, Iterable[int]], limit: int = 4096
) -> list[tuple[int, int]]:
    """(pid, depth) of every descendant of ``root``, depth-first, bounded."""
    out: list[tuple[int, int]] = []
    stack = [(c, 1) for c in sorted(children.get(root, ()), reverse=True)]
    seen = {root}
    while stack and len(out) < limit:
        pid, depth = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        out.append((pid, depth))
        stack.extend((c, depth + 1) for c in sorted(children.get(pid, ()), reverse=True))
    return out
