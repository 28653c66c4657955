"""One namespace for every check ID, across areas.

Each area keeps its own registry (components, SQL, logs, processes, baseline, code
detectors) with the metadata its checks need; every registry also claims its IDs here, so two
areas can never hand out the same ID: a second claim of an ID is an error at import time.
Built-in YARA rule IDs are checked against these claims when the rules load (see
``rules.yara``) and by the test suite.
"""

from __future__ import annotations

import re

_ID = re.compile(r"^SSC-00[0-6]-\d{3}$")
_OWNERS: dict[str, str] = {}


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
