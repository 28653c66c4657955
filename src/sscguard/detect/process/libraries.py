"""Loader and mapping checks on server processes (SSC-004-300..304)."""

from __future__ import annotations

import os
import re

from sscguard.detect.process.checks import CH, CL, CM, H, L, M, finding
from sscguard.detect.process.facts import ProcessFacts, hop, proc_uri
from sscguard.detect.process.lineage import escapes
from sscguard.detect.process.servers import descendants
from sscguard.extract.processes import MappedFile, ProcessNode
from sscguard.model import Evidence, Finding, Location
from sscguard.textutil import sanitize

#: Where packaged or vendor-installed code lives. Code mapped from anywhere else is flagged.
SYSTEM_PREFIXES = (
    "/usr/",
    "/lib/",
    "/lib32/",
    "/lib64/",
    "/libx32/",
    "/bin/",
    "/sbin/",
    "/opt/",
    "/snap/",
    "/nix/store/",
    "/gnu/store/",
)
#: Folders dpkg installs into; ``/usr/local`` and ``/opt`` are unpackaged by definition.
PACKAGED_PREFIXES = ("/usr/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/bin/", "/sbin/")
UNPACKAGED_PREFIXES = ("/usr/local/",)
#: Writable or user-controlled folders: code from here is high confidence.
WRITABLE_PREFIXES = (
    "/tmp/",  # noqa: S108 (a path judged, never written)
    "/var/tmp/",  # noqa: S108 (a path judged, never written)
    "/dev/shm/",  # noqa: S108 (a path judged, never written)
    "/run/shm/",
    "/run/user/",
    "/home/",
    "/root/",
    "/var/www/",
    "/srv/",
    "/var/lib/php/",
    "/var/spool/",
    "/var/log/",
    "/var/mail/",
)
#: Pseudo paths of shared anonymous memory, never files on disk.
_PSEUDO = re.compile(r"^/(dev/zero|SYSV[0-9a-fA-F]+|anon_hugepage|\[aio\]|drm mm object)")
_ALLOCATORS = re.compile(r"lib(jemalloc|tcmalloc(_minimal)?|mimalloc|hoard|eatmydata)[.\-]")


def _lib_evidence(node: ProcessNode, mapped: MappedFile, detail: str) -> Evidence:
    return Evidence(
        kind="mapped-file",
        location=Location(mapped.path),
        excerpt=sanitize(f"{mapped.perms} {mapped.path}{' (deleted)' if mapped.deleted else ''}"),
        detail=sanitize(f"mapped by pid {node.pid} ({node.exe_name}); {detail}", 400),
    )


def _inherited(facts: ProcessFacts, node: ProcessNode) -> ProcessNode | None:
    """The server parent whose mappings and environment a worker inherited, if inspected."""
    parent = facts.nodes.get(node.ppid)
    if parent is None or not parent.inspected:
        return None
    if facts.servers.kinds.get(parent.pid) != facts.servers.kinds.get(node.pid):
        return None
    return parent


def _preload(facts: ProcessFacts, node: ProcessNode) -> list[Finding]:
    env = {k: v for k, v in node.loader_env or () if k in ("LD_PRELOAD", "LD_AUDIT") and v}
    if not env:
        return []
    parent = _inherited(facts, node)
    if parent is not None and dict(parent.loader_env or ()) == dict(node.loader_env or ()):
        return []  # reported at the master
    libs = [lib for value in env.values() for lib in re.split(r"[:\s]+", value) if lib]
    outside = [lib for lib in libs if not lib.startswith(SYSTEM_PREFIXES)]
    allocator_only = bool(libs) and all(_ALLOCATORS.search(os.path.basename(lib)) for lib in libs)
    severity, confidence = H, CM
    if outside:
        confidence = CH
    elif allocator_only and "LD_AUDIT" not in env:
        severity, confidence = L, CM
    evidence = (
        Evidence(
            kind="environment",
            location=Location(f"proc://{node.pid}/environ"),
            excerpt=sanitize(" ".join(f"{k}={v}" for k, v in env.items()), 300),
            detail=(
                "loader variables in the process environment"
                if node.env_source == "environ"
                else "loader variables in the relocated environment on the heap "
                "(the process title overwrote /proc/PID/environ)"
            ),
        ),
        hop(node),
    )
    return [
        finding(
            "SSC-004-300",
            proc_uri(node),
            evidence,
            discriminator=f"{node.pid}:{node.started}",
            pids=(node.pid,),
            severity=severity,
            confidence=confidence,
            note=(
                f"Preloaded: {', '.join(libs)}."
                + (" Only a memory allocator is preloaded." if severity is L else "")
            ),
        )
    ]


