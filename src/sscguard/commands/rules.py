"""``sscguard rules``: list the built-in rules and any extra ones."""

from __future__ import annotations

import argparse
import json
import logging

from sscguard.commands.common import EXIT_CLEAN, config_from, output_stream

NAME = "rules"
HELP = "list the built-in rules (and any extra ones)"
DESCRIPTION = "List rule IDs, severities, ATT&CK techniques and titles."

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", metavar="DIR", help="extra YARA rules")


def run(args: argparse.Namespace) -> int:
    from sscguard.rules.yara import compile_rules
    from sscguard.textutil import sanitize

    cfg = config_from(args, {"rules": tuple(args.rules) if args.rules else None})
    ruleset = compile_rules(cfg.rules)
    infos = sorted(ruleset.infos.values(), key=lambda r: (not r.builtin, r.id))
    with output_stream(cfg.output) as out:
        if cfg.format in ("json", "jsonl"):
            rows = [
                {
                    "id": r.id,
                    "title": r.title,
                    "severity": r.severity.value,
                    "confidence": r.confidence.value,
                    "language": r.language,
                    "techniques": [a.technique for a in r.attack],
                    "mitigations": sorted({m for a in r.attack for m in a.mitigations}),
                    "why": r.why,
                    "source": r.source,
                }
                for r in infos
            ]
            if cfg.format == "json":
                out.write(json.dumps(rows, indent=2) + "\n")
            else:
                out.writelines(json.dumps(row) + "\n" for row in rows)
        else:
            for r in infos:
                techniques = ",".join(a.technique for a in r.attack)
                out.write(
                    f"{r.id:<28} {r.severity.value:<8} {r.confidence.value:<6} {r.language:<5} "
                    f"{techniques:<10} {sanitize(r.title, 100)}\n"
                )
    for s in ruleset.skipped:
        log.warning("rule file skipped: %s: %s", s.source, s.reason)
    return EXIT_CLEAN
