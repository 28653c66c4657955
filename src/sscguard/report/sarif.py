"""SARIF 2.1.0 output for code-scanning dashboards and CI, with ATT&CK tags on every rule."""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from sscguard import attack
from sscguard.model import Finding, Location, ResultDocument, Severity
from sscguard.report import RenderOptions

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/sscguard/sscguard"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning reads this property to rank security results.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def artifact_uri(path: str) -> str:
    """A URI for a location: file paths become ``file://`` URIs, other URIs stay as they are."""
    if "://" in path:
        return path
    return "file://" + quote(path, safe="/:@!$&'()*+,;=-._~")


def _attack_tags(finding: Finding) -> list[str]:
    tags = ["security", "attack.persistence"]
    for ref in finding.attack:
        tags.append(f"attack.{ref.technique.lower()}")
        tags.append(f"attack.{ref.data_component.split(' ')[0].lower()}")
        tags.extend(f"attack.{m.lower()}" for m in ref.mitigations)
    return list(dict.fromkeys(tags))


def _rule(finding: Finding) -> dict[str, Any]:
    techniques = [r.technique for r in finding.attack]
    help_lines = [finding.remediation]
    for technique in techniques:
        entry = attack.TECHNIQUES.get(technique)
        if entry:
            help_lines.append(f"ATT&CK {entry.id} {entry.name}: {entry.url}")
    return {
        "id": finding.rule_id,
        "name": finding.rule_id.replace("-", "").replace(":", "_"),
        "shortDescription": {"text": finding.title},
        "fullDescription": {"text": finding.why},
        "help": {"text": "\n".join(help_lines)},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "tags": _attack_tags(finding),
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "attack": [
                {
                    "technique": r.technique,
                    "data_component": r.data_component,
                    "mitigations": list(r.mitigations),
                }
                for r in finding.attack
            ],
        },
    }


def _physical(loc: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(loc.path)}}
    region: dict[str, Any] = {}
    if loc.line is not None and loc.line >= 1:
        region["startLine"] = loc.line
        if loc.column is not None and loc.column >= 1:
            region["startColumn"] = loc.column
    elif loc.offset is not None and loc.offset >= 0:
        region["byteOffset"] = loc.offset
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    primary = next(
        (
            e.location
            for e in finding.evidence
            if e.location.path == finding.subject.path and e.location.line is not None
        ),
        finding.subject,
    )
    evidence_text = "; ".join(
        f"{e.location}: {e.excerpt}" if e.excerpt else f"{e.location}: {e.detail}"
        for e in finding.evidence
    )
    message = finding.why if not evidence_text else f"{finding.why} Evidence: {evidence_text}"
    related = [
        {"id": i, **_physical(e.location), "message": {"text": e.excerpt or e.detail or e.kind}}
        for i, e in enumerate(finding.evidence)
    ]
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [_physical(primary)],
        "partialFingerprints": {"sscguardFingerprint/v1": finding.fingerprint},
        "properties": {
            "severity": finding.severity.value,
            "confidence": finding.confidence.value,
            "remediation": finding.remediation,
            "tags": list(finding.tags),
        },
    }
    if related:
        result["relatedLocations"] = related
    return result


def to_sarif(doc: ResultDocument) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    for finding in doc.findings:
        if finding.rule_id not in index:
            index[finding.rule_id] = len(rules)
            rules.append(_rule(finding))
        results.append(_result(finding, index[finding.rule_id]))
    notifications = [
        {
            "level": "warning" if s.incomplete else "note",
            "message": {"text": f"skipped ({s.code.value}): {s.reason}"},
            "locations": [_physical(Location(s.source))],
            "descriptor": {"id": s.code.value},
        }
        for s in doc.skipped
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sscguard",
                        "version": doc.tool_version,
                        "semanticVersion": doc.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                        "properties": {"rules_version": doc.rules_version},
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not doc.incomplete,
                        "commandLine": doc.command,
                        "startTimeUtc": doc.started,
                        "endTimeUtc": doc.finished,
                        "machine": doc.host,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "properties": {
                    "stats": dict(doc.stats),
                    "targets": list(doc.targets),
                    "suppressed": doc.to_dict()["suppressed"],
                },
            }
        ],
    }


def render_sarif(doc: ResultDocument, out: TextIO, options: RenderOptions) -> None:
    del options
    out.write(json.dumps(to_sarif(doc), ensure_ascii=True, indent=2))
    out.write("\n")
