"""Correlation: a file in the web root that is flagged (or appeared while the log ran) and was
also requested over the web. Pure: file facts and request summaries in, findings out."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from sscguard.detect.logs import checks
from sscguard.detect.logs.webshell import Candidate
from sscguard.model import Evidence, Finding, Location
from sscguard.textutil import sanitize


@dataclass(frozen=True, slots=True)
class FileFact:
    """A script file under a web root and why it is of interest."""

    path: str  # as shown in reports
    relative: str  # path under the web root, with '/' separators ("" when unknown)
    flagged_by: tuple[str, ...]  # rule IDs of content findings (this run or a previous one)
    appeared: bool  # modified after the first logged request
    mtime: str = ""


def uri_key(path: bytes) -> str:
    """Normalise a request path the way a server maps it to a file (decode, collapse dots)."""
    text = unquote_to_bytes(path).decode("utf-8", "replace")
    norm = posixpath.normpath("/" + text.lstrip("/"))
    return norm.lower()


def correlate(
    files: Sequence[FileFact],
    requests: Mapping[bytes, Candidate],
    locate: Callable[[int], Location],
    children: Sequence[str] = (),
) -> list[Finding]:
    by_key: dict[str, Candidate] = {}
    for path, request in requests.items():
        by_key.setdefault(uri_key(path), request)
    out: list[Finding] = []
    for fact in files:
        if not fact.flagged_by and not fact.appeared:
            continue
        cand: Candidate | None = None
        if fact.relative:
            cand = by_key.get(uri_key(fact.relative.encode("utf-8", "surrogateescape")))
        else:
            shown = fact.path.replace("\\", "/").lower()
            matches = [c for k, c in by_key.items() if k != "/" and shown.endswith(k)]
            cand = max(matches, key=lambda c: len(c.path), default=None)
        if cand is None:
            continue
        reasons = []
        if fact.flagged_by:
            reasons.append("flagged by " + ", ".join(fact.flagged_by[:5]))
        if fact.appeared:
            reasons.append(f"modified {fact.mtime}, after the log began")
        clients = (
            ", ".join(c.decode("utf-8", "replace") for c in cand.clients[:5])
            or "more than the rare threshold"
        )
        evidence = [
            Evidence("file", Location(fact.path), sanitize(fact.path, 200), "; ".join(reasons)),
            Evidence(
                "first-request",
                locate(cand.first_seq),
                sanitize(cand.first_request.decode("utf-8", "replace"), 200),
                sanitize(
                    f"first at {cand.first_time.decode('utf-8', 'replace')}; {cand.hits} "
                    f"request(s); clients: {clients}",
                    300,
                ),
            ),
        ]
        evidence += [
            Evidence("child-process", Location("events"), sanitize(c, 200), "started by the server")
            for c in children[:5]
        ]
        out.append(
            checks.finding(
                checks.CORRELATED_FILE,
                Location(fact.path),
                tuple(evidence),
                discriminator=fact.path,
                title=sanitize(
                    f"Requested script {cand.path.decode('utf-8', 'replace')} is "
                    + (" and ".join(reasons)),
                    240,
                ),
            )
        )
    return out
