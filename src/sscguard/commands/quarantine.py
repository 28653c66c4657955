"""``sscguard quarantine`` and ``sscguard restore``: move a flagged file into a vault and back."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from sscguard.commands.common import EXIT_CLEAN, UsageError, config_from, output_stream

NAME = "quarantine"
HELP = "move files (or the files of findings) into a vault, with their metadata"
DESCRIPTION = (
    "Move each TARGET into the vault: a file path, or a finding fingerprint looked up in a saved "
    "result (--from RESULT.json). Nothing is deleted; `sscguard restore ID` puts it back."
)
if TYPE_CHECKING:
    from sscguard.quarantine import VaultEntry

_FINGERPRINT = re.compile(r"^[0-9a-f]{32}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sscguard.quarantine import DEFAULT_VAULT

    parser.add_argument("targets", nargs="*", metavar="FINDING-ID|PATH")
    parser.add_argument("--vault", default=DEFAULT_VAULT, help=f"default {DEFAULT_VAULT}")
    parser.add_argument("--from", dest="result", metavar="RESULT.json",
                        help="saved result in which to look up finding fingerprints")  # fmt: skip
    parser.add_argument("--reason", default="", help="why (kept in the vault's metadata)")
    parser.add_argument("--list", action="store_true", help="list the vault's entries")


def _paths_for(targets: list[str], result: str | None) -> list[tuple[str, str]]:
    """(path, finding fingerprint or "") for each target."""
    wanted = [t for t in targets if _FINGERPRINT.match(t)]
    subjects: dict[str, str] = {}
    if wanted:
        if not result:
            raise UsageError("finding IDs need --from RESULT.json to find their files")
        from sscguard.errors import ReportError
        from sscguard.model import ResultDocument

        try:
            with open(result, encoding="utf-8") as handle:
                doc = ResultDocument.from_dict(json.load(handle))
        except (OSError, ValueError) as exc:
            raise ReportError(f"cannot load {result}: {exc}") from None
        subjects = {f.fingerprint: f.subject.path for f in doc.findings}
    out = []
    for target in targets:
        if _FINGERPRINT.match(target):
            if target not in subjects:
                raise UsageError(f"no finding {target} in {result}")
            out.append((subjects[target], target))
        else:
            out.append((target, ""))
    return out


def run(args: argparse.Namespace) -> int:
    from sscguard import quarantine

    cfg = config_from(args)
    if args.list:
        entries = quarantine.list_entries(args.vault)
    else:
        if not args.targets:
            raise UsageError("give at least one FINDING-ID or PATH (or --list)")
        entries = [
            quarantine.quarantine(path, args.vault, args.reason, finding)
            for path, finding in _paths_for(args.targets, args.result)
        ]
    _print(entries, cfg.format, cfg.output, "quarantined" if not args.list else "entry")
    return EXIT_CLEAN


def _print(entries: Sequence[VaultEntry], fmt: str, output: str | None, verb: str) -> None:
    from sscguard.textutil import sanitize

    with output_stream(output) as out:
        if fmt in ("json", "jsonl"):
            rows = [asdict(e) for e in entries]
            out.write(json.dumps(rows, indent=2 if fmt == "json" else None) + "\n")
            return
        for e in entries:
            state = f" restored {e.restored_at}" if e.restored_at else ""
            path = sanitize(e.original_path, 300)
            out.write(f"{verb} {e.id}: {path} sha256 {e.sha256}{state}\n")
