"""Turn YARA-X rule hits on one file into explained findings."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sscguard.model import Evidence, Finding, Location, make_fingerprint
from sscguard.rules.yara import RuleHit
from sscguard.textutil import excerpt_at, line_of

MAX_EVIDENCE = 4


def file_evidence(path: str, data: bytes, size: int, mtime: str) -> Evidence:
    """Identify the flagged file: its hash, size and modification time (for the timeline)."""
    digest = hashlib.sha256(data).hexdigest()
    what = "sha256" if len(data) == size else "sha256 of the scanned head and tail"
    return Evidence(
        kind="file",
        location=Location(path),
        detail=f"{what} {digest}, {size} bytes, modified {mtime or 'unknown'}",
        time=mtime,
    )


def findings_for(
    path: str,
    data: bytes,
    hits: Sequence[RuleHit],
    truncated: bool,
    *,
    size: int | None = None,
    mtime: str = "",
) -> list[Finding]:
    """One finding per matching rule; evidence is the first match of each distinct pattern
    and, last, the file's identity (hash, size, modification time)."""
    out: list[Finding] = []
    if not hits:
        return out
    identity = file_evidence(path, data, len(data) if size is None else size, mtime)
    for hit in hits:
        rule = hit.rule
        evidence: list[Evidence] = []
        seen: set[str] = set()
        for pattern in sorted(hit.patterns, key=lambda p: p.offset):
            if pattern.identifier in seen:
                continue
            seen.add(pattern.identifier)
            evidence.append(
                Evidence(
                    kind="yara-match",
                    location=Location(
                        path, line=line_of(data, pattern.offset), offset=pattern.offset
                    ),
                    excerpt=excerpt_at(data, pattern.offset, pattern.length),
                    detail=f"{rule.namespace}.{rule.identifier} string {pattern.identifier}",
                )
            )
            if len(evidence) >= MAX_EVIDENCE:
                break
        if not evidence:
            evidence.append(
                Evidence(
                    kind="yara-match",
                    location=Location(path),
                    detail=f"{rule.namespace}.{rule.identifier}: condition met without strings",
                )
            )
        evidence.append(identity)
        if truncated:
            evidence.append(
                Evidence(
                    kind="note",
                    location=Location(path),
                    detail="file larger than max_file_size: only its head and tail were scanned",
                )
            )
        subject = Location(path)
        out.append(
            Finding(
                rule_id=rule.id,
                title=rule.title,
                subject=subject,
                attack=rule.attack,
                severity=rule.severity,
                confidence=rule.confidence,
                why=rule.why,
                remediation=rule.remediation,
                evidence=tuple(evidence),
                tags=("yara", rule.language) if rule.builtin else ("yara", "user-rule"),
                fingerprint=make_fingerprint(rule.id, subject),
            )
        )
    return out
