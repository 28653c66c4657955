"""One namespace and one metadata type for every check ID, across areas.

Each area keeps its own registry (components, SQL, logs, processes, baseline, code
detectors) of what its checks *run*; what a check *is* (title, ATT&CK refs, severity,
confidence, why, remediation) is one ``CheckInfo`` registered here with ``register``, so two
areas can never hand out the same ID (a second claim is an error at import time) and
``sscguard rules`` can list every check the same way. Built-in YARA rule IDs are checked
against these claims when the rules load (see ``rules.yara``) and by the test suite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sscguard.model import AttackRef, Confidence, Severity

_ID = re.compile(r"^SSC-00[0-6]-\d{3}$")
_OWNERS: dict[str, str] = {}
_INFOS: dict[str, CheckInfo] = {}


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """What a check is: the metadata every finding it raises carries.

    ``severity`` and ``confidence`` are the defaults; a check may raise or lower them for
    one finding when its evidence says so. ``area`` is filled in by ``register``."""

    id: str
    title: str
    attack: tuple[AttackRef, ...]
    severity: Severity
    confidence: Confidence
    why: str
    remediation: str
    area: str = field(default="", kw_only=True)


def register(info: CheckInfo, area: str) -> CheckInfo:
    """Claim ``info.id`` for ``area`` and record its metadata; returns it with ``area`` set."""
    claim(info.id, area)
    if info.area != area:
        info = CheckInfo(
            info.id, info.title, info.attack, info.severity, info.confidence, info.why,
            info.remediation, area=area,
        )  # fmt: skip
    _INFOS[info.id] = info
    return info


def catalogue() -> list[CheckInfo]:
    """Every registered check of every area, by ID (imports the registries first)."""
    load_all()
    return sorted(_INFOS.values(), key=lambda i: i.id)


def claim(check_id: str, area: str) -> None:
    """Reserve ``check_id`` for ``area``; raise ``ValueError`` if it is malformed or taken."""
    if check_id.startswith("SSC-") and not _ID.match(check_id):
        raise ValueError(f"check ID {check_id!r} is not of the form SSC-00N-NNN")
    if not check_id.startswith("SSC-") and not check_id.isupper():  # templates like SIGMA
        raise ValueError(f"check ID {check_id!r} is neither SSC-00N-NNN nor a template name")
    owner = _OWNERS.get(check_id)
    if owner is not None:
        raise ValueError(f"duplicate check ID {check_id}: claimed by {owner} and by {area}")
    _OWNERS[check_id] = area


def owners() -> dict[str, str]:
    """Every claimed ID and the area that owns it (a copy)."""
    return dict(_OWNERS)


def load_all() -> dict[str, str]:
    """Import every area's registry (each claims its IDs on import) and return the claims."""
    import importlib

    for module in (
        "sscguard.detect.components",
        "sscguard.detect.components.linux",
        "sscguard.detect.components.windows",
        "sscguard.detect.components.esxi",
        "sscguard.detect.components.hardening",
        "sscguard.sql.audit",
        "sscguard.detect.logs.checks",
        "sscguard.detect.process.checks",
        "sscguard.baseline.checks",
        "sscguard.detect.webshell.detectors",
    ):
        importlib.import_module(module)
    return owners()
