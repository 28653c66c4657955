"""One pass over the live process table: snapshot, inspect what matters, detect, document."""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from dataclasses import dataclass

from sscguard import __version__
from sscguard.detect.process import (
    CHECKS,
    Classifier,
    Known,
    Observations,
    ProcessFacts,
    ServerMap,
    classify,
    detect,
    observe,
)
from sscguard.detect.process.servers import UPSTREAM_SERVICES, descendants
from sscguard.extract.dpkg import DpkgOwners
from sscguard.extract.processes import PROC, Snapshot, inspect, list_processes
from sscguard.model import Finding, ResultDocument, SkipCode, Skipped, sort_findings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HuntOptions:
    servers: tuple[str, ...] = ()  # --server NAME: extra server executables
    upstreams: tuple[tuple[str, int], ...] = ()  # --upstream [HOST:]PORT
    pids: tuple[int, ...] = ()  # --pid: only servers in these process subtrees
    proc: str = PROC
    root: str = "/"  # where the dpkg database is (always / for a live host)


def checks_version() -> str:
    digest = hashlib.sha256()
    for check in sorted(CHECKS.values(), key=lambda c: c.id):
        digest.update(f"{check.id}|{check.title}|{check.severity.value}|".encode())
    return "process-" + digest.hexdigest()[:12]


def _restrict(servers: ServerMap, allowed: set[int]) -> ServerMap:
    kinds = {p: k for p, k in servers.kinds.items() if p in allowed}
    masters = {p: m if m in allowed else p for p, m in servers.masters.items() if p in allowed}
    return ServerMap(kinds=kinds, masters=masters)


def collect(
    options: HuntOptions, known: Known | None = None, snapshot: Snapshot | None = None
) -> tuple[ProcessFacts, Snapshot]:
    """Read the process table and everything the checks need; no detection yet."""
    snap = snapshot if snapshot is not None else list_processes(options.proc)
    classifier = Classifier(options.servers)
    children = snap.children()
    allowed: set[int] | None = None
    if options.pids:
        allowed = set()
        for pid in options.pids:
            if pid in snap.nodes:
                allowed.add(pid)
                allowed.update(p for p, _ in descendants(pid, children))
    candidates = [
        pid
        for pid, node in snap.nodes.items()
        if classifier.candidate(node) and (allowed is None or pid in allowed)
    ]
    scope: set[int] = set(candidates)
    for pid in candidates:
        scope.update(p for p, _ in descendants(pid, children))
    # upstream services: only their listeners are needed, to tell upstreams from strangers
    upstream = [pid for pid, node in snap.nodes.items() if UPSTREAM_SERVICES.match(node.exe_name)]
    inspect(snap, [*scope, *upstream], options.proc)
    servers = classify(snap.nodes, classifier)
    if allowed is not None:
        servers = _restrict(servers, allowed)
    # keep only the problems of processes that matter, plus the global notes
    relevant = {f"proc://{p} " for p in scope}
    snap.skipped[:] = [
        s
        for s in snap.skipped
        if not s.source.startswith("proc://") or any(s.source.startswith(r) for r in relevant)
    ]
    owners = _package_owners(snap, servers, options)
    present = _present_again(snap, scope, options.proc)
    listeners = tuple(s for socks in snap.listeners.values() for s in socks)
    facts = ProcessFacts(
        nodes=dict(snap.nodes),
        servers=servers,
        listeners=listeners,
        owners=owners,
        present=present,
        upstreams=options.upstreams,
        own_mnt_ns=snap.own_mnt_ns,
        known=known,
        children={k: tuple(v) for k, v in children.items()},
    )
    return facts, snap


def _package_owners(
    snap: Snapshot, servers: ServerMap, options: HuntOptions
) -> dict[str, str | None] | None:
    dpkg = DpkgOwners(options.root)
    if not dpkg.available:
        snap.skipped.append(
            Skipped(
                dpkg.info_dir,
                SkipCode.UNSUPPORTED,
                "no dpkg database: library ownership (SSC-004-302) not checked",
            )
        )
        return None
    paths: set[str] = set()
    for pid in servers.kinds:
        node = snap.nodes[pid]
        if node.mnt_ns is None or node.mnt_ns != snap.own_mnt_ns:
            continue
        paths.update(m.path for m in node.maps or () if m.executable and not m.deleted)
    return dpkg.owners(sorted(paths)) if paths else {}


def _present_again(snap: Snapshot, scope: set[int], proc: str) -> frozenset[tuple[int, str]]:
    """(pid, path) of deleted files that exist again at the same path, seen from the process's
    own root (so containers are judged by their own file system)."""
    found: set[tuple[int, str]] = set()
    for pid in scope:
        node = snap.nodes.get(pid)
        if node is None:
            continue
        paths = [m.path for m in node.maps or () if m.deleted]
        if node.exe_deleted and node.exe:
            paths.append(node.exe)
        for path in paths:
            if path.startswith("/") and os.path.exists(f"{proc}/{pid}/root{path}"):
                found.add((pid, path))
    return frozenset(found)


def hunt(
    options: HuntOptions, known: Known | None = None, command: str = "sscguard processes"
) -> tuple[ResultDocument, Observations]:
    """The whole pass, as a result document, plus what a baseline would record."""
    from sscguard.scan import now_iso

    started = now_iso()
    facts, snap = collect(options, known)
    observations = observe(facts)
    findings: list[Finding] = detect(facts, observations)
    stats: dict[str, int | float] = {
        "processes": len(snap.nodes),
        "servers": len(facts.servers.kinds),
        "inspected": sum(1 for n in snap.nodes.values() if n.inspected),
        "findings": len(findings),
    }
    doc = ResultDocument(
        tool_version=__version__,
        rules_version=checks_version(),
        command=command,
        started=started,
        finished=now_iso(),
        host=socket.gethostname(),
        targets=("live:/proc",),
        findings=sort_findings(findings),
        skipped=tuple(sorted(snap.skipped, key=lambda s: (s.source, s.code.value))),
        stats=stats,
    )
    return doc, observations
