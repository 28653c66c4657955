"""``run_audit(root)``: discovery plus the component checks, as one ``ResultDocument``."""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING

from sscguard import __version__
from sscguard.extract.files import display_path
from sscguard.model import ResultDocument

if TYPE_CHECKING:
    from sscguard.targets import Inventory


def run_audit(root: str, command: str = "sscguard audit") -> ResultDocument:
    from sscguard.targets import discover

    return audit_document(discover(root), root, command)


def audit_document(inv: Inventory, root: str, command: str = "audit") -> ResultDocument:
    """The component checks over an inventory already discovered."""
    from sscguard.detect.components import all_checks, audit
    from sscguard.scan import now_iso

    started = now_iso()
    findings = audit(inv)
    checks = all_checks()
    return ResultDocument(
        tool_version=__version__,
        rules_version=f"components-{__version__}-{len(checks)}",
        command=command,
        started=started,
        finished=now_iso(),
        host=socket.gethostname(),
        targets=(display_path(os.path.abspath(root)),),
        findings=findings,
        skipped=tuple(sorted(inv.skipped, key=lambda s: (s.source, s.code.value))),
        stats={
            "servers": len(inv.servers),
            "components": len(inv.components),
            "settings": len(inv.settings),
            "checks": len(checks),
            "rules": len(checks),
        },
    )
