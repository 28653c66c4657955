"""A read-only snapshot of the live process table (Linux ``/proc``, through psutil where it helps).

Two steps, so that the expensive reads happen only where they matter:

* ``list_processes()``: every process, light facts (pid, parent, executable, command line,
  user, start time). The executable is read from the ``/proc/PID/exe`` link, never from the
  process title, which postgres and php-fpm rewrite.
* ``inspect(table, pids)``: for the processes detection cares about (servers, their
  descendants, their upstream services), the loader-relevant environment (``LD_*`` only:
  the rest may hold secrets), the executable mappings, the working directory and the sockets.

Every read can fail: the process exits between two reads (``vanished``), or the caller may
not look at it (``unreadable``, e.g. another user's process when not root). Both become a
``problems`` entry on the node and a ``Skipped`` for the report, never an exception. All reads
are bounded. Nothing is written, signalled or traced.

This module only works on the live host: a mounted image has no running processes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from sscguard.model import SkipCode, Skipped

PROC = "/proc"
MAX_CMDLINE = 16 << 10
MAX_ENVIRON = 256 << 10
MAX_MAPS = 4 << 20
MAX_NET = 16 << 20
MAX_FDS = 65536
MAX_HEAP_SCAN = 32 << 20
# The environment of a process never changes after exec: heap scans are cached per process
# (pid and start time), so the watch loop pays for each server process once.
_HEAP_CACHE: dict[tuple[int, float], tuple[tuple[str, str], ...]] = {}
#: Only these variables are kept from a process environment: the ones that change what the
#: dynamic loader maps. Everything else may be a secret and is never stored.
LOADER_VARIABLES = ("LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH")

TCP_STATES = {
    "01": "ESTABLISHED",
    "02": "SYN_SENT",
    "03": "SYN_RECV",
    "04": "FIN_WAIT1",
    "05": "FIN_WAIT2",
    "06": "TIME_WAIT",
    "07": "CLOSE",
    "08": "CLOSE_WAIT",
    "09": "LAST_ACK",
    "0A": "LISTEN",
    "0B": "CLOSING",
}


@dataclass(frozen=True, slots=True)
class Socket:
    """One inet socket: protocol (tcp, tcp6, udp, udp6), local and remote end, state, inode."""

    inode: int
    proto: str
    local: str
    lport: int
    remote: str
    rport: int
    state: str

    @property
    def listening(self) -> bool:
        return self.state == "LISTEN" or (
            self.proto.startswith("udp") and self.rport == 0 and self.state == "CLOSE"
        )

    def describe(self) -> str:
        local = _endpoint(self.local, self.lport)
        if self.listening:
            return f"{self.proto} listening on {local}"
        return f"{self.proto} {local} -> {_endpoint(self.remote, self.rport)} {self.state}"


def _endpoint(addr: str, port: int) -> str:
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


@dataclass(frozen=True, slots=True)
class MappedFile:
    """A file-backed mapping from ``/proc/PID/maps`` (merged by path)."""

    path: str
    perms: str
    deleted: bool

    @property
    def executable(self) -> bool:
        return "x" in self.perms


@dataclass(frozen=True, slots=True)
class ProcessNode:
    """What was read about one process. ``None`` means "not read" (see ``problems``)."""

    pid: int
    ppid: int
    name: str  # kernel comm (15 chars); a fallback only, never the primary identity
    exe: str | None  # resolved executable path, without the " (deleted)" marker
    exe_deleted: bool
    cmdline: tuple[str, ...]
    uid: int | None
    user: str
    started: float  # epoch seconds
    cwd: str | None = None
    loader_env: tuple[tuple[str, str], ...] | None = None
    maps: tuple[MappedFile, ...] | None = None
    sockets: tuple[Socket, ...] | None = None
    mnt_ns: str | None = None
    env_source: str = "environ"  # or "heap" when the title rewrite wiped /proc/PID/environ
    problems: tuple[str, ...] = ()
    inspected: bool = False

    @property
    def exe_name(self) -> str:
        """Base name of the executable, or the kernel name when the link could not be read."""
        if self.exe:
            return os.path.basename(self.exe)
        return self.name

    @property
    def command(self) -> str:
        return " ".join(self.cmdline) if self.cmdline else f"[{self.name}]"


@dataclass(slots=True)
class Snapshot:
    """The process table at one moment, plus what could not be read."""

    nodes: dict[int, ProcessNode]
    skipped: list[Skipped] = field(default_factory=list)
    listeners: dict[str, tuple[Socket, ...]] = field(default_factory=dict)  # netns -> LISTEN
    own_mnt_ns: str | None = None

    def children(self) -> dict[int, list[int]]:
        kids: dict[int, list[int]] = {}
        for node in self.nodes.values():
            if node.ppid != node.pid:
                kids.setdefault(node.ppid, []).append(node.pid)
        for pids in kids.values():
            pids.sort()
        return kids


class VanishedError(Exception):
    """The process went away while it was being read."""


class DeniedError(Exception):
    """The caller may not read this part of the process."""


def _read(path: str, limit: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError as exc:
        raise VanishedError(path) from exc
    except ProcessLookupError as exc:
        raise VanishedError(path) from exc
    except PermissionError as exc:
        raise DeniedError(path) from exc
    try:
        chunks = []
        left = limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except ProcessLookupError as exc:  # ESRCH while reading a dying process
        raise VanishedError(path) from exc
    except PermissionError as exc:
        raise DeniedError(path) from exc
    except OSError as exc:
        if exc.errno in (errno.ESRCH, errno.ENOENT):
            raise VanishedError(path) from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise DeniedError(path) from exc
        raise
    finally:
        os.close(fd)


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except (FileNotFoundError, ProcessLookupError) as exc:
        raise VanishedError(path) from exc
    except PermissionError as exc:
        raise DeniedError(path) from exc
    except OSError as exc:
        if exc.errno in (errno.ESRCH, errno.ENOENT):
            raise VanishedError(path) from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise DeniedError(path) from exc
        raise


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def split_deleted(link: str) -> tuple[str, bool]:
    """``/usr/sbin/x (deleted)`` -> (``/usr/sbin/x``, True)."""
    if link.endswith(" (deleted)"):
        return link[: -len(" (deleted)")], True
    return link, False


# -- pure parsers (unit-tested on their own) ---------------------------------------------


def parse_cmdline(data: bytes) -> tuple[str, ...]:
    parts = data.split(b"\0")
    if parts and parts[-1] == b"":
        parts.pop()
    return tuple(_text(p) for p in parts)


def parse_loader_env(data: bytes) -> tuple[tuple[str, str], ...]:
    """The ``LD_*`` loader variables of a NUL-separated environment block, nothing else."""
    found = []
    for item in data.split(b"\0"):
        name, sep, value = item.partition(b"=")
        if sep and _text(name) in LOADER_VARIABLES:
            found.append((_text(name), _text(value)))
    return tuple(found)


_HEAP_LOADER = re.compile(rb"(?<![A-Za-z0-9_])(LD_PRELOAD|LD_AUDIT)=([^\0\n]{1,4096})\0")


def environ_wiped(data: bytes) -> bool:
    """True when an environment block holds no NAME=VALUE entry at all: nginx, php-fpm and
    postgres move their environment to the heap and overwrite this area with the title."""
    return not any(b"=" in item for item in data.split(b"\0"))


def loader_env_in(data: bytes) -> tuple[tuple[str, str], ...]:
    """Loader variables in a block of process memory (the relocated environment)."""
    found = dict.fromkeys(
        (_text(m.group(1)), _text(m.group(2))) for m in _HEAP_LOADER.finditer(data)
    )
    return tuple(found)


def heap_range(maps_text: str) -> tuple[int, int] | None:
    for line in maps_text.splitlines():
        if line.rstrip().endswith("[heap]"):
            start, _, end = line.split(None, 1)[0].partition("-")
            return int(start, 16), int(end, 16)
    return None


def parse_maps(text: str) -> tuple[MappedFile, ...]:
    """File-backed mappings of ``/proc/PID/maps``, one entry per path (permissions merged)."""
    merged: dict[str, tuple[set[str], bool]] = {}
    for line in text.splitlines():
        fields = line.split(None, 5)
        if len(fields) < 6:
            continue
        perms, inode, target = fields[1], fields[4], fields[5]
        if target.startswith("[") or (inode == "0" and not target.startswith("/memfd:")):
            continue  # [heap], [stack], [vdso], anonymous
        path, deleted = split_deleted(target)
        flags, was_deleted = merged.get(path, (set(), False))
        flags.update(c for c in perms if c in "rwxs")
        merged[path] = (flags, was_deleted or deleted)
    return tuple(
        MappedFile(path, "".join(c for c in "rwxs" if c in flags), deleted)
        for path, (flags, deleted) in merged.items()
    )


def _ipv4(hexaddr: str) -> str:
    return socket.inet_ntop(socket.AF_INET, bytes.fromhex(hexaddr)[::-1])


def _ipv6(hexaddr: str) -> str:
    raw = bytes.fromhex(hexaddr)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


def parse_net(text: str, proto: str) -> dict[int, Socket]:
    """``/proc/PID/net/{tcp,tcp6,udp,udp6}`` -> sockets by inode (little-endian hosts)."""
    decode = _ipv6 if proto.endswith("6") else _ipv4
    sockets: dict[int, Socket] = {}
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 10:
            continue
        try:
            laddr, lport = fields[1].split(":")
            raddr, rport = fields[2].split(":")
            inode = int(fields[9])
            sock = Socket(
                inode=inode,
                proto=proto,
                local=decode(laddr),
                lport=int(lport, 16),
                remote=decode(raddr),
                rport=int(rport, 16),
                state=TCP_STATES.get(fields[3].upper(), fields[3]),
            )
        except (ValueError, OSError):
            continue
        if inode:
            sockets[inode] = sock
    return sockets


# -- the light listing -------------------------------------------------------------------


def list_processes(proc: str = PROC) -> Snapshot:
    """Every process with its light facts. VanishedError processes are left out silently (they are
    gone before we knew anything worth reporting); unreadable executables are noted."""
    import psutil

    nodes: dict[int, ProcessNode] = {}
    skipped: list[Skipped] = []
    denied_exe = 0
    attrs = ["pid", "ppid", "name", "cmdline", "uids", "username", "create_time"]
    for proc_obj in psutil.process_iter(attrs=attrs, ad_value=None):
        info = proc_obj.info
        pid = int(info["pid"])
        if pid == 0:
            continue
        problems: list[str] = []
        exe: str | None = None
        deleted = False
        try:
            exe, deleted = split_deleted(_readlink(f"{proc}/{pid}/exe"))
        except VanishedError:
            # kernel threads have no exe link; a vanished process has no stat either
            if not os.path.exists(f"{proc}/{pid}/stat"):
                continue
        except DeniedError:
            denied_exe += 1
            problems.append("exe: permission denied")
        except OSError as exc:
            problems.append(f"exe: {exc.strerror or exc}")
        uids = info.get("uids")
        cmdline = info.get("cmdline")
        nodes[pid] = ProcessNode(
            pid=pid,
            ppid=int(info.get("ppid") or 0),
            name=str(info.get("name") or ""),
            exe=exe,
            exe_deleted=deleted,
            cmdline=tuple(str(c) for c in cmdline)[:256] if cmdline else (),
            uid=int(uids.real) if uids is not None else None,
            user=str(info.get("username") or (uids.real if uids is not None else "?")),
            started=float(info.get("create_time") or 0.0),
            problems=tuple(problems),
        )
    if denied_exe:
        # Unprivileged: other users' executables are hidden, so the run is incomplete. As root
        # only specially protected processes refuse; they are noted, not counted as a gap.
        privileged = os.geteuid() == 0
        skipped.append(
            Skipped(
                f"{proc}/*/exe",
                SkipCode.UNSUPPORTED if privileged else SkipCode.UNREADABLE,
                f"the executable of {denied_exe} processes could not be read"
                + ("" if privileged else " (run as root)")
                + ": they were identified by kernel name only",
            )
        )
    own_ns = None
    with contextlib.suppress(VanishedError, DeniedError, OSError):
        own_ns = _readlink(f"{proc}/self/ns/mnt")
    return Snapshot(nodes=nodes, skipped=skipped, own_mnt_ns=own_ns)


def _boot_time(proc: str) -> float:
    global _BOOT
    if _BOOT is None:
        import psutil

        _BOOT = float(psutil.boot_time())
    return _BOOT


_BOOT: float | None = None
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def quick_node(pid: int, proc: str = PROC) -> ProcessNode | None:
    """The fewest reads that identify a process (exe link, stat, cmdline), for exec events:
    a child of a web shell may live only milliseconds. ``None`` when it is already gone."""
    base = f"{proc}/{pid}"
    try:
        link = _readlink(f"{base}/exe")
        stat = _read(f"{base}/stat", 4096)
        cmdline = parse_cmdline(_read(f"{base}/cmdline", MAX_CMDLINE))
        uid = os.stat(base).st_uid
    except (VanishedError, DeniedError, OSError):
        return None
    exe, deleted = split_deleted(link)
    name_end = stat.rfind(b")")
    fields = stat[name_end + 2 :].split()
    try:
        ppid = int(fields[1])
        started = (float(fields[19]) / _TICKS) + _boot_time(proc)  # as psutil computes it
    except (IndexError, ValueError):
        return None
    name = _text(stat[stat.find(b"(") + 1 : name_end])
    try:
        import pwd

        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = str(uid)
    return ProcessNode(
        pid=pid,
        ppid=ppid,
        name=name,
        exe=exe,
        exe_deleted=deleted,
        cmdline=cmdline[:256],
        uid=uid,
        user=user,
        started=started,
    )


def read_node(pid: int, proc: str = PROC) -> ProcessNode | None:
    """Light facts of one process straight from ``/proc`` (for events between polls);
    ``None`` when it is already gone."""
    import psutil

    try:
        p = psutil.Process(pid)
        with p.oneshot():
            ppid = p.ppid()
            name = p.name()
            started = p.create_time()
            try:
                cmdline = tuple(p.cmdline())[:256]
            except psutil.AccessDenied:
                cmdline = ()
            uids = p.uids()
            try:
                user = p.username()
            except (psutil.AccessDenied, KeyError):
                user = str(uids.real)
    except (psutil.NoSuchProcess, psutil.ZombieProcess, ProcessLookupError):
        return None
    except psutil.AccessDenied:
        return None
    exe: str | None = None
    deleted = False
    problems: tuple[str, ...] = ()
    try:
        exe, deleted = split_deleted(_readlink(f"{proc}/{pid}/exe"))
    except VanishedError:
        return None
    except (DeniedError, OSError):
        problems = ("exe: permission denied",)
    return ProcessNode(
        pid=pid,
        ppid=ppid,
        name=name,
        exe=exe,
        exe_deleted=deleted,
        cmdline=cmdline,
        uid=uids.real,
        user=user,
        started=started,
        problems=problems,
    )


# -- the deep inspection -----------------------------------------------------------------


def _socket_inodes(pid: int, proc: str) -> set[int]:
    try:
        names = os.listdir(f"{proc}/{pid}/fd")
    except (FileNotFoundError, ProcessLookupError) as exc:
        raise VanishedError(f"{proc}/{pid}/fd") from exc
    except PermissionError as exc:
        raise DeniedError(f"{proc}/{pid}/fd") from exc
    inodes: set[int] = set()
    for name in names[:MAX_FDS]:
        try:
            target = os.readlink(f"{proc}/{pid}/fd/{name}")
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            try:
                inodes.add(int(target[8:-1]))
            except ValueError:
                continue
    return inodes


def _net_tables(pid: int, proc: str) -> dict[int, Socket]:
    table: dict[int, Socket] = {}
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        try:
            data = _read(f"{proc}/{pid}/net/{proto}", MAX_NET)
        except VanishedError:
            if not os.path.exists(f"{proc}/{pid}"):
                raise
            continue  # protocol not available (no IPv6)
        table.update(parse_net(_text(data), proto))
    return table


def _heap_loader_env(base: str, maps_text: str) -> tuple[tuple[str, str], ...]:
    """Search the heap (bounded) for the relocated ``LD_PRELOAD=``/``LD_AUDIT=`` strings.

    Read-only (``/proc/PID/mem``, which needs the same rights as ptrace: root)."""
    heap = heap_range(maps_text)
    if heap is None:
        return ()
    start, end = heap
    try:
        fd = os.open(f"{base}/mem", os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError as exc:
        raise VanishedError(base) from exc
    except PermissionError as exc:
        raise DeniedError(f"{base}/mem") from exc
    try:
        found: dict[tuple[str, str], None] = {}
        offset, overlap = start, b""
        while offset < min(end, start + MAX_HEAP_SCAN):
            try:
                chunk = os.pread(fd, min(1 << 20, end - offset), offset)
            except OSError:
                break  # unmapped page or process gone: keep what was found
            if not chunk:
                break
            found.update(dict.fromkeys(loader_env_in(overlap + chunk)))
            overlap = chunk[-4200:]
            offset += len(chunk)
        return tuple(found)
    finally:
        os.close(fd)


def inspect(snapshot: Snapshot, pids: Iterable[int], proc: str = PROC) -> None:
    """Fill in environment, mappings, cwd and sockets for ``pids`` (in place)."""
    net_cache: dict[str, dict[int, Socket]] = {}
    for pid in sorted(set(pids)):
        node = snapshot.nodes.get(pid)
        if node is None or node.inspected:
            continue
        updated, skips = _inspect_one(node, proc, net_cache)
        snapshot.nodes[pid] = updated
        snapshot.skipped.extend(skips)
    for netns, table in net_cache.items():
        snapshot.listeners[netns] = tuple(s for s in table.values() if s.listening)


def _inspect_one(
    node: ProcessNode, proc: str, net_cache: dict[str, dict[int, Socket]]
) -> tuple[ProcessNode, list[Skipped]]:
    pid = node.pid
    base = f"{proc}/{pid}"
    problems = list(node.problems)
    values: dict[str, object] = {}
    denied: list[str] = []
    vanished = False

    def attempt(what: str, read: Callable[[], object]) -> None:
        nonlocal vanished
        if vanished:
            return
        try:
            values[what] = read()
        except VanishedError:
            vanished = True
        except DeniedError:
            denied.append(what)
        except OSError as exc:
            problems.append(f"{what}: {exc.strerror or exc}")

    attempt("cwd", lambda: _readlink(f"{base}/cwd"))
    attempt("mnt_ns", lambda: _readlink(f"{base}/ns/mnt"))
    attempt("environ", lambda: _read(f"{base}/environ", MAX_ENVIRON))
    attempt("maps_text", lambda: _text(_read(f"{base}/maps", MAX_MAPS)))
    environ = values.get("environ")
    maps_text = values.get("maps_text")
    env_source = "environ"
    if isinstance(environ, bytes):
        values["loader_env"] = parse_loader_env(environ)
        if environ_wiped(environ) and isinstance(maps_text, str):
            env_source = "heap"
            key = (pid, node.started)
            if key in _HEAP_CACHE:
                values["loader_env"] = _HEAP_CACHE[key]
            else:
                attempt("loader_env", lambda: _heap_loader_env(base, maps_text))
                found = values.get("loader_env")
                if isinstance(found, tuple) and "loader_env" not in denied:
                    if len(_HEAP_CACHE) >= 4096:
                        _HEAP_CACHE.clear()
                    _HEAP_CACHE[key] = found
    if isinstance(maps_text, str):
        values["maps"] = parse_maps(maps_text)

    def sockets() -> tuple[Socket, ...]:
        inodes = _socket_inodes(pid, proc)
        if not inodes:
            return ()
        netns = _readlink(f"{base}/ns/net")
        if netns not in net_cache:
            net_cache[netns] = _net_tables(pid, proc)
        table = net_cache[netns]
        return tuple(table[i] for i in sorted(inodes) if i in table)

    attempt("sockets", sockets)
    skips: list[Skipped] = []
    label = f"proc://{pid} ({node.exe or node.name})"
    if vanished:
        problems.append("vanished during inspection")
        skips.append(Skipped(label, SkipCode.VANISHED, "the process exited while it was read"))
    if denied:
        problems.append("permission denied: " + ", ".join(denied))
        skips.append(
            Skipped(
                label,
                SkipCode.UNREADABLE,
                "permission denied reading " + ", ".join(denied) + " (run as root)",
            )
        )
    cwd = values.get("cwd")
    env = values.get("loader_env")
    maps = values.get("maps")
    socks = values.get("sockets")
    mnt = values.get("mnt_ns")
    return (
        replace(
            node,
            cwd=split_deleted(cwd)[0] if isinstance(cwd, str) else None,
            loader_env=env if isinstance(env, tuple) else None,
            maps=maps if isinstance(maps, tuple) else None,
            sockets=socks if isinstance(socks, tuple) else None,
            mnt_ns=mnt if isinstance(mnt, str) else None,
            env_source=env_source,
            problems=tuple(problems),
            inspected=True,
        ),
        skips,
    )


def lineage(nodes: Mapping[int, ProcessNode], pid: int, limit: int = 64) -> list[ProcessNode]:
    """The process and its ancestors, oldest first (bounded against pid cycles)."""
    chain: list[ProcessNode] = []
    seen: set[int] = set()
    current = nodes.get(pid)
    while current is not None and current.pid not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current.pid)
        current = nodes.get(current.ppid)
    chain.reverse()
    return chain
