"""Shells, interpreters, recon and download tools below a server (SSC-003/001-300..303)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from sscguard.detect.process.checks import CL, L, finding
from sscguard.detect.process.facts import ProcessFacts, lineage_evidence, proc_uri
from sscguard.detect.process.servers import (
    BENIGN_HELPERS,
    SHELLS,
    Category,
    Role,
    category,
    descendants,
    program,
)
from sscguard.extract.processes import ProcessNode
from sscguard.model import Finding

_PREFIX = {Role.WEB: "SSC-003", Role.DB: "SSC-001"}
_NUMBER = {
    Category.SHELL: "300",
    Category.INTERPRETER: "300",
    Category.RECON: "301",
    Category.DOWNLOADER: "302",
}
# Shell syntax that chains or substitutes commands: never "just a mailer".
_META = re.compile(r"[;&|`$<>()\n]")
# Postgres auxiliary processes that run archive_command / restore_command through sh.
_PG_ARCHIVER = re.compile(r"^postgres: .*\b(archiver|startup|walreceiver)\b")


def escapes(facts: ProcessFacts) -> Iterator[tuple[int, int]]:
    """(server pid, child pid) for every child of a server that is not itself a server."""
    kids = facts.kids()
    for server in sorted(facts.servers.kinds):
        for child in kids.get(server, ()):
            if not facts.servers.is_server(child):
                yield server, child


def _benign_helper(nodes: list[ProcessNode], parent: ProcessNode) -> str:
    """A reason when the subtree looks like mail delivery, a piped logger or archiving."""
    if _PG_ARCHIVER.match(" ".join(parent.cmdline)):
        return (
            "It runs under the postgres archiver/startup process (archive_command or "
            "restore_command), which is often legitimate."
        )
    names = [program(n) for n in nodes]
    if not any(BENIGN_HELPERS.match(n) for n in names) and not _helper_command(nodes[0]):
        return ""
    if not all(SHELLS.match(n) or BENIGN_HELPERS.match(n) for n in names):
        return ""
    if any(
        _META.search(" ".join(n.cmdline[2:] if SHELLS.match(program(n)) else n.cmdline))
        for n in nodes
    ):
        return ""
    return (
        "It looks like mail delivery or a piped logger (sendmail, rotatelogs), which is often "
        "legitimate."
    )


def _helper_command(node: ProcessNode) -> bool:
    """``sh -c '/usr/sbin/sendmail -t -i'`` before its child started."""
    if len(node.cmdline) >= 3 and node.cmdline[1] == "-c":
        first = node.cmdline[2].split()
        return bool(first) and bool(BENIGN_HELPERS.match(first[0].rsplit("/", 1)[-1]))
    return False


def _repeated(
    nodes: Mapping[int, ProcessNode],
    flagged: dict[int, str],
    node: ProcessNode,
    server: int,
    number: str,
) -> bool:
    """True when an ancestor below the server was already flagged with the same check."""
    ancestor = node.ppid
    for _ in range(256):
        if ancestor == server or ancestor not in nodes:
            return False
        if flagged.get(ancestor) == number:
            return True
        ancestor = nodes[ancestor].ppid
    return False


def lineage_findings(facts: ProcessFacts) -> list[Finding]:
    nodes = facts.nodes
    kids = facts.kids()
    out: list[Finding] = []
    for server, child in escapes(facts):
        kind = facts.servers.kinds[server]
        master = facts.servers.masters.get(server, server)
        prefix = _PREFIX[kind.role]
        subtree = [(child, 0), *descendants(child, kids)]
        sub_nodes = [nodes[p] for p, _ in subtree if p in nodes]
        benign = _benign_helper(sub_nodes, nodes[server])
        flagged: dict[int, str] = {}  # pid -> check number
        for pid, _depth in subtree:
            node = nodes.get(pid)
            if node is None:
                continue
            cat = category(node)
            if cat is Category.OTHER:
                if pid == child and not BENIGN_HELPERS.match(program(node)):
                    below = [nodes[p] for p, _ in descendants(pid, kids) if p in nodes]
                    out.append(
                        finding(
                            f"{prefix}-303",
                            proc_uri(node),
                            lineage_evidence(nodes, master, pid, below),
                            discriminator=f"{pid}:{node.started}",
                            pids=(pid, *(n.pid for n in below)),
                            note=f"Server: {kind.name}.",
                            tags=(kind.name,),
                        )
                    )
                continue
            number = _NUMBER[cat]
            # one finding per chain: a shell inside a flagged shell adds nothing new
            if _repeated(nodes, flagged, node, server, number):
                continue
            flagged[pid] = number
            below = [nodes[p] for p, _ in descendants(pid, kids) if p in nodes]
            out.append(
                finding(
                    f"{prefix}-{number}",
                    proc_uri(node),
                    lineage_evidence(nodes, master, pid, below),
                    discriminator=f"{pid}:{node.started}",
                    pids=(pid, *(n.pid for n in below)),
                    severity=L if benign else None,
                    confidence=CL if benign else None,
                    note=f"Server: {kind.name}. {benign}".strip(),
                    tags=(kind.name, cat.value),
                )
            )
    return out
