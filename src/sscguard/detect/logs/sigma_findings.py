"""Turn Sigma hits into findings: one per rule, with the first matching events as evidence."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from sscguard.attack import TECHNIQUES, ref
from sscguard.detect.logs import checks
from sscguard.detect.logs.sigma import SigmaHit, SigmaRule
from sscguard.model import AttackRef, Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import sanitize

_LEVELS = {
    "informational": Severity.INFO,
    "low": Severity.LOW,
    "medium": Severity.MEDIUM,
    "high": Severity.HIGH,
    "critical": Severity.CRITICAL,
}
_COMPONENTS = {
    "webserver": checks.DS_APP,
    "process_creation": checks.DS_PROC,
    "file_event": checks.DS_FILE,
    "registry_set": checks.DS_REG,
    "registry_event": checks.DS_REG,
    "network_connection": "DS0029 Network Connection Creation",
}


def _attack(rule: SigmaRule) -> tuple[AttackRef, ...]:
    component = _COMPONENTS.get(rule.category, checks.DS_APP)
    techniques = []
    for tag in rule.tags:
        m = re.fullmatch(r"attack\.(t\d{4}(?:\.\d{3})?)", tag.strip().lower())
        if m and m.group(1).upper() in TECHNIQUES:
            techniques.append(m.group(1).upper())
    return tuple(ref(t, component, "M1047") for t in (techniques or ["T1505"]))


def sigma_findings(
    rules: Sequence[SigmaRule], hits: Sequence[SigmaHit], locate: Callable[[int], Location]
) -> list[Finding]:
    by_rule: dict[str, list[SigmaHit]] = {}
    for hit in hits:
        by_rule.setdefault(hit.rule, []).append(hit)
    index = {r.id: r for r in rules}
    out = []
    for rule_id, rule_hits in by_rule.items():
        rule = index.get(rule_id)
        if rule is None:
            continue
        locations = [
            locate(h.seq) if h.seq >= 0 else Location(h.path, line=h.line) for h in rule_hits[:5]
        ]
        evidence = tuple(
            Evidence("event", loc, sanitize(h.excerpt, 200), f"matched Sigma rule {rule.title}")
            for h, loc in zip(rule_hits[:5], locations, strict=True)
        )
        check = checks.SIGMA_HIT
        finding = checks.finding(
            check,
            locations[0],
            evidence,
            rule_id=sanitize(f"SIGMA:{rule.id}", 120),
            discriminator=rule.id,
            title=sanitize(f"Sigma: {rule.title} ({len(rule_hits)} event(s))", 200),
            severity=_LEVELS.get(rule.level, Severity.MEDIUM),
            confidence=Confidence.MEDIUM,
            why=sanitize(
                (rule.description or f"The Sigma rule '{rule.title}' matched.")
                + f" Rule file: {rule.source}.",
                400,
            ),
        )
        out.append(_with_attack(finding, _attack(rule)))
    return out


def _with_attack(finding: Finding, attack: tuple[AttackRef, ...]) -> Finding:
    from dataclasses import replace

    return replace(finding, attack=attack)
