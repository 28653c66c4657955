"""Live-host behaviour checks over a process snapshot (pure: facts in, findings out).

The checks, by module (all registered in ``checks.CHECKS``):

* ``lineage``: shells, interpreters, recon and download tools below web servers (SSC-003-300..303)
  and database servers (SSC-001-300..303), with the whole lineage as evidence;
* ``network``: sockets of what servers started, outbound connections of web workers and
  listeners opened inside workers (SSC-003-304..307, SSC-001-304/305/307);
* ``libraries``: LD_PRELOAD, code mapped from outside system folders or owned by no package,
  deleted files still mapped, memfd code (SSC-004-300..304);
* ``firstseen``: pairs and peers a ``--baseline`` never saw (SSC-000-300..302).
"""

from __future__ import annotations

from sscguard.detect.process.checks import CHECKS, Check
from sscguard.detect.process.facts import Known, ProcessFacts
from sscguard.detect.process.firstseen import Observations, first_seen_findings, observe
from sscguard.detect.process.libraries import library_findings
from sscguard.detect.process.lineage import lineage_findings
from sscguard.detect.process.network import network_findings
from sscguard.detect.process.servers import Classifier, Role, ServerKind, ServerMap, classify
from sscguard.model import Finding

__all__ = [
    "CHECKS",
    "Check",
    "Classifier",
    "Known",
    "Observations",
    "ProcessFacts",
    "Role",
    "ServerKind",
    "ServerMap",
    "classify",
    "detect",
    "observe",
]

DETECTORS = (lineage_findings, network_findings, library_findings)


def detect(facts: ProcessFacts, observations: Observations | None = None) -> list[Finding]:
    """Every finding for one snapshot; duplicates (same fingerprint) are dropped."""
    findings: list[Finding] = []
    for detector in DETECTORS:
        findings.extend(detector(facts))
    findings.extend(first_seen_findings(facts, observations))
    unique: dict[str, Finding] = {}
    for item in findings:
        unique.setdefault(item.fingerprint, item)
    return list(unique.values())
