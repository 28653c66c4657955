"""Component and hardening checks: pure functions from an ``Inventory`` to findings.

Each check is registered with ``@check(...)`` into ``CHECKS`` (an explicit registry; a
duplicate ID is an error at import). ``all_checks()`` imports the check modules by name and
``audit(inventory)`` runs them all. A check yields ``Hit`` values; the registry turns them
into ``Finding`` objects carrying the check's ATT&CK refs, severity, confidence, why and
remediation (a hit may sharpen the severity or the why for its case).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sscguard.checks import CheckInfo
from sscguard.checks import register as register_info
from sscguard.model import (
    AttackRef,
    Confidence,
    Evidence,
    Finding,
    Location,
    Severity,
    make_fingerprint,
    sort_findings,
)
from sscguard.targets import Component, Inventory, Setting
from sscguard.textutil import sanitize

ID_RANGES = (
    ("SSC-004-", 1, 99),
    ("SSC-003-", 100, 149),
    ("SSC-002-", 1, 49),
    ("SSC-005-", 1, 49),
    ("SSC-006-", 1, 49),
    ("SSC-000-", 150, 199),
)


@dataclass(frozen=True, slots=True)
class Hit:
    subject: Location
    evidence: tuple[Evidence, ...]
    discriminator: str = ""
    severity: Severity | None = None
    why: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    info: CheckInfo
    run: Callable[[Inventory], Iterable[Hit]]


CHECKS: dict[str, Check] = {}


def check(
    id: str,
    title: str,
    attack: tuple[AttackRef, ...],
    severity: Severity,
    confidence: Confidence,
    why: str,
    remediation: str,
) -> Callable[[Callable[[Inventory], Iterable[Hit]]], Callable[[Inventory], Iterable[Hit]]]:
    """Register a check function under ``id``."""

    def register(fn: Callable[[Inventory], Iterable[Hit]]) -> Callable[[Inventory], Iterable[Hit]]:
        if id in CHECKS:
            raise ValueError(f"duplicate check ID {id}")
        prefix, number = id[:8], int(id[8:])
        if not any(prefix == p and lo <= number <= hi for p, lo, hi in ID_RANGES):
            raise ValueError(f"check ID {id} is outside the component audit's ranges")
        info = CheckInfo(id, title, attack, severity, confidence, why, remediation)
        CHECKS[id] = Check(register_info(info, "components"), fn)
        return fn

    return register


def all_checks() -> dict[str, Check]:
    """Import every check module (an explicit list) and return the registry."""
    from sscguard.detect.components import esxi, hardening, linux, windows  # noqa: F401

    return CHECKS


def audit(inventory: Inventory) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    for check in all_checks().values():
        c = check.info
        for hit in check.run(inventory):
            findings.append(
                Finding(
                    rule_id=c.id,
                    title=c.title,
                    subject=hit.subject,
                    attack=c.attack,
                    severity=hit.severity or c.severity,
                    confidence=c.confidence,
                    why=hit.why or c.why,
                    remediation=c.remediation,
                    evidence=hit.evidence,
                    tags=("component-audit",),
                    fingerprint=make_fingerprint(c.id, hit.subject, hit.discriminator),
                )
            )
    return sort_findings(findings)


# -- helpers the check modules share ------------------------------------------------------


def component_hit(
    inv: Inventory,
    c: Component,
    detail: str,
    *,
    severity: Severity | None = None,
    why: str | None = None,
) -> Hit:
    """A hit on a component: the subject is its file (or its configuration line)."""
    subject = Location(inv.display(c.path)) if c.path else c.configured_at
    excerpt = sanitize(f"{c.kind} {c.name}" + (f" -> {c.path}" if c.path else ""), 200)
    evidence = [Evidence("configured-at", c.configured_at, excerpt, sanitize(detail, 300))]
    if c.owner_package or c.signature_state:
        evidence.append(
            Evidence(
                "package",
                subject,
                "",
                sanitize(f"owner: {c.owner_package or 'none'}; state: {c.signature_state}", 200),
            )
        )
    return Hit(subject, tuple(evidence), f"{c.server}|{c.kind}|{c.name}", severity, why)


def setting_hit(
    s: Setting, detail: str, *, severity: Severity | None = None, why: str | None = None
) -> Hit:
    excerpt = sanitize(f"{s.key.split('.', 1)[-1]} = {s.value}", 200)
    return Hit(
        s.location,
        (Evidence("setting", s.location, excerpt, sanitize(detail, 300)),),
        f"{s.server}|{s.key}|{s.value}",
        severity,
        why,
    )


def under(path: str, folders: Iterable[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)
