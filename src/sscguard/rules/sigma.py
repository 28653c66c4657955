"""Load SigmaHQ-format rules from files and folders (YAML, safe loader, bounded size).

Each rule file that cannot be used becomes a ``Skipped`` with the file and the reason; the
run goes on with the others. No rules are bundled: ``--sigma DIR`` names the user's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sscguard.detect.logs.sigma import SigmaError, SigmaRule, parse_rule
from sscguard.extract.files import display_path
from sscguard.model import SkipCode, Skipped

MAX_RULE_FILE = 1 << 20


@dataclass(frozen=True, slots=True)
class SigmaSet:
    rules: tuple[SigmaRule, ...]
    skipped: tuple[Skipped, ...]


def _files(paths: tuple[str, ...], skipped: list[Skipped]) -> list[str]:
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.endswith((".yml", ".yaml")):
                        out.append(os.path.join(dirpath, name))
        elif os.path.isfile(path):
            out.append(path)
        else:
            skipped.append(
                Skipped(display_path(path), SkipCode.NOT_FOUND, "no such Sigma rule path")
            )
    return out


def load_sigma(paths: tuple[str, ...]) -> SigmaSet:
    import yaml

    rules: list[SigmaRule] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for path in _files(paths, skipped):
        shown = display_path(path)
        try:
            if os.path.getsize(path) > MAX_RULE_FILE:
                raise SigmaError("rule file over 1 MiB")
            with open(path, encoding="utf-8") as handle:
                docs = [d for d in yaml.safe_load_all(handle) if d is not None]
            if not docs:
                raise SigmaError("empty file")
            for index, doc in enumerate(docs):
                where = shown if len(docs) == 1 else f"{shown}#{index + 1}"
                if isinstance(doc, dict) and doc.get("action"):
                    raise SigmaError(
                        f"rule collections (action: {doc['action']}) are not supported"
                    )
                rule = parse_rule(doc, where)
                if rule.id in seen:
                    raise SigmaError(f"duplicate rule id {rule.id}")
                seen.add(rule.id)
                rules.append(rule)
        except SigmaError as exc:
            skipped.append(Skipped(shown, SkipCode.UNSUPPORTED, f"Sigma rule not loaded: {exc}"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f":{mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            skipped.append(
                Skipped(
                    f"{shown}{at}",
                    SkipCode.UNSUPPORTED,
                    f"Sigma rule not loaded: YAML error: {problem}",
                )
            )
        except (OSError, UnicodeDecodeError) as exc:
            skipped.append(Skipped(shown, SkipCode.UNREADABLE, f"cannot read rule: {exc}"))
    return SigmaSet(tuple(rules), tuple(skipped))
