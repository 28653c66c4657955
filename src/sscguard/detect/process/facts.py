"""The input of the process checks, and evidence helpers shared by them (pure)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sscguard.detect.process.servers import ServerMap
from sscguard.extract.processes import ProcessNode, Socket, lineage
from sscguard.model import Evidence, Location
from sscguard.textutil import sanitize

#: A pair the baseline knows: (parent program, child program).
Pair = tuple[str, str]
#: A network observation the baseline knows: (program, "out"|"listen", proto, address, port).
Peer = tuple[str, str, str, str, int]


@dataclass(frozen=True, slots=True)
class Known:
    """What a baseline database recorded as normal."""

    pairs: frozenset[Pair] = frozenset()
    peers: frozenset[Peer] = frozenset()


@dataclass(frozen=True, slots=True)
class ProcessFacts:
    """Everything the checks look at, read beforehand by the extract layer."""

    nodes: Mapping[int, ProcessNode]
    servers: ServerMap
    listeners: tuple[Socket, ...] = ()  # every LISTEN socket seen (all network namespaces)
    owners: Mapping[str, str | None] | None = None  # mapped path -> package; None: no dpkg
    present: frozenset[tuple[int, str]] = frozenset()  # (pid, deleted path) back on disk
    upstreams: tuple[tuple[str, int], ...] = ()  # (address or "*", port) from --upstream
    own_mnt_ns: str | None = None
    known: Known | None = None  # --baseline
    children: Mapping[int, tuple[int, ...]] = field(default_factory=dict)

    def kids(self) -> Mapping[int, tuple[int, ...]]:
        if self.children:
            return self.children
        out: dict[int, list[int]] = {}
        for node in self.nodes.values():
            if node.ppid != node.pid:
                out.setdefault(node.ppid, []).append(node.pid)
        return {k: tuple(sorted(v)) for k, v in out.items()}


def iso(ts: float) -> str:
    if ts <= 0:
        return "?"
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def proc_uri(node: ProcessNode) -> str:
    return f"proc://{node.pid}{node.exe or '/[' + node.name + ']'}"


def hop(node: ProcessNode, kind: str = "process") -> Evidence:
    """One process as evidence: command line as excerpt, identity in the detail."""
    exe = node.exe or f"[{node.name}] (exe unreadable)"
    if node.exe_deleted:
        exe += " (deleted)"
    detail = (
        f"pid={node.pid} ppid={node.ppid} exe={exe} user={node.user} started={iso(node.started)}"
    )
    if node.cwd:
        detail += f" cwd={node.cwd}"
    return Evidence(
        kind=kind,
        location=Location(f"proc://{node.pid}"),
        excerpt=sanitize(node.command.strip(), 300),
        detail=sanitize(detail, 500),
    )


def chain_from(nodes: Mapping[int, ProcessNode], top: int, pid: int) -> list[ProcessNode]:
    """The lineage of ``pid`` starting at its ancestor ``top`` (or the whole chain)."""
    chain = lineage(nodes, pid)
    for index, node in enumerate(chain):
        if node.pid == top:
            return chain[index:]
    return chain


def lineage_evidence(
    nodes: Mapping[int, ProcessNode], top: int, pid: int, below: list[ProcessNode]
) -> tuple[Evidence, ...]:
    chain = chain_from(nodes, top, pid)
    summary = " -> ".join(f"{n.exe_name}[{n.pid}]" for n in chain)
    if below:
        summary += " => " + ", ".join(f"{n.exe_name}[{n.pid}]" for n in below[:8])
    head = Evidence(
        kind="lineage",
        location=Location(f"proc://{pid}"),
        excerpt=sanitize(summary, 400),
        detail="server master -> ... -> flagged process" + (" => its children" if below else ""),
    )
    return (
        head,
        *(hop(n) for n in chain),
        *(hop(n, "process-child") for n in below[:16]),
    )


def is_loopback(addr: str) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def plain(addr: str) -> str:
    """``::ffff:1.2.3.4`` -> ``1.2.3.4``."""
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return addr
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


_WILDCARD = {"0.0.0.0", "::"}  # noqa: S104 (a listener address, not a bind)


def listener_for(
    listeners: tuple[Socket, ...], addr: str, port: int, tcp: bool = True
) -> Socket | None:
    want = plain(addr)
    for sock in listeners:
        if sock.lport != port or sock.proto.startswith("tcp") != tcp:
            continue
        if sock.local in _WILDCARD or plain(sock.local) == want:
            return sock
    return None


def is_inbound(sock: Socket, listeners: tuple[Socket, ...]) -> bool:
    """An accepted connection: its local end is a port something listens on."""
    if not sock.proto.startswith("tcp"):
        return False
    return listener_for(listeners, sock.local, sock.lport) is not None
