"""Turn YARA-X rule hits on one file into explained findings."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from sscguard.detect.webshell.phpcomments import all_in_comments, comment_spans
from sscguard.model import Confidence, Evidence, Finding, Location, Severity, make_fingerprint
from sscguard.rules.yara import RuleHit
from sscguard.textutil import excerpt_at, line_of

MAX_EVIDENCE = 4
_PHP_TAG = re.compile(rb"<\?php\b", re.I)


_DOC_EXTENSIONS = (".md", ".markdown", ".rst", ".adoc", ".asciidoc")


def _is_documentation(path: str) -> bool:
    return path.lower().endswith(_DOC_EXTENSIONS)


def _maybe_in_block_comments(data: bytes, offsets: list[int]) -> bool:
    """Cheap necessary condition for ``all_in_comments``: every offset has a ``/*`` before it
    that is not closed before it (the lexer then confirms, strings considered)."""
    for offset in offsets:
        opened = data.rfind(b"/*", 0, offset)
        if opened < 0 or data.find(b"*/", opened + 2, offset) >= 0:
            return False
    return bool(offsets)


def _php_rule_on_php(language: str, data: bytes) -> bool:
    """A PHP rule on a file with PHP code, or a language-neutral rule on a PHP file (one with
    a ``<?php`` tag: other pages' ``<?xml`` must not be lexed as PHP)."""
    if language == "php":
        return b"<?" in data
    return language == "any" and _PHP_TAG.search(data) is not None


def file_evidence(path: str, data: bytes, size: int, mtime: str) -> Evidence:
    """Identify the flagged file: its hash, size and modification time (for the timeline)."""
    digest = hashlib.sha256(data).hexdigest()
    what = "sha256" if len(data) == size else "sha256 of the scanned head and tail"
    return Evidence(
        kind="file",
        location=Location(path),
        detail=f"{what} {digest}, {size} bytes, modified {mtime or 'unknown'}",
        time=mtime,
    )


def findings_for(
    path: str,
    data: bytes,
    hits: Sequence[RuleHit],
    truncated: bool,
    *,
    size: int | None = None,
    mtime: str = "",
) -> list[Finding]:
    """One finding per matching rule; evidence is the first match of each distinct pattern
    and, last, the file's identity (hash, size, modification time)."""
    out: list[Finding] = []
    if not hits:
        return out
    identity = file_evidence(path, data, len(data) if size is None else size, mtime)
    spans: list[tuple[int, int]] | None = None
    documentation = _is_documentation(path)
    for hit in hits:
        rule = hit.rule
        severity, confidence = rule.severity, rule.confidence
        quoted = False
        if rule.builtin and documentation and severity > Severity.LOW:
            severity, confidence = Severity.LOW, Confidence.LOW
        if rule.builtin and hit.patterns and _php_rule_on_php(rule.language, data):
            # the open tag itself is an anchor some rules match; it is never "in a comment"
            code = [p.offset for p in hit.patterns if data[p.offset : p.offset + 2] != b"<?"]
            # documentation lives in /* ... */ blocks; a //-commented payload next to live
            # code is how shells keep alternatives, so line comments do not count. The cheap
            # test first: most hits have a match that no /* comment can enclose.
            if _maybe_in_block_comments(data, code):
                if spans is None:
                    spans = comment_spans(data, blocks_only=True)
                quoted = all_in_comments(code, spans)
            if quoted:
                severity, confidence = Severity.LOW, Confidence.LOW
        evidence: list[Evidence] = []
        seen: set[str] = set()
        for pattern in sorted(hit.patterns, key=lambda p: p.offset):
            if pattern.identifier in seen:
                continue
            seen.add(pattern.identifier)
            evidence.append(
                Evidence(
                    kind="yara-match",
                    location=Location(
                        path, line=line_of(data, pattern.offset), offset=pattern.offset
                    ),
                    excerpt=excerpt_at(data, pattern.offset, pattern.length),
                    detail=f"{rule.namespace}.{rule.identifier} string {pattern.identifier}",
                )
            )
            if len(evidence) >= MAX_EVIDENCE:
                break
        if not evidence:
            evidence.append(
                Evidence(
                    kind="yara-match",
                    location=Location(path),
                    detail=f"{rule.namespace}.{rule.identifier}: condition met without strings",
                )
            )
        evidence.append(identity)
        if rule.builtin and documentation:
            evidence.append(
                Evidence(
                    kind="note",
                    location=Location(path),
                    detail="a documentation file (Markdown, reStructuredText, AsciiDoc): web "
                    "servers do not run it and its code examples are quoted: low",
                )
            )
        if quoted:
            evidence.append(
                Evidence(
                    kind="note",
                    location=Location(path),
                    detail="every match is inside a PHP /* */ comment (quoted code does not run): "
                    "low",
                )
            )
        if truncated:
            evidence.append(
                Evidence(
                    kind="note",
                    location=Location(path),
                    detail="file larger than max_file_size: only its head and tail were scanned",
                )
            )
        subject = Location(path)
        out.append(
            Finding(
                rule_id=rule.id,
                title=rule.title,
                subject=subject,
                attack=rule.attack,
                severity=severity,
                confidence=confidence,
                why=rule.why,
                remediation=rule.remediation,
                evidence=tuple(evidence),
                tags=("yara", rule.language) if rule.builtin else ("yara", "user-rule"),
                fingerprint=make_fingerprint(rule.id, subject),
            )
        )
    return out
