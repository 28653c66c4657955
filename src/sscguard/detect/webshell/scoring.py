"""The scoring policy: rule hits, dataflow paths and statistical signals -> severity, confidence.

The policy is a handful of ordered, documented steps (docs/detection.md repeats them) so a
responder can see why a finding has the rank it has; ``reasons`` lists every step that
applied and goes into the finding's evidence.

1. Base severity by what the attacker gets: code or command execution from request input is
   critical; a request-chosen include or a reverse shell is high; a request-chosen file write
   is low (uploaders in installers look the same) unless a decoded layer or a YARA hit
   corroborates it, or the request chooses the whole file name (extension included) and the
   file checks no file type anywhere (then medium); an executed decoded layer without a
   visible path is high; request input executed after arriving over a network connection
   the file opened (a reverse shell) is high.
2. Base confidence medium (low for a path longer than eight steps); one step up for each
   corroborating signal: a direct path (at most four steps), a path or payload found inside
   a decoded layer, a built-in YARA rule hit on the same file, a packed file (statistics).
   Capped at high.
3. An include whose only request input is a standard browser header (Host, Referer,
   User-Agent, Accept-*) is how applications pick vhost or language files: severity low.
   An authorisation check (capability, nonce, CSRF or login test) around the sink makes it
   application code behind a permission check: severity low, confidence low.
4. A dual-use administration tool (file manager, database client) without obfuscation is
   reported in its own low-severity category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sscguard.detect.webshell.flow import FlowPath, SinkKind
from sscguard.detect.webshell.stats import Stats
from sscguard.model import Confidence, Severity

DIRECT_STEPS = 4
LONG_STEPS = 8


@dataclass(frozen=True, slots=True)
class Context:
    """Per-file signals the policy weighs besides the path itself."""

    yara_hits: int = 0  # built-in YARA rules that matched the file
    stats: Stats | None = None
    dual_use: bool = False


@dataclass(frozen=True, slots=True)
class Score:
    severity: Severity
    confidence: Confidence
    reasons: tuple[str, ...]


def _up(conf: Confidence) -> Confidence:
    return Confidence.HIGH if conf >= Confidence.MEDIUM else Confidence.MEDIUM


def base_severity(path: FlowPath) -> Severity:
    if path.kind in (SinkKind.CODE, SinkKind.COMMAND):
        if path.sink.startswith(("include", "require")):
            return Severity.HIGH
        return Severity.CRITICAL
    if path.kind is SinkKind.SOCKET:
        return Severity.HIGH
    return Severity.LOW


def _corroborate(
    confidence: Confidence, reasons: list[str], ctx: Context, layered: bool
) -> Confidence:
    if layered:
        confidence = _up(confidence)
        reasons.append("found inside a statically decoded layer (+confidence)")
    if ctx.yara_hits:
        confidence = _up(confidence)
        reasons.append(f"{ctx.yara_hits} built-in YARA rule(s) also match (+confidence)")
    if ctx.stats is not None and ctx.stats.packed:
        confidence = _up(confidence)
        reasons.append(
            f"packed: {ctx.stats.blob_ratio:.0%} encoded bytes, longest token "
            f"{ctx.stats.longest_token} (+confidence)"
        )
    return confidence


#: Browser headers applications build include paths from (virtual host directories, language
#: files, mobile templates); a shell chooses its file through a parameter, cookie or body.
_APP_HEADERS = re.compile(
    r"(?i)\$_SERVER\s*\[\s*['\"](HTTP_HOST|SERVER_NAME|HTTP_REFERER|HTTP_USER_AGENT"
    r"|HTTP_ACCEPT(_LANGUAGE|_ENCODING|_CHARSET)?)['\"]"
)


def _header_include(path: FlowPath) -> bool:
    """An include whose only request input is a standard browser header."""
    if not path.sink.startswith(("include", "require")) or not path.steps:
        return False
    return _APP_HEADERS.search(path.steps[0].label) is not None


#: ``include DIR . $x . "/file.php"``: a fixed start (a constant, ``__DIR__``, a relative
#: literal; not an absolute one such as ``/tmp/``) and a fixed script name at the end; the
#: request only picks a name in between.
_FENCED_INCLUDE = re.compile(
    r"""(?is)^(include|require)(_once)?\s*\(?\s*"""
    r"""(__DIR__|dirname\s*\(\s*__FILE__\s*\)|[A-Za-z_][A-Za-z0-9_]*|'(?!/)[^']*'|"(?!/)[^"$]*")"""
    r"""\s*\..*\.\s*(['"])[^'"$]*\.(php\d?|inc|phtml)\4\s*\)?\s*;?\s*$"""
)