def _mapping_findings(facts: ProcessFacts, node: ProcessNode) -> list[Finding]:
    if node.maps is None:
        return []
    parent = _inherited(facts, node)
    parent_paths = {m.path for m in parent.maps or ()} if parent is not None else set()
    same_ns = node.mnt_ns is not None and node.mnt_ns == facts.own_mnt_ns
    out: list[Finding] = []
    for mapped in node.maps:
        if not mapped.executable or _PSEUDO.match(mapped.path) or mapped.path in parent_paths:
            continue
        path = mapped.path
        disc = f"{node.pid}:{node.started}:{path}"
        if path.startswith("/memfd:"):
            out.append(
                finding(
                    "SSC-004-304",
                    proc_uri(node) + "#" + path,
                    (_lib_evidence(node, mapped, "executable memfd mapping"), hop(node)),
                    discriminator=disc,
                    pids=(node.pid,),
                )
            )
            continue
        if mapped.deleted:
            back = (node.pid, path) in facts.present
            writable = path.startswith(WRITABLE_PREFIXES)
            severity, confidence = (H, CH) if writable else (H, CM)
            note = "The file is gone from disk."
            if back and not writable:
                severity, confidence = L, CL
                note = (
                    "A file exists again at that path: most likely a package upgrade; "
                    "restart the service."
                )
            out.append(
                finding(
                    "SSC-004-303",
                    proc_uri(node) + "#" + path,
                    (_lib_evidence(node, mapped, "mapped file deleted"), hop(node)),
                    discriminator=disc,
                    pids=(node.pid,),
                    severity=severity,
                    confidence=confidence,
                    note=note,
                )
            )
            continue
        if not path.startswith(SYSTEM_PREFIXES):
            writable = path.startswith(WRITABLE_PREFIXES)
            out.append(
                finding(
                    "SSC-004-301",
                    proc_uri(node) + "#" + path,
                    (_lib_evidence(node, mapped, "outside the system library folders"), hop(node)),
                    discriminator=disc,
                    pids=(node.pid,),
                    severity=H if writable else M,
                    confidence=CH if writable else CM,
                )
            )
            continue
        if (
            same_ns
            and facts.owners is not None
            and path.startswith(PACKAGED_PREFIXES)
            and not path.startswith(UNPACKAGED_PREFIXES)
            and path in facts.owners
            and facts.owners[path] is None
        ):
            out.append(
                finding(
                    "SSC-004-302",
                    proc_uri(node) + "#" + path,
                    (_lib_evidence(node, mapped, "no package lists this file"), hop(node)),
                    discriminator=disc,
                    pids=(node.pid,),
                )
            )
    return out


def _deleted_exe(node: ProcessNode, facts: ProcessFacts) -> list[Finding]:
    if not node.exe_deleted or not node.exe:
        return []
    parent = _inherited(facts, node)
    if parent is not None and parent.exe == node.exe and parent.exe_deleted:
        return []
    writable = node.exe.startswith(WRITABLE_PREFIXES)
    back = (node.pid, node.exe) in facts.present
    severity, confidence = (H, CH) if writable or not facts.servers.is_server(node.pid) else (H, CM)
    note = "The executable is gone from disk."
    if back and not writable and facts.servers.is_server(node.pid):
        severity, confidence = L, CL
        note = "A file exists again at that path: most likely an upgrade; restart the service."
    mapped = MappedFile(node.exe, "r-x", True)
    return [
        finding(
            "SSC-004-303",
            proc_uri(node),
            (_lib_evidence(node, mapped, "running executable deleted"), hop(node)),
            discriminator=f"{node.pid}:{node.started}:exe",
            pids=(node.pid,),
            severity=severity,
            confidence=confidence,
            note=note,
        )
    ]


def library_findings(facts: ProcessFacts) -> list[Finding]:
    out: list[Finding] = []
    for pid in sorted(facts.servers.kinds):
        node = facts.nodes[pid]
        out.extend(_preload(facts, node))
        out.extend(_mapping_findings(facts, node))
        out.extend(_deleted_exe(node, facts))
    kids = facts.kids()
    for _server, child in escapes(facts):
        for pid in [child, *(p for p, _ in descendants(child, kids))]:
            below = facts.nodes.get(pid)
            if below is not None:
                out.extend(_deleted_exe(below, facts))
    return out
