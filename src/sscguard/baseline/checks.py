"""Integrity checks SSC-000-100 .. SSC-000-149: facts about one path in, one finding out.

Pure: no I/O. Every reason found for a path (its drift, its package state, its Authenticode
state, the content rules it matches) goes into ONE finding, so a web shell dropped into a web
root is a single finding that says both "this file is new" and "this file is a web shell". The
finding's ID is the most severe reason's; every reason is listed in its evidence and tags.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sscguard import attack
from sscguard.baseline import diff
from sscguard.baseline.diff import Drift
from sscguard.baseline.locations import ComponentLocation
from sscguard.baseline.records import FILE, FileRecord
from sscguard.checks import CheckInfo, register
from sscguard.model import (
    AttackRef,
    Confidence,
    Evidence,
    Finding,
    Location,
    Severity,
    make_fingerprint,
)

LOW, MEDIUM, HIGH = Severity.LOW, Severity.MEDIUM, Severity.HIGH
CLOW, CMED, CHIGH = Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    title: str
    severity: Severity
    confidence: Confidence
    mitigations: tuple[str, ...]
    why: str
    remediation: str


_REVIEW = (
    "Compare the file with a known-good copy or its package (apt-get install --reinstall PKG; "
    "debsums -c), find who changed it (auditd, shell history, web logs around its mtime), and "
    "once the change is understood approve it with: sscguard baseline accept --reason '...' PATH"
)

CHECKS: dict[str, Check] = {}


def _register(*checks: Check) -> None:
    for check in checks:
        if check.id in CHECKS:
            raise ValueError(f"duplicate check ID {check.id}")
        component = (
            "DS0022 File Creation" if check.id == "SSC-000-100" else "DS0022 File Modification"
        )
        info = CheckInfo(
            check.id, check.title, (attack.ref("T1505", component, *check.mitigations),),
            check.severity, check.confidence, check.why, check.remediation,
        )  # fmt: skip
        register(info, "baseline")
        CHECKS[check.id] = check


_register(
    Check(
        "SSC-000-100",
        "File added to a server component location",
        LOW,
        CHIGH,
        ("M1047",),
        "A file that was not in the baseline appeared where a server loads code, content or "
        "configuration; new scripts and modules there are how web shells and rogue modules "
        "arrive.",
        _REVIEW,
    ),
    Check(
        "SSC-000-101",
        "File removed from a server component location",
        LOW,
        CHIGH,
        ("M1047",),
        "A file recorded in the baseline is gone; attackers delete or swap stock files when "
        "they replace a component or clean up after themselves.",
        _REVIEW,
    ),
    Check(
        "SSC-000-102",
        "File content changed in a server component location",
        MEDIUM,
        CHIGH,
        ("M1047",),
        "The file's SHA-256 differs from the baseline: server code, modules or configuration "
        "changed since the baseline was taken.",
        _REVIEW,
    ),
    Check(
        "SSC-000-103",
        "Permissions changed in a server component location",
        LOW,
        CHIGH,
        ("M1047",),
        "The file's mode changed; a component location made writable for the server's account "
        "or a new setuid bit lets an attacker persist or escalate.",
        "Restore the mode from the package or configuration management (chmod), and find out "
        "who changed it; accept it with sscguard baseline accept if it was intended.",
    ),
    Check(
        "SSC-000-104",
        "Owner changed in a server component location",
        MEDIUM,
        CHIGH,
        ("M1047",),
        "The file's owner or group changed; a component owned by the server's own account can "
        "be rewritten by anyone who controls the server process.",
        "Restore ownership (chown root:root for code and modules), check what else that account "
        "owns, and accept the change with sscguard baseline accept if it was intended.",
    ),
    Check(
        "SSC-000-105",
        "File type changed in a server component location",
        MEDIUM,
        CHIGH,
        ("M1047",),
        "A path changed its type (a file became a symbolic link or a directory): a classic way "
        "to redirect a server to attacker-controlled content.",
        _REVIEW,
    ),
    Check(
        "SSC-000-106",
        "Symbolic link retargeted in a server component location",
        MEDIUM,
        CHIGH,
        ("M1047",),
        "A symbolic link now points somewhere else; enabling a module or site through a link, "
        "or pointing a stock name at another file, changes what the server loads.",
        _REVIEW,
    ),
    Check(
        "SSC-000-107",
        "Content changed while size and timestamps did not",
        HIGH,
        CMED,
        ("M1047",),
        "A re-hash (sample or --full) found new content behind an unchanged size, mtime and "
        "ctime: either the file was rewritten within the clock tick of the baseline, or its "
        "timestamps were forged to hide the change.",
        "Treat the host as compromised until explained: compare the file with a known-good "
        "copy, look for timestomping tools and root access, and run sscguard baseline verify "
        "--full.",
    ),
    Check(
        "SSC-000-110",
        "Package file differs from the digest dpkg recorded",
        MEDIUM,
        CHIGH,
        ("M1047", "M1045"),
        "The file belongs to a Debian package but no longer matches the MD5 its package "
        "installed: it was modified after installation.",
        "Reinstall the package (apt-get install --reinstall PKG) after saving the modified file "
        "for analysis, and find out who changed it.",
    ),
    Check(
        "SSC-000-111",
        "Server module installed by no package",
        HIGH,
        CMED,
        ("M1047", "M1045"),
        "A loadable module, extension or plugin sits in a server's module folder but no "
        "package installed it: rogue Apache/nginx modules, PHP extensions and database UDF "
        "libraries arrive this way.",
        "Check whether the module is loaded (apache2ctl -M, nginx -V, php -m, SELECT * FROM "
        "mysql.func, pg_proc), whether a local build explains it, and remove it if nobody "
        "does; then restart the server.",
    ),
    Check(
        "SSC-000-120",
        "Unsigned Windows binary in a server component location",
        MEDIUM,
        CMED,
        ("M1047", "M1045"),
        "An IIS module, transport agent or service DLL without an Authenticode signature; "
        "stock Microsoft components are signed, implants often are not.",
        "Identify the binary's vendor, compare it with the vendor's release, and remove it from "
        "the server's configuration if nobody can vouch for it.",
    ),
    Check(
        "SSC-000-121",
        "Invalid Authenticode signature on a Windows binary",
        HIGH,
        CHIGH,
        ("M1047", "M1045"),
        "The binary carries an Authenticode signature that does not verify: its content was "
        "changed after signing or the signature was copied from another file.",
        "Treat the binary as malicious until explained: isolate the server, collect the file, "
        "and replace it with the vendor's original.",
    ),
    Check(
        "SSC-000-122",
        "Authenticode signature could not be verified",
        Severity.INFO,
        CLOW,
        ("M1045",),
        "The binary is signed but the signature could not be checked here (for example signify "
        "or its OpenSSL binding is unavailable); the signer it claims is reported unverified.",
        "Verify the signature on a host where signify works or with signtool verify /pa on "
        "Windows.",
    ),
)

_DRIFT_CHECK = {
    diff.ADDED: "SSC-000-100",
    diff.REMOVED: "SSC-000-101",
    diff.CONTENT: "SSC-000-102",
    diff.MODE: "SSC-000-103",
    diff.OWNER: "SSC-000-104",
    diff.TYPE: "SSC-000-105",
    diff.LINK_TARGET: "SSC-000-106",
    diff.CONTENT_SAME_STAT: "SSC-000-107",
}

SCRIPT_EXTENSIONS = frozenset(
    [
        ".php",
        ".php3",
        ".php4",
        ".php5",
        ".php7",
        ".php8",
        ".phtml",
        ".phar",
        ".pht",
        ".inc",
        ".jsp",
        ".jspx",
        ".jspf",
        ".asp",
        ".aspx",
        ".ashx",
        ".asmx",
        ".ascx",
        ".asa",
        ".cer",
        ".cshtml",
        ".cfm",
        ".cgi",
        ".pl",
        ".py",
        ".rb",
        ".sh",
        ".lua",
        ".js",
        ".war",
        ".jar",
        ".class",
        ".so",
        ".dll",
        ".exe",
        ".ko",
        ".htaccess",
        ".user.ini",
    ]
)
_MAGIC = (b"#!", b"<?php", b"<?=", b"<%", b"\x7fELF", b"MZ", b"PK\x03\x04", b"\xca\xfe\xba\xbe")
MODULE_EXTENSIONS = (".so", ".dll", ".jar", ".war", ".ko")
MODULE_KINDS = frozenset(("modules", "sql-plugins", "transport-agents", "termsrv"))


def _ext(path: str) -> str:
    base = os.path.basename(path).lower()
    if base in (".htaccess", ".user.ini"):
        return base
    dot = base.rfind(".")
    return base[dot:] if dot > 0 else ""


def is_code(path: str, head: bytes) -> bool:
    """A script or a binary: what a server could run or load."""
    return _ext(path) in SCRIPT_EXTENSIONS or head.lstrip()[:5].startswith(_MAGIC)


def is_module(path: str, head: bytes) -> bool:
    """A loadable module: a shared object, DLL or Java archive."""
    return _ext(path) in MODULE_EXTENSIONS or head.startswith((b"\x7fELF", b"MZ", b"PK\x03\x04"))


@dataclass(frozen=True, slots=True)
class PathFacts:
    """Everything known about one path in one run."""

    path: str
    old: FileRecord | None
    new: FileRecord | None
    drifts: tuple[Drift, ...] = ()
    location: ComponentLocation | None = None
    head: bytes = b""
    content_hits: tuple[Finding, ...] = ()
    package_modified: bool = False  # owned by a package whose MD5 no longer matches
    unowned_module: bool = False  # a module nobody installed, in a module folder
    signature: str | None = None  # Authenticode state, when it is a reason (new or changed)


@dataclass(frozen=True, slots=True)
class _Reason:
    check: str
    severity: Severity
    confidence: Confidence
    detail: str


def _drift_severity(drift: Drift, facts: PathFacts) -> Severity:
    check = CHECKS[_DRIFT_CHECK[drift.kind]]
    severity = check.severity
    loc_kind = facts.location.kind if facts.location else "extra"
    code = facts.new is not None and facts.new.ftype == FILE and is_code(facts.path, facts.head)
    if drift.kind == diff.ADDED and code and loc_kind in ("webroot", *MODULE_KINDS):
        severity = MEDIUM
    elif drift.kind == diff.CONTENT and (code or loc_kind == "config") and loc_kind != "extra":
        severity = max(severity, MEDIUM)
        if loc_kind in MODULE_KINDS and facts.head.startswith((b"\x7fELF", b"MZ")):
            severity = HIGH
    elif drift.kind == diff.REMOVED and loc_kind in ("config", *MODULE_KINDS):
        severity = MEDIUM
    elif drift.kind == diff.MODE and facts.old is not None and facts.new is not None:
        gained = facts.new.mode & ~facts.old.mode
        if gained & 0o6000 or gained & 0o022:  # setuid/setgid, group/other write
            severity = MEDIUM
    return severity


def _signature_reason(state: str) -> _Reason | None:
    if state == "unsigned":
        c = CHECKS["SSC-000-120"]
        return _Reason(c.id, c.severity, c.confidence, "no Authenticode signature")
    if state.startswith("invalid:"):
        c = CHECKS["SSC-000-121"]
        return _Reason(c.id, c.severity, c.confidence, state)
    if state.startswith("unverifiable:"):
        c = CHECKS["SSC-000-122"]
        return _Reason(c.id, c.severity, c.confidence, state)
    return None


def reasons(facts: PathFacts) -> list[_Reason]:
    out: list[_Reason] = []
    for drift in facts.drifts:
        check = CHECKS[_DRIFT_CHECK[drift.kind]]
        out.append(_Reason(check.id, _drift_severity(drift, facts), check.confidence, drift.detail))
    if facts.package_modified and facts.new is not None:
        check = CHECKS["SSC-000-110"]
        severity = check.severity
        if facts.head.startswith((b"\x7fELF", b"MZ")) or is_code(facts.path, facts.head):
            severity = HIGH
        out.append(
            _Reason(
                check.id,
                severity,
                check.confidence,
                f"package {facts.new.package}: MD5 differs from dpkg's record",
            )
        )
    if facts.unowned_module:
        check = CHECKS["SSC-000-111"]
        out.append(_Reason(check.id, check.severity, check.confidence, "listed by no dpkg package"))
    if facts.signature:
        reason = _signature_reason(facts.signature)
        if reason:
            out.append(reason)
    return out


def _technique(facts: PathFacts, check_id: str) -> AttackRef:
    technique = facts.location.technique if facts.location else "T1505"
    component = "DS0022 File Creation" if check_id == "SSC-000-100" else "DS0022 File Modification"
    return attack.ref(technique, component, *CHECKS[check_id].mitigations)


def finding_for(facts: PathFacts) -> Finding | None:
    """One finding for everything wrong with a path, or ``None`` if nothing is."""
    found = reasons(facts)
    if not found and not facts.content_hits:
        return None
    if not found:  # content hits alone are the content scanner's business, not drift
        return None
    content = sorted(facts.content_hits, key=lambda f: (-f.severity.rank, f.rule_id))
    top = max(found, key=lambda r: (r.severity.rank, r.confidence.rank))
    severity = top.severity
    confidence = top.confidence
    if content:
        severity = max(severity, content[0].severity)
        confidence = max(confidence, content[0].confidence)
    check = CHECKS[top.check]
    subject = Location(facts.path)
    evidence = [
        Evidence(
            kind=f"integrity:{r.check}",
            location=subject,
            detail=f"{CHECKS[r.check].title}: {r.detail}",
        )
        for r in found
    ]
    for hit in content:
        evidence.append(
            Evidence(
                kind=f"content:{hit.rule_id}",
                location=subject,
                detail=f"content rule {hit.rule_id} ({hit.severity.value}): {hit.title}",
            )
        )
        evidence.extend(hit.evidence[:2])
    attack_refs: list[AttackRef] = [_technique(facts, top.check)]
    for hit in content:
        for ref in hit.attack:
            if ref not in attack_refs:
                attack_refs.append(ref)
    title = check.title
    why = check.why
    remediation = check.remediation
    if content:
        title = f"{check.title}, matching {content[0].rule_id}: {content[0].title}"
        why = f"{check.why} Its content matches {content[0].rule_id}: {content[0].why}"
        remediation = content[0].remediation
    ids = list(dict.fromkeys([r.check for r in found] + [h.rule_id for h in content]))
    discriminator = ",".join(sorted(ids))
    return Finding(
        rule_id=check.id,
        title=title,
        subject=subject,
        attack=tuple(attack_refs),
        severity=severity,
        confidence=confidence,
        why=why,
        remediation=remediation,
        evidence=tuple(evidence),
        tags=("integrity", *ids),
        fingerprint=make_fingerprint(check.id, subject, discriminator),
    )
