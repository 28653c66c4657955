"""Frozen, typed data that flows through sscguard.

Everything the detectors produce and the reporters consume is defined here. The module has no
I/O. ``ResultDocument.to_dict`` / ``ResultDocument.from_dict`` are the canonical JSON form (its
JSON Schema lives in ``data/schema/result.schema.json``); every reporter renders from that
document and a saved document can be loaded back and rendered again.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"


class _Ranked(enum.Enum):
    """An enum whose members are ordered by declaration."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank >= other.rank

    @classmethod
    def parse(cls, text: str) -> Any:
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValueError(f"{text!r} is not one of: {names}") from None


class Severity(_Ranked):
    """How bad it is if the finding is true."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Confidence(_Ranked):
    """How sure the detector is that the finding is true."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class AttackRef:
    """An ATT&CK technique with the data component that saw it and the mitigations that apply."""

    technique: str
    data_component: str
    mitigations: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[type[AttackRef], tuple[Any, ...]]:
        # positional rebuild: much cheaper than the dataclass field-by-field state (worker IPC)
        return (
            AttackRef,
            (
                self.technique,
                self.data_component,
                self.mitigations,
            ),
        )


@dataclass(frozen=True, slots=True)
class Location:
    """Where evidence lives: a file path (with optional line, column, byte offset) or a URI."""

    path: str
    line: int | None = None
    column: int | None = None
    offset: int | None = None

    def __reduce__(self) -> tuple[type[Location], tuple[Any, ...]]:
        # positional rebuild: much cheaper than the dataclass field-by-field state (worker IPC)
        return (
            Location,
            (
                self.path,
                self.line,
                self.column,
                self.offset,
            ),
        )

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        elif self.offset is not None:
            text += f"@{self.offset}"
        return text


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence: what kind, where, a short sanitized excerpt and a detail line.

    ``time`` (ISO 8601 UTC, optional) is when the evidence happened: a file's modification
    time, a log line's timestamp, a process's start. Reports draw their timeline from it.
    """

    kind: str
    location: Location
    excerpt: str = ""
    detail: str = ""
    time: str = ""

    def __reduce__(self) -> tuple[type[Evidence], tuple[Any, ...]]:
        # positional rebuild: much cheaper than the dataclass field-by-field state (worker IPC)
        return (
            Evidence,
            (
                self.kind,
                self.location,
                self.excerpt,
                self.detail,
                self.time,
            ),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """A detection. ``why`` is one plain sentence; ``fingerprint`` is stable across runs."""

    rule_id: str
    title: str
    subject: Location
    attack: tuple[AttackRef, ...]
    severity: Severity
    confidence: Confidence
    why: str
    remediation: str
    evidence: tuple[Evidence, ...] = ()
    tags: tuple[str, ...] = ()
    fingerprint: str = ""

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        # positional rebuild: much cheaper than the dataclass field-by-field state (worker IPC)
        return (
            Finding,
            (
                self.rule_id,
                self.title,
                self.subject,
                self.attack,
                self.severity,
                self.confidence,
                self.why,
                self.remediation,
                self.evidence,
                self.tags,
                self.fingerprint,
            ),
        )

    def __post_init__(self) -> None:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", make_fingerprint(self.rule_id, self.subject))


def make_fingerprint(rule_id: str, subject: Location, discriminator: str = "") -> str:
    """A stable identifier for a finding: the rule, the subject and an optional discriminator.

    Line numbers are left out on purpose, so that editing a file above the match does not turn
    a suppressed finding into a new one.
    """
    digest = hashlib.sha256()
    for part in (rule_id, subject.path, discriminator):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


class SkipCode(enum.Enum):
    """Why something was not (fully) analysed."""

    SYMLINK = "symlink"  # not followed; its target is analysed at its own path if inside a root
    SYMLINK_OUTSIDE_ROOT = "symlink-outside-root"
    SPECIAL_FILE = "special-file"  # FIFO, socket, device
    TOO_LARGE = "too-large"  # only the head and tail were analysed
    UNREADABLE = "unreadable"  # permission denied or I/O error
    CHANGED = "changed-during-scan"  # replaced between listing and opening
    LOOP = "loop"  # directory already visited (bind mount or hard-linked dir)
    TOO_DEEP = "too-deep"
    NOT_FOUND = "not-found"
    EXCLUDED = "excluded"
    OTHER_DEVICE = "other-device"
    ERROR = "error"  # analyser failed on this input
    UNSUPPORTED = "unsupported"
    NOT_RUN = "not-run"  # a part of a hunt that did not apply (no baseline yet, not live, ...)
    VANISHED = "vanished"  # a live object (process) went away while it was inspected
    #: a code analyser stopped at a time/size bound: every YARA rule still ran on the whole
    #: file, the dataflow analysis did not finish (not "incomplete" for the exit code)
    BOUNDED = "analysis-bounded"


#: Skip codes that mean part of the input could not be analysed (exit code 3).
INCOMPLETE_CODES = frozenset(
    {
        SkipCode.TOO_LARGE,
        SkipCode.UNREADABLE,
        SkipCode.CHANGED,
        SkipCode.TOO_DEEP,
        SkipCode.NOT_FOUND,
        SkipCode.ERROR,
    }
)


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something not analysed (or only partly analysed), and why."""

    source: str
    code: SkipCode
    reason: str

    def __reduce__(self) -> tuple[type[Skipped], tuple[Any, ...]]:
        # positional rebuild: much cheaper than the dataclass field-by-field state (worker IPC)
        return (
            Skipped,
            (
                self.source,
                self.code,
                self.reason,
            ),
        )

    @property
    def incomplete(self) -> bool:
        return self.code in INCOMPLETE_CODES


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding muted by a suppression: still counted and shown, with the reason."""

    fingerprint: str
    rule_id: str
    subject: str
    severity: Severity
    reason: str
    expires: str = ""


@dataclass(frozen=True, slots=True)
class ResultDocument:
    """The one contract between analysis and output."""

    tool_version: str
    rules_version: str
    command: str
    started: str
    finished: str
    host: str
    targets: tuple[str, ...]
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...]
    stats: Mapping[str, int | float] = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION
    suppressed: tuple[Suppressed, ...] = ()

    @property
    def incomplete(self) -> bool:
        return any(s.incomplete for s in self.skipped)

    def at_or_above(self, threshold: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity >= threshold)

    # -- canonical JSON form -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "tool": {"name": "sscguard", "version": self.tool_version},
            "rules_version": self.rules_version,
            "command": self.command,
            "started": self.started,
            "finished": self.finished,
            "host": self.host,
            "targets": list(self.targets),
            "findings": [finding_to_dict(f) for f in self.findings],
            "skipped": [
                {"source": s.source, "code": s.code.value, "reason": s.reason} for s in self.skipped
            ],
            "stats": dict(self.stats),
            "suppressed": [
                {
                    "fingerprint": s.fingerprint,
                    "rule_id": s.rule_id,
                    "subject": s.subject,
                    "severity": s.severity.value,
                    "reason": s.reason,
                    "expires": s.expires,
                }
                for s in self.suppressed
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResultDocument:
        """Load a document written by ``to_dict``; raises ``ValueError`` on a malformed one."""
        try:
            major = str(data["schema_version"]).split(".")[0]
            if major != SCHEMA_VERSION.split(".")[0]:
                raise ValueError(f"unsupported schema_version {data['schema_version']!r}")
            return cls(
                schema_version=str(data["schema_version"]),
                tool_version=str(data["tool"]["version"]),
                rules_version=str(data["rules_version"]),
                command=str(data.get("command", "")),
                started=str(data["started"]),
                finished=str(data["finished"]),
                host=str(data["host"]),
                targets=tuple(str(t) for t in data["targets"]),
                findings=tuple(finding_from_dict(f) for f in data["findings"]),
                skipped=tuple(
                    Skipped(str(s["source"]), SkipCode(s["code"]), str(s["reason"]))
                    for s in data["skipped"]
                ),
                stats={str(k): v for k, v in data.get("stats", {}).items()},
                suppressed=tuple(
                    Suppressed(
                        str(s["fingerprint"]),
                        str(s["rule_id"]),
                        str(s["subject"]),
                        Severity.parse(str(s["severity"])),
                        str(s["reason"]),
                        str(s.get("expires", "")),
                    )
                    for s in data.get("suppressed", ())
                ),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not an sscguard result document: missing or bad {exc}") from None


def _location_to_dict(loc: Location) -> dict[str, Any]:
    out: dict[str, Any] = {"path": loc.path}
    if loc.line is not None:
        out["line"] = loc.line
    if loc.column is not None:
        out["column"] = loc.column
    if loc.offset is not None:
        out["offset"] = loc.offset
    return out


def _location_from_dict(data: Mapping[str, Any]) -> Location:
    def opt(key: str) -> int | None:
        value = data.get(key)
        return None if value is None else int(value)

    return Location(str(data["path"]), opt("line"), opt("column"), opt("offset"))


def _evidence_to_dict(e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": e.kind,
        "location": _location_to_dict(e.location),
        "excerpt": e.excerpt,
        "detail": e.detail,
    }
    if e.time:
        out["time"] = e.time
    return out


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "title": f.title,
        "subject": _location_to_dict(f.subject),
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "attack": [
            {
                "technique": a.technique,
                "data_component": a.data_component,
                "mitigations": list(a.mitigations),
            }
            for a in f.attack
        ],
        "why": f.why,
        "remediation": f.remediation,
        "evidence": [_evidence_to_dict(e) for e in f.evidence],
        "tags": list(f.tags),
        "fingerprint": f.fingerprint,
    }


def finding_from_dict(data: Mapping[str, Any]) -> Finding:
    return Finding(
        rule_id=str(data["rule_id"]),
        title=str(data["title"]),
        subject=_location_from_dict(data["subject"]),
        attack=tuple(
            AttackRef(
                str(a["technique"]),
                str(a["data_component"]),
                tuple(str(m) for m in a.get("mitigations", ())),
            )
            for a in data["attack"]
        ),
        severity=Severity.parse(str(data["severity"])),
        confidence=Confidence.parse(str(data["confidence"])),
        why=str(data["why"]),
        remediation=str(data["remediation"]),
        evidence=tuple(
            Evidence(
                str(e["kind"]),
                _location_from_dict(e["location"]),
                str(e.get("excerpt", "")),
                str(e.get("detail", "")),
                str(e.get("time", "")),
            )
            for e in data.get("evidence", ())
        ),
        tags=tuple(str(t) for t in data.get("tags", ())),
        fingerprint=str(data.get("fingerprint", "")),
    )


def sort_findings(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Most severe first, then most confident, then by subject and rule for stable output."""
    return tuple(
        sorted(
            findings,
            key=lambda f: (-f.severity.rank, -f.confidence.rank, f.subject.path, f.rule_id),
        )
    )
