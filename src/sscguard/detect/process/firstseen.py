"""First-seen behaviour against a learned baseline (SSC-000-300..302).

``observe`` lists the parent/child program pairs and the network peers and listening ports of
every server and everything below it; ``first_seen_findings`` reports the ones the baseline
does not know. Programs are named by executable path, so a renamed copy is a new program.
"""

from __future__ import annotations

from dataclasses import dataclass

from sscguard.detect.process.checks import finding
from sscguard.detect.process.facts import (
    Pair,
    Peer,
    ProcessFacts,
    hop,
    is_inbound,
    lineage_evidence,
    plain,
    proc_uri,
)
from sscguard.detect.process.servers import descendants
from sscguard.extract.processes import ProcessNode
from sscguard.model import Evidence, Finding, Location
from sscguard.textutil import sanitize


def program_id(node: ProcessNode) -> str:
    return node.exe or f"[{node.name}]"


@dataclass(frozen=True, slots=True)
class Observations:
    """What the baseline stores, with the process that showed each item (for evidence)."""

    pairs: dict[Pair, tuple[int, int]]  # pair -> (parent pid, child pid)
    peers: dict[Peer, tuple[int, int]]  # peer -> (pid, socket inode)


def _scope(facts: ProcessFacts) -> list[int]:
    """Servers and every descendant of a server."""
    kids = facts.kids()
    pids: set[int] = set(facts.servers.kinds)
    for server in facts.servers.kinds:
        pids.update(p for p, _ in descendants(server, kids))
    return sorted(pids)


def observe(facts: ProcessFacts) -> Observations:
    pairs: dict[Pair, tuple[int, int]] = {}
    peers: dict[Peer, tuple[int, int]] = {}
    scope = _scope(facts)
    in_scope = set(scope)
    for pid in scope:
        node = facts.nodes[pid]
        parent = facts.nodes.get(node.ppid)
        if parent is not None and node.ppid in in_scope:
            pairs.setdefault((program_id(parent), program_id(node)), (parent.pid, pid))
        for sock in node.sockets or ():
            proto = sock.proto.rstrip("6")
            if sock.listening:
                key: Peer = (program_id(node), "listen", proto, plain(sock.local), sock.lport)
            elif sock.rport and not is_inbound(sock, facts.listeners):
                key = (program_id(node), "out", proto, plain(sock.remote), sock.rport)
            else:
                continue
            peers.setdefault(key, (pid, sock.inode))
    return Observations(pairs, peers)


def first_seen_findings(facts: ProcessFacts, seen: Observations | None = None) -> list[Finding]:
    if facts.known is None:
        return []
    obs = seen or observe(facts)
    out: list[Finding] = []
    for pair, (parent_pid, pid) in sorted(obs.pairs.items()):
        if pair in facts.known.pairs:
            continue
        node = facts.nodes[pid]
        top = parent_pid
        while facts.nodes.get(top) is not None and facts.nodes[top].ppid in facts.servers.kinds:
            top = facts.nodes[top].ppid
            if top == parent_pid:
                break
        out.append(
            finding(
                "SSC-000-300",
                proc_uri(node),
                lineage_evidence(facts.nodes, top, pid, []),
                discriminator=f"{pair[0]}>{pair[1]}:{pid}:{node.started}",
                pids=(pid,),
                note=f"New pair: {pair[0]} -> {pair[1]}.",
            )
        )
    for peer, (pid, inode) in sorted(obs.peers.items()):
        if peer in facts.known.peers:
            continue
        node = facts.nodes[pid]
        exe, direction, proto, addr, port = peer
        text = f"{proto} {'listening on' if direction == 'listen' else 'to'} {addr}:{port}"
        out.append(
            finding(
                "SSC-000-302" if direction == "listen" else "SSC-000-301",
                proc_uri(node),
                (
                    Evidence(
                        kind="socket",
                        location=Location(f"proc://{pid}/socket:[{inode}]"),
                        excerpt=sanitize(text, 200),
                        detail=sanitize(f"not in the baseline for {exe}", 300),
                    ),
                    hop(node),
                ),
                discriminator=f"{direction}:{proto}:{addr}:{port}:{pid}:{node.started}",
                pids=(pid,),
                note=f"New: {exe} {text}.",
            )
        )
    return out
