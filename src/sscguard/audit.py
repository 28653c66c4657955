"""``run_audit(root)``: discovery plus the component checks, as one ``ResultDocument``."""

from __future__ import annotations

import os
import socket

from sscguard import __version__
from sscguard.extract.files import display_path
from sscguard.model import ResultDocument


def run_audit(root: str, command: str = "sscguard audit") -> ResultDocument:
    from sscguard.detect.components import all_checks, audit
    from sscguard.scan import now_iso
    from sscguard.targets import discover

    started = now_iso()
    inv = discover(root)
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
