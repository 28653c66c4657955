"""``sscguard rules``: list every check: YARA rules (built-in and extra) and the checks of
the other areas (components, SQL, logs, processes, baseline, code analysis)."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from typing import Any

from sscguard.commands.common import EXIT_CLEAN, config_from, output_stream
from sscguard.model import AttackRef, Confidence, Severity

NAME = "rules"
HELP = "list every rule and check (YARA rules and the other areas' checks)"
DESCRIPTION = (
    "List rule and check IDs with their area, default severity and confidence, ATT&CK "
    "techniques and titles: the YARA rules (built-in and --rules) and every check of the "
    "component audit, SQL, logs, processes, baseline and code analysis."
)
AREAS = ("yara", "components", "sql", "logs", "processes", "baseline", "code-analysis")

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", action="append", metavar="DIR", help="extra YARA rules")
    parser.add_argument(
        "--area",
        action="append",
        choices=AREAS,
        help="only this area (repeatable; default: all)",
    )


def _rows(args: argparse.Namespace, rules: Sequence[str]) -> list[dict[str, Any]]:
    from sscguard.checks import catalogue
    from sscguard.rules.yara import compile_rules

    areas = set(args.area or AREAS)
    rows: list[dict[str, Any]] = []
    if "yara" in areas:
        ruleset = compile_rules(rules)
        for s in ruleset.skipped:
            log.warning("rule file skipped: %s: %s", s.source, s.reason)
        for r in sorted(ruleset.infos.values(), key=lambda r: (not r.builtin, r.id)):
            rows.append(
                _row(r.id, "yara", r.title, r.severity, r.confidence, r.attack, r.why)
                | {"language": r.language, "source": r.source}
            )
    for info in catalogue():
        if info.area in areas:
            refs = info.attack
            rows.append(
                _row(info.id, info.area, info.title, info.severity, info.confidence, refs, info.why)
            )
    return rows


def _row(
    rule_id: str,
    area: str,
    title: str,
    severity: Severity,
    confidence: Confidence,
    refs: Sequence[AttackRef],
    why: str,
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "area": area,
        "title": title,
        "severity": severity.value,
        "confidence": confidence.value,
        "techniques": sorted({a.technique for a in refs}),
        "data_components": sorted({a.data_component for a in refs if a.data_component}),
        "mitigations": sorted({m for a in refs for m in a.mitigations}),
        "why": why,
    }


def run(args: argparse.Namespace) -> int:
    from sscguard.textutil import sanitize

    cfg = config_from(args, {"rules": tuple(args.rules) if args.rules else None})
    rows = _rows(args, cfg.rules)
    with output_stream(cfg.output) as out:
        if cfg.format == "json":
            out.write(json.dumps(rows, indent=2) + "\n")
        elif cfg.format == "jsonl":
            out.writelines(json.dumps(row) + "\n" for row in rows)
        else:
            for row in rows:
                kind = row.get("language") or row["area"]
                out.write(
                    f"{row['id']:<28} {row['severity']:<8} {row['confidence']:<6} "
                    f"{kind:<13} {','.join(row['techniques']):<19} "
                    f"{sanitize(row['title'], 100)}\n"
                )
    return EXIT_CLEAN