def _fenced_include(path: FlowPath) -> bool:
    """The include's path has a fixed directory before and a fixed script name after the part
    the request chooses: a local-file-inclusion weakness of an application, not a shell."""
    if not path.sink.startswith(("include", "require")) or not path.steps:
        return False
    return _FENCED_INCLUDE.match(path.steps[-1].label.strip()) is not None


def score_path(path: FlowPath, ctx: Context) -> Score:
    """Severity and confidence of one source-to-sink path, with the reasons."""
    severity = base_severity(path)
    reasons = [f"request input reaches {path.kind.value} sink {path.sink}: {severity.value}"]
    confidence = Confidence.MEDIUM
    if len(path.steps) <= DIRECT_STEPS:
        confidence = _up(confidence)
        reasons.append(f"direct path of {len(path.steps)} steps (+confidence)")
    if len(path.steps) > LONG_STEPS:
        confidence = Confidence.LOW
        reasons.append(f"long path of {len(path.steps)} steps: confidence low")
    confidence = _corroborate(confidence, reasons, ctx, path.layer > 0)
    if path.kind is SinkKind.FILE_WRITE and (path.layer or ctx.yara_hits):
        severity = Severity.MEDIUM
        reasons.append("file write corroborated by a decoded layer or a YARA hit: medium")
    elif path.kind is SinkKind.FILE_WRITE and path.to_script:
        severity = Severity.MEDIUM
        reasons.append(
            "the whole content comes from the request and goes into a file the web server "
            "runs as code (a dropper): medium"
        )
    elif path.kind is SinkKind.FILE_WRITE and path.unchecked:
        severity = Severity.MEDIUM
        reasons.append(
            "the request chooses the file name and extension and nothing checks the file "
            "type (unrestricted upload): medium"
        )
    if _header_include(path) and path.layer == 0:
        reasons.append(
            "the included path comes from a standard browser header (Host, Referer, User-Agent, "
            "Accept-*), as applications choose vhost or language files: severity low"
        )
        return Score(Severity.LOW, Confidence.LOW, tuple(reasons))
    if _fenced_include(path) and path.layer == 0:
        reasons.append(
            "the request only picks a name between a fixed directory and a fixed script name "
            "(a local-file-inclusion weakness of an application, not a shell): severity low"
        )
        return Score(Severity.LOW, Confidence.LOW, tuple(reasons))
    if path.guarded:
        reasons.append("an authorisation check encloses the sink: severity low, confidence low")
        return Score(Severity.LOW, Confidence.LOW, tuple(reasons))
    if ctx.dual_use and path.layer == 0:
        reasons.append("dual-use administration tool without obfuscation: severity low")
        return Score(Severity.LOW, confidence, tuple(reasons))
    return Score(severity, confidence, tuple(reasons))


def score_decoded_execution(ctx: Context) -> Score:
    """A decoded layer reaches eval/assert but no request-input path was seen inside it."""
    reasons = ["a statically decoded layer is executed as code: high"]
    confidence = _corroborate(Confidence.MEDIUM, reasons, ctx, layered=False)
    return Score(Severity.HIGH, confidence, tuple(reasons))


def score_packed(ctx: Context, sinks: tuple[str, ...]) -> Score:
    """A packed file that also calls a code-execution sink or a computed function name."""
    reasons = [f"packed file with code-execution capability ({', '.join(sinks[:4])}): medium"]
    confidence = Confidence.LOW
    if ctx.yara_hits:
        confidence = _up(confidence)
        reasons.append(f"{ctx.yara_hits} built-in YARA rule(s) also match (+confidence)")
    return Score(Severity.MEDIUM, confidence, tuple(reasons))


def score_simple(severity: Severity, confidence: Confidence, reason: str) -> Score:
    return Score(severity, confidence, (reason,))
