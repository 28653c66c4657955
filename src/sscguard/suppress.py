"""Suppressions: accepted findings, each with a reason and an optional expiry.

A suppression matches by fingerprint, or by rule ID plus an optional glob on the finding's
subject. Suppressed findings leave the findings list (and so the exit code) but are kept in
the document's ``suppressed`` list with the reason, so a report always says what was muted.
Expired suppressions no longer apply and are reported.

In TOML (``sscguard.toml`` given with ``--config``, or a file given with ``--suppress``)::

    [[suppress]]
    rule = "SSC-003-031"
    path = "/var/www/tools/adminer.php"
    reason = "DB admin tool approved by change CHG-1234"
    expires = 2027-06-30

    [[suppress]]
    fingerprint = "2f6c0d3b8e1a4c7d9f0a1b2c3d4e5f60"
    reason = "test fixture shipped with the application"
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sscguard.errors import ConfigError
from sscguard.model import Finding, ResultDocument, Suppressed

_KEYS = {"rule", "fingerprint", "path", "reason", "expires"}
_FINGERPRINT = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True, slots=True)
class Suppression:
    reason: str
    rule: str | None = None
    fingerprint: str | None = None
    path: str | None = None
    expires: dt.date | None = None
    source: str = ""

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def matches(self, finding: Finding) -> bool:
        if self.fingerprint is not None and finding.fingerprint != self.fingerprint:
            return False
        if self.rule is not None and finding.rule_id != self.rule:
            return False
        return self.path is None or fnmatch.fnmatchcase(finding.subject.path, self.path)


def parse_entries(entries: object, where: str) -> tuple[Suppression, ...]:
    """Validate ``[[suppress]]`` tables; every problem names the file and entry number."""
    if not isinstance(entries, list):
        raise ConfigError(f"{where}: [[suppress]] must be an array of tables")
    out = []
    for index, raw in enumerate(entries, 1):
        here = f"{where}: suppress #{index}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{here}: must be a table")
        unknown = set(raw) - _KEYS
        if unknown:
            raise ConfigError(f"{here}: unknown key(s) {', '.join(sorted(unknown))}")
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{here}: a reason is mandatory")
        rule, fingerprint, path = raw.get("rule"), raw.get("fingerprint"), raw.get("path")
        for key, value in (("rule", rule), ("fingerprint", fingerprint), ("path", path)):
            if value is not None and not isinstance(value, str):
                raise ConfigError(f"{here}: {key} must be a string")
        if rule is None and fingerprint is None:
            raise ConfigError(f"{here}: give a fingerprint, or a rule (with an optional path)")
        if fingerprint is not None and not _FINGERPRINT.match(fingerprint):
            raise ConfigError(f"{here}: fingerprint must be 32 lower-case hex digits")
        expires = raw.get("expires")
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise ConfigError(f"{here}: expires must be a date (YYYY-MM-DD)") from None
        elif isinstance(expires, dt.datetime):
            expires = expires.date()
        elif expires is not None and not isinstance(expires, dt.date):
            raise ConfigError(f"{here}: expires must be a date (YYYY-MM-DD)")
        out.append(Suppression(reason.strip(), rule, fingerprint, path, expires, here))
    return tuple(out)


def load_file(path: str) -> tuple[Suppression, ...]:
    """A file holding only ``[[suppress]]`` entries (``--suppress FILE``)."""
    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read suppression file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    unknown = set(data) - {"suppress"}
    if unknown:
        raise ConfigError(f"{path}: only [[suppress]] entries belong here, not {sorted(unknown)}")
    return parse_entries(data.get("suppress", []), path)


def apply(
    doc: ResultDocument, suppressions: Sequence[Suppression], today: dt.date | None = None
) -> tuple[ResultDocument, list[Suppression]]:
    """Move matching findings to ``doc.suppressed``; return the document and expired entries."""
    if not suppressions:
        return doc, []
    today = today or dt.datetime.now(dt.UTC).date()
    active = [s for s in suppressions if not s.expired(today)]
    expired = [s for s in suppressions if s.expired(today)]
    kept: list[Finding] = []
    muted: list[Suppressed] = list(doc.suppressed)
    for finding in doc.findings:
        rule = next((s for s in active if s.matches(finding)), None)
        if rule is None:
            kept.append(finding)
        else:
            muted.append(
                Suppressed(
                    fingerprint=finding.fingerprint,
                    rule_id=finding.rule_id,
                    subject=finding.subject.path,
                    severity=finding.severity,
                    reason=rule.reason,
                    expires=rule.expires.isoformat() if rule.expires else "",
                )
            )
    stats: dict[str, int | float] = dict(doc.stats)
    stats["suppressed"] = len(muted)
    if expired:
        stats["suppressions_expired"] = len(expired)
    updated = replace(doc, findings=tuple(kept), suppressed=tuple(muted), stats=stats)
    return updated, expired
