"""Elastic Common Schema (ECS 8.x) JSON Lines: one alert document per finding."""

from __future__ import annotations

import json
from typing import Any, TextIO

from sscguard import attack
from sscguard.model import Finding, ResultDocument, Severity, finding_to_dict
from sscguard.report import RenderOptions

ECS_VERSION = "8.11.0"
_SEVERITY = {
    Severity.INFO: 10,
    Severity.LOW: 21,
    Severity.MEDIUM: 47,
    Severity.HIGH: 73,
    Severity.CRITICAL: 99,
}


def _threat(finding: Finding) -> dict[str, Any]:
    techniques: dict[str, str] = {}
    subtechniques: dict[str, str] = {}
    for ref in finding.attack:
        parent, _, sub = ref.technique.partition(".")
        entry = attack.TECHNIQUES.get(parent) or attack.RELATED_TECHNIQUES.get(parent)
        techniques[parent] = entry.name if entry else parent
        if sub:
            sub_entry = attack.TECHNIQUES.get(ref.technique)
            subtechniques[ref.technique] = sub_entry.name if sub_entry else ref.technique
    tech_ids = list(techniques)
    threat: dict[str, Any] = {
        "framework": "MITRE ATT&CK",
        "tactic": {"id": ["TA0003"], "name": ["Persistence"]},
        "technique": {
            "id": tech_ids,
            "name": [techniques[t] for t in tech_ids],
            "reference": [f"{attack.ATTACK_URL}/techniques/{t}/" for t in tech_ids],
        },
    }
    if subtechniques:
        sub_ids = list(subtechniques)
        threat["technique"]["subtechnique"] = {
            "id": sub_ids,
            "name": [subtechniques[s] for s in sub_ids],
            "reference": [
                f"{attack.ATTACK_URL}/techniques/{s.replace('.', '/')}/" for s in sub_ids
            ],
        }
    return threat


def to_ecs(doc: ResultDocument, finding: Finding) -> dict[str, Any]:
    subject = finding.subject.path
    is_file = "://" not in subject
    event: dict[str, Any] = {
        "@timestamp": doc.finished,
        "ecs": {"version": ECS_VERSION},
        "message": f"{finding.title}: {finding.why}",
        "event": {
            "kind": "alert",
            "category": ["intrusion_detection", "file"] if is_file else ["intrusion_detection"],
            "type": ["indicator"],
            "module": "sscguard",
            "dataset": "sscguard.findings",
            "severity": _SEVERITY[finding.severity],
            "risk_score": float(_SEVERITY[finding.severity]),
            "start": doc.started,
            "end": doc.finished,
        },
        "rule": {
            "id": finding.rule_id,
            "name": finding.title,
            "description": finding.why,
            "ruleset": "sscguard",
            "version": doc.rules_version,
        },
        "threat": _threat(finding),
        "host": {"hostname": doc.host, "name": doc.host},
        "observer": {"vendor": "sscguard", "product": "sscguard", "version": doc.tool_version},
        "labels": {"confidence": finding.confidence.value},
        "tags": list(finding.tags),
        "sscguard": finding_to_dict(finding),
    }
    if is_file:
        name = subject.rsplit("/", 1)[-1]
        event["file"] = {"path": subject, "name": name}
        ext = name.rsplit(".", 1)[-1] if "." in name else ""
        if ext:
            event["file"]["extension"] = ext
        for e in finding.evidence:
            if e.kind == "file" and e.detail.startswith("sha256 "):
                event["file"]["hash"] = {"sha256": e.detail.split()[1].rstrip(",")}
                break
    else:
        event["url"] = {"original": subject}
    return event


def render_ecs(doc: ResultDocument, out: TextIO, options: RenderOptions) -> None:
    for finding in doc.findings:
        if finding.severity >= options.min_severity:
            out.write(json.dumps(to_ecs(doc, finding), ensure_ascii=True) + "\n")
