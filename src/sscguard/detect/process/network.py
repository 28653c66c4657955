"""Connections and listeners of servers and of what they started (SSC-003/001-304..307)."""

from __future__ import annotations

from sscguard.detect.process.checks import CL, CM, L, M, finding
from sscguard.detect.process.facts import (
    ProcessFacts,
    hop,
    is_inbound,
    is_loopback,
    lineage_evidence,
    listener_for,
    plain,
    proc_uri,
)
from sscguard.detect.process.lineage import escapes
from sscguard.detect.process.servers import UPSTREAM_SERVICES, Role, descendants
from sscguard.extract.processes import ProcessNode, Socket
from sscguard.model import Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import sanitize

_PREFIX = {Role.WEB: "SSC-003", Role.DB: "SSC-001"}
#: Remote ports web applications reach as a matter of course: databases, caches, directory,
#: mail, DNS, search and queues. Override or extend with --upstream.
UPSTREAM_PORTS = frozenset(
    {25, 53, 389, 465, 587, 636, 1433, 1521, 3306, 5432, 5672, 6379, 9000, 9200, 11211, 27017}
)
_WEB_PORTS = frozenset({80, 443})
_LIVE = {"ESTABLISHED", "SYN_SENT", "CLOSE_WAIT", "FIN_WAIT1", "FIN_WAIT2", "LAST_ACK"}


def _sock_evidence(node: ProcessNode, sock: Socket, detail: str) -> Evidence:
    return Evidence(
        kind="socket",
        location=Location(f"proc://{node.pid}/socket:[{sock.inode}]"),
        excerpt=sanitize(sock.describe(), 200),
        detail=sanitize(f"{detail}; held by pid {node.pid} ({node.exe_name})", 300),
    )


def _connected(sock: Socket) -> bool:
    if sock.proto.startswith("tcp"):
        return sock.state in _LIVE
    return sock.rport != 0 and sock.rport != 53


def _ancestor_inodes(facts: ProcessFacts, pid: int) -> set[int]:
    """Socket inodes held by the ancestors of ``pid`` (sockets a child merely inherited)."""
    inodes: set[int] = set()
    node = facts.nodes.get(pid)
    seen = set()
    while node is not None and node.ppid in facts.nodes and node.ppid not in seen:
        seen.add(node.ppid)
        node = facts.nodes[node.ppid]
        inodes.update(s.inode for s in node.sockets or ())
    return inodes


def _listener_owner(facts: ProcessFacts) -> dict[int, ProcessNode]:
    owners: dict[int, ProcessNode] = {}
    for node in facts.nodes.values():
        for sock in node.sockets or ():
            if sock.listening:
                owners.setdefault(sock.inode, node)
    return owners


def _allowed_upstream(facts: ProcessFacts, sock: Socket) -> bool:
    peer = plain(sock.remote)
    return any(port == sock.rport and addr in ("*", peer) for addr, port in facts.upstreams)


def network_findings(facts: ProcessFacts) -> list[Finding]:
    out: list[Finding] = []
    owners = _listener_owner(facts)
    kids = facts.kids()
    # 1. anything a server started that holds its own socket
    for server, child in escapes(facts):
        kind = facts.servers.kinds[server]
        top = facts.servers.masters.get(server, server)
        prefix = _PREFIX[kind.role]
        for pid in [child, *(p for p, _ in descendants(child, kids))]:
            node = facts.nodes.get(pid)
            if node is None or not node.sockets:
                continue
            inherited = _ancestor_inodes(facts, pid)
            for sock in node.sockets:
                if sock.inode in inherited:
                    continue
                if sock.listening:
                    number, what = "305", "listening socket of a server's child"
                elif _connected(sock):
                    number, what = "304", "connection of a server's child"
                else:
                    continue
                out.append(
                    finding(
                        f"{prefix}-{number}",
                        proc_uri(node),
                        (
                            _sock_evidence(node, sock, what),
                            *lineage_evidence(facts.nodes, top, pid, []),
                        ),
                        discriminator=f"{pid}:{node.started}:{sock.inode}",
                        pids=(pid,),
                        note=f"Server: {kind.name}. {sock.describe()}.",
                        tags=(kind.name,),
                    )
                )
    # 2. the server processes themselves
    for pid in sorted(facts.servers.kinds):
        node = facts.nodes[pid]
        kind = facts.servers.kinds[pid]
        master_pid = facts.servers.masters.get(pid, pid)
        master = facts.nodes.get(master_pid)
        for sock in node.sockets or ():
            if sock.listening:
                if (
                    master is not None
                    and master_pid != pid
                    and master.sockets is not None
                    and sock.inode not in {s.inode for s in master.sockets}
                ):
                    out.append(
                        finding(
                            f"{_PREFIX[kind.role]}-307",
                            proc_uri(node),
                            (_sock_evidence(node, sock, "not held by the master"), hop(node)),
                            discriminator=f"{pid}:{node.started}:{sock.inode}",
                            pids=(pid,),
                            note=f"Server: {kind.name}; master pid {master_pid}.",
                            tags=(kind.name,),
                        )
                    )
                continue
            if kind.role is not Role.WEB or not _connected(sock):
                continue
            if is_inbound(sock, facts.listeners) or _allowed_upstream(facts, sock):
                continue
            verdict = _judge_peer(facts, owners, kind.proxy, sock)
            if verdict is None:
                continue
            severity, confidence, note = verdict
            out.append(
                finding(
                    "SSC-003-306",
                    proc_uri(node),
                    (_sock_evidence(node, sock, "outbound from a server worker"), hop(node)),
                    discriminator=f"{pid}:{node.started}:{sock.inode}",
                    pids=(pid,),
                    severity=severity,
                    confidence=confidence,
                    note=f"Server: {kind.name}. {note}",
                    tags=(kind.name,),
                )
            )
    return out


def _judge_peer(
    facts: ProcessFacts, owners: dict[int, ProcessNode], proxy: bool, sock: Socket
) -> tuple[Severity, Confidence, str] | None:
    peer = f"{plain(sock.remote)}:{sock.rport}"
    if is_loopback(sock.remote) or plain(sock.remote) == plain(sock.local):
        listener = listener_for(facts.listeners, sock.remote, sock.rport, sock.proto[:3] == "tcp")
        owner = owners.get(listener.inode) if listener is not None else None
        if owner is not None and (
            facts.servers.is_server(owner.pid) or UPSTREAM_SERVICES.match(owner.exe_name)
        ):
            return None
        who = (
            f"{owner.exe_name} (pid {owner.pid}), not a known server or upstream service"
            if owner is not None
            else "a process that is not a known server or upstream service"
        )
        return (
            M,
            CM,
            f"The peer {peer} is a local listener of {who}.",
        )
    if sock.rport in UPSTREAM_PORTS:
        return None
    if proxy:
        return None  # reverse proxies connect to their upstreams by design
    if sock.rport in _WEB_PORTS:
        return (L, CL, f"The peer {peer} is a remote web port; applications call APIs too.")
    return (M, CL, f"The peer {peer} is remote and not on a usual upstream port.")
