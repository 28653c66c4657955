"""Files that make other files executable, and images that carry server-side code.

SSC-003-408: an ``.htaccess`` or ``.user.ini`` met by the content scanner that hands images,
text or other data files to a script handler (AddHandler/AddType/SetHandler/ForceType, also
inside <Files>/<FilesMatch>), prepends or appends a file to every PHP page
(``auto_prepend_file``/``auto_append_file``), switches the PHP engine or CGI execution on in
an upload folder, or that itself carries PHP code. The directives are read by the same pure
functions the component audit uses (``extract.configs.handlers``); only the rating differs:
here the file is judged on its own, as found in a tree.

SSC-003-409: an image (by its magic bytes or its extension) that contains server-side code a
handler would run: ``<?php``/``<?=`` with an execution or file-write sink, an ASP/JSP
``<% ... %>`` block that executes or writes files with request input, or a
``<script runat="server">`` block. For JPEG and PNG the carrier is named (COM segment, EXIF
APP1, tEXt chunk, trailing data) from a bounded segment walk.

Both are pure and cheap: a file is looked at only when its name is a per-directory config
file or its first bytes or extension say image; everything else returns at once.
"""

from __future__ import annotations

import posixpath
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sscguard import attack
from sscguard.detect.webshell import scoring
from sscguard.detect.webshell.detectors import WEB_SHELL, FileContext, simple_finding
from sscguard.extract.configs import apache as apache_cfg
from sscguard.extract.configs import handlers
from sscguard.extract.configs import php as php_cfg
from sscguard.extract.filetype import extension, filetype
from sscguard.model import Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import sanitize

CONFIG_ID = "SSC-003-408"
POLYGLOT_ID = "SSC-003-409"
IDS = (CONFIG_ID, POLYGLOT_ID)
_IMAGE_RULES = frozenset({POLYGLOT_ID, "SSC-003-014"})  # 014: the built-in YARA polyglot rule

MAX_CONFIG = 256 << 10  # bytes of an .htaccess/.user.ini that are parsed
MAX_TAGS = 64  # script open tags examined per image
MAX_SEGMENT = 64 << 10  # bytes after an open tag that are examined
MAX_CHUNKS = 512  # JPEG segments / PNG chunks walked

MASQUERADE = attack.ref("T1036", "DS0022 File Creation", "M1047")
CONFIG_REF = attack.ref("T1505.003", "DS0022 File Modification", "M1047", "M1042")

HANDLER_REMEDIATION = (
    "Remove the directive (or the whole file if nobody on the site wrote it), set "
    "'AllowOverride None' for upload folders and 'php_flag engine off' where visitors can "
    "upload, then search the folder for images and text files that contain script code and "
    "the web-server log for requests to them."
)
POLYGLOT_REMEDIATION = (
    "Take the file offline and preserve it, look for an .htaccess/.user.ini or server "
    "mapping that makes such files executable and for the include() that loads it, find the "
    "upload form that let it in, and re-check uploads by decoding them as images "
    "(re-encoding strips appended code)."
)

# -- SSC-003-408: .htaccess and .user.ini ------------------------------------------------------

_HTACCESS_NAMES = frozenset({".htaccess", "htaccess", "htaccess.txt"})
_USER_INI_NAMES = frozenset({".user.ini", "user.ini"})
_URL_PREPEND = re.compile(
    r"^\s*(data|php|https?|ftps?|expect|zip|phar|glob|zlib)://|^\s*data:", re.I
)
#: Prepended files here are world-writable drops, never application code.
_TMP_DIRS = ("/tmp/", "/var/tmp/", "/dev/shm/")  # noqa: S108 - names compared, not used
_UPLOAD_DIR = re.compile(
    r"(?i)(^|/)(uploads?|upload_?files|userfiles|files|images?|img|media|attachments?|avatars?"
    r"|tmp|temp|cache)(/|$)"
)
_ENGINE_ON = re.compile(r"^\s*[\"']?(on|1|true|yes)[\"']?\s*$", re.I)
_PHP_TAG = re.compile(rb"<\?(?:php\b|=)", re.I)
_PHP_SINK = re.compile(
    rb"(?i)(?<![\w$>:])(eval|assert|system|exec|passthru|shell_exec|popen|proc_open|pcntl_exec"
    rb"|create_function|call_user_func(?:_array)?|include|require|include_once|require_once"
    rb"|move_uploaded_file|file_put_contents|fwrite|fputs|copy|preg_replace)\s*\("
    rb"|(?<![\w$>:])(include|require)(_once)?\s+[$'\"]"
    rb"|`[^`]{0,200}\$|\$\w{1,40}\s*\(\s*\$|\$_(?:GET|POST|REQUEST|COOKIE)\s*\[[^\]]{0,40}\]\s*\("
)
_PHP_SOURCE = re.compile(
    rb"(?i)\$_(GET|POST|REQUEST|COOKIE|FILES|SERVER)\b|php://input|getallheaders"
    rb"|base64_decode|gzinflate|str_rot13"
)


@dataclass(frozen=True, slots=True)
class Issue:
    """One suspicious line of a config file."""

    severity: Severity
    confidence: Confidence
    line: int
    excerpt: str
    detail: str
    kind: str = "directive"
    data: str = ""  # machine-readable for correlate(): a prepend target or mapped extensions


def _config_kind(path: str) -> str:
    base = posixpath.basename(path).lower()
    if base in _HTACCESS_NAMES or base.endswith(".htaccess"):
        return "htaccess"
    if base in _USER_INI_NAMES:
        return "user.ini"
    return ""


def _classify_extension(ext: str) -> Severity | None:
    """How bad it is to hand ``ext`` to a script handler; None when expected."""
    last = handlers.last_extension(ext)
    if not last or last in handlers.DATA_EXTENSIONS:
        return Severity.HIGH
    if last in handlers.SCRIPT_EXTENSIONS or last in ("cgi", "pl", "py", "fcgi", "shtml"):
        return None
    if last in ("html", "htm", "xhtml"):
        return Severity.LOW
    return Severity.MEDIUM


def prepend_target(value: str, config_path: str) -> str:
    """The file an auto_prepend_file value names, resolved against the config's folder."""
    v = value.strip().strip("\"'").strip()
    if v.startswith("/") or _URL_PREPEND.match(v):
        return posixpath.normpath(v) if v.startswith("/") else v
    return posixpath.normpath(posixpath.join(posixpath.dirname(config_path), v))


def _rate_prepend(key: str, value: str, config_path: str, line: int) -> Issue | None:
    v = value.strip().strip("\"'").strip()
    if not v or v.lower() == "none":
        return None
    target = prepend_target(v, config_path)
    base = posixpath.basename(target)
    if _URL_PREPEND.match(v):
        return Issue(
            Severity.HIGH, Confidence.HIGH, line, f"{key} {v}",
            f"{key} loads code from a {v.split(':', 1)[0]} URL on every PHP page",
            "prepend", target,
        )  # fmt: skip
    if target == posixpath.normpath(config_path):
        return Issue(
            Severity.HIGH, Confidence.HIGH, line, f"{key} {v}",
            f"{key} runs this config file itself as PHP on every page", "prepend", target,
        )  # fmt: skip
    ext = handlers.last_extension(base) if "." in base else ""
    if (
        (ext and ext in handlers.DATA_EXTENSIONS)
        or base.startswith(".")
        or any(target.startswith(t) or f"/{t.strip('/')}/" in target for t in _TMP_DIRS)
    ):
        return Issue(
            Severity.HIGH, Confidence.MEDIUM, line, f"{key} {v}",
            f"{key} runs a hidden, temporary or non-script file ({base}) as PHP on every page",
            "prepend", target,
        )  # fmt: skip
    return Issue(
        Severity.MEDIUM, Confidence.LOW, line, f"{key} {v}",
        f"{key} runs {base} before/after every PHP page below this folder; confirm an "
        "application you installed (a WAF, a profiler) documents it",
        "prepend", target,
    )  # fmt: skip


def htaccess_issues(text: str, path: str) -> list[Issue]:
    """The suspicious directives of one ``.htaccess`` (pure; ``text`` is already bounded)."""
    directives = apache_cfg.parse_htaccess(text, path)
    out: list[Issue] = []
    for m in handlers.handler_mappings(directives, handlers.SCRIPT_HANDLER_RE):
        if m.extensions is not None:
            rated = [(e, _classify_extension(e)) for e in m.extensions]
            bad = [(e, s) for e, s in rated if s is not None]
            if not bad:
                continue
            worst = max(s for _, s in bad)
            exts = " ".join(e for e, _ in bad)
            out.append(
                Issue(
                    worst, Confidence.HIGH if worst >= Severity.HIGH else Confidence.MEDIUM,
                    m.line, f"{m.directive} {m.handler} {exts}",
                    f"files ending in .{', .'.join(e for e, _ in bad)} are run by {m.handler}",
                    "handler-mapping", exts,
                )
            )  # fmt: skip
        else:
            covered = handlers.scope_matches_data(m.scope, m.section)
            if not covered:
                continue
            scope = "every file in this folder" if m.scope == "*" else f"{m.section} {m.scope}"
            out.append(
                Issue(
                    Severity.HIGH, Confidence.HIGH, m.line, f"{m.directive} {m.handler}",
                    f"{scope} is run by {m.handler} (covers e.g. {', '.join(covered[:3])})",
                    "handler-mapping", "*",
                )
            )  # fmt: skip
    upload_dir = _UPLOAD_DIR.search(posixpath.dirname(path)) is not None
    for s in handlers.php_settings(directives):
        if s.key in php_cfg.CODE_LOADING:
            issue = _rate_prepend(s.key, s.value, path, s.line)
            if issue is not None:
                out.append(issue)
        elif s.key == "engine" and upload_dir and _ENGINE_ON.match(s.value):
            out.append(
                Issue(
                    Severity.MEDIUM, Confidence.MEDIUM, s.line, f"{s.directive} engine {s.value}",
                    "switches PHP execution on in an upload/media folder",
                )
            )  # fmt: skip
    if upload_dir:
        for d in directives:
            if d.key == "options" and any(
                a.lower() in ("+execcgi", "execcgi", "all", "+all") for a in d.args
            ):
                out.append(
                    Issue(
                        Severity.MEDIUM, Confidence.MEDIUM, d.line,
                        f"Options {' '.join(d.args)}",
                        "allows CGI execution in an upload/media folder",
                    )
                )  # fmt: skip
    return out


def user_ini_issues(text: str, path: str) -> list[Issue]:
    """The suspicious settings of one ``.user.ini`` (pure)."""
    out: list[Issue] = []
    for e in php_cfg.parse_ini(text, path):
        if e.key in php_cfg.CODE_LOADING:
            issue = _rate_prepend(e.key, e.value, path, e.line)
            if issue is not None:
                out.append(issue)
    return out


def _payload_issue(data: bytes) -> Issue | None:
    """PHP code inside a config file (the '.htaccess runs itself' trick)."""
    tag = _PHP_TAG.search(data)
    if tag is None:
        return None
    line = data.count(b"\n", 0, tag.start()) + 1
    segment = data[tag.start() : tag.start() + MAX_SEGMENT]
    excerpt = sanitize(segment[:120].decode("utf-8", "replace"), 120)
    if _PHP_SINK.search(segment):
        return Issue(
            Severity.HIGH, Confidence.HIGH, line, excerpt,
            "the config file carries PHP code with an execution or file-write call",
            "embedded-php",
        )  # fmt: skip
    return Issue(
        Severity.MEDIUM, Confidence.MEDIUM, line, excerpt,
        "the config file carries PHP code", "embedded-php",
    )  # fmt: skip


def detect_config(ctx: FileContext) -> list[Finding]:
    kind = _config_kind(ctx.path)
    if not kind:
        return []
    data = ctx.data[:MAX_CONFIG]
    text = data.decode("utf-8", "replace")
    issues = (
        htaccess_issues(text, ctx.path) if kind == "htaccess" else user_ini_issues(text, ctx.path)
    )
    payload = _payload_issue(data)
    if payload is not None:
        issues.append(payload)
    flagged = [i for i in issues if i.severity >= Severity.LOW]
    if not flagged:
        return []
    worst = max(flagged, key=lambda i: (i.severity.rank, i.confidence.rank))
    name = ".htaccess" if kind == "htaccess" else ".user.ini"
    evidence = [
        Evidence(i.kind, Location(ctx.path, line=i.line), sanitize(i.excerpt, 160), i.detail)
        for i in flagged
    ]
    evidence.extend(
        Evidence("prepend-target" if i.kind == "prepend" else "mapped-extensions",
                 Location(ctx.path, line=i.line), sanitize(i.data, 300), "")
        for i in flagged if i.data
    )  # fmt: skip
    reason = f"{len(flagged)} suspicious line(s); worst: {worst.detail}"
    return [
        simple_finding(
            ctx, CONFIG_ID, f"{name} makes files executable or prepends code",
            f"This {name} changes how PHP or the web server runs files in its folder "
            "(a data file handed to a script handler, a file prepended to every page, or "
            "code in the config itself), the way attackers hide persistent web shells.",
            (CONFIG_REF, WEB_SHELL),
            scoring.score_simple(worst.severity, worst.confidence, reason),
            evidence, ("config", kind), remediation=HANDLER_REMEDIATION,
        )
    ]  # fmt: skip


# -- SSC-003-409: image polyglots ----------------------------------------------------------------

IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".svg",
     ".pdf"}
)  # fmt: skip
_ASP_BLOCK = re.compile(rb"<%(?!@)")
_SERVER_SCRIPT = re.compile(rb"(?i)<script[^>]{0,200}runat\s*=\s*[\"']?server")
_ASP_CAPABILITY = re.compile(
    rb"(?i)WScript\.Shell|Shell\.Application|\.Exec\s*\(|\bExecute(?:Global)?\b|\bEval\s*\("
    rb"|Runtime\s*\.\s*getRuntime|ProcessBuilder|Process\.Start|defineClass|Assembly\.Load"
    rb"|CreateTextFile|SaveToFile|FileOutputStream|\.SaveAs\s*\(|File\.WriteAll"
)
_ASP_SOURCE = re.compile(
    rb"(?i)\bRequest\s*(?:\.\s*(?:Form|QueryString|Item|Params|Cookies|BinaryRead)|\(|\[)"
    rb"|request\.getParameter|getInputStream"
)


def _is_bmp(head: bytes) -> bool:
    if len(head) < 18 or head[:2] != b"BM":
        return False
    (dib,) = struct.unpack_from("<I", head, 14)
    return dib in (12, 40, 52, 56, 64, 108, 124)


def image_kind(path: str, head: bytes) -> str:
    """'JPEG', 'PNG', ... by magic; '.ext' by extension; '' when not an image."""
    kind = filetype(head[:16])
    if kind in ("GIF", "JPEG", "PNG", "PDF"):
        return kind
    if kind == "BMP" and _is_bmp(head):
        return kind
    if head[:4] == b"\x00\x00\x01\x00":
        return "ICO"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    ext = extension(path)
    return ext if ext in IMAGE_EXTENSIONS else ""


def jpeg_segments(data: bytes) -> list[tuple[str, int, int]]:
    """(name, start, end) of the header segments of a JPEG, up to the scan data; bounded."""
    out: list[tuple[str, int, int]] = []
    pos = 2
    while len(out) < MAX_CHUNKS and pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if length < 2:
            break
        end = min(pos + 2 + length, len(data))
        name = {0xFE: "COM", 0xE1: "APP1 (EXIF/XMP)", 0xDA: "SOS"}.get(
            marker, f"APP{marker - 0xE0}" if 0xE0 <= marker <= 0xEF else f"marker {marker:02X}"
        )
        out.append((name, pos, end))
        if marker == 0xDA:  # entropy-coded data follows: stop walking
            break
        pos = end
    return out


def png_chunks(data: bytes) -> list[tuple[str, int, int]]:
    """(type, start, end) of the chunks of a PNG; bounded."""
    out: list[tuple[str, int, int]] = []
    pos = 8
    while len(out) < MAX_CHUNKS and pos + 8 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        ctype = data[pos + 4 : pos + 8].decode("latin-1")
        end = min(pos + 12 + length, len(data))
        out.append((sanitize(ctype, 8), pos, end))
        if ctype == "IEND":
            out.append(("data after IEND", end, len(data)))
            break
        pos = end
    return out


def carrier(kind: str, data: bytes, offset: int) -> str:
    """Where in the image the code sits, in words."""
    parts: list[tuple[str, int, int]] = []
    if kind == "JPEG":
        parts = jpeg_segments(data)
        eoi = data.rfind(b"\xff\xd9")
        if eoi != -1 and offset > eoi:
            return f"after the JPEG end marker (offset {offset})"
    elif kind == "PNG":
        parts = png_chunks(data)
    for name, start, end in parts:
        if start <= offset < end:
            where = "the image data" if name == "SOS" else name
            return f"{kind} {where} at offset {offset}"
    if kind.startswith("."):
        return f"a {kind} file at offset {offset}"
    return f"{kind} file at offset {offset}"


@dataclass(frozen=True, slots=True)
class Embedded:
    language: str
    offset: int
    excerpt: str
    source: bool  # request input in the same block


_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_run(data: bytes, start: int, close: bytes) -> bytes:
    """The code after an open tag: up to its close tag, the first control byte (code in an
    image is text; random image bytes hold a control byte every dozen bytes or so) or
    MAX_SEGMENT, whichever comes first."""
    limit = min(len(data), start + MAX_SEGMENT)
    binary = _BINARY.search(data, start, limit)
    if binary is not None:
        limit = binary.start()
    end = data.find(close, start + 2, limit)
    return data[start : end + len(close) if end != -1 else limit]


def _php_blocks(data: bytes) -> Iterable[Embedded]:
    for n, tag in enumerate(_PHP_TAG.finditer(data)):
        if n >= MAX_TAGS:
            return
        segment = text_run(data, tag.start(), b"?>")
        if _PHP_SINK.search(segment):
            yield Embedded("PHP", tag.start(), _excerpt(segment), bool(_PHP_SOURCE.search(segment)))


def _asp_blocks(data: bytes) -> Iterable[Embedded]:
    found = 0
    for rx, close in ((_ASP_BLOCK, b"%>"), (_SERVER_SCRIPT, b"</script")):
        for tag in rx.finditer(data):
            found += 1
            if found > MAX_TAGS * 4:
                return
            segment = text_run(data, tag.start(), close)
            if not segment.endswith(close):
                continue  # a real block is closed within its text
            if _ASP_CAPABILITY.search(segment):
                yield Embedded(
                    "ASP/JSP", tag.start(), _excerpt(segment), bool(_ASP_SOURCE.search(segment))
                )


def _excerpt(segment: bytes) -> str:
    return sanitize(segment[:160].decode("utf-8", "replace"), 160)


def embedded_scripts(kind: str, data: bytes) -> list[Embedded]:
    """Executable server-side code blocks in an image's bytes (bounded)."""
    out = list(_php_blocks(data))
    if kind != "PDF":  # PDF text streams may quote ASP code in documentation
        out.extend(_asp_blocks(data))
    return out


def detect_polyglot(ctx: FileContext) -> list[Finding]:
    kind = image_kind(ctx.path, ctx.data[:32])
    if not kind:
        return []
    if any(h.rule.builtin and h.rule.id == "SSC-003-014" for h in ctx.hits):
        return []  # the YARA polyglot rule already reports it
    blocks = embedded_scripts(kind, ctx.data)
    if not blocks:
        return []
    with_source = any(b.source for b in blocks)
    confidence = Confidence.HIGH if with_source else Confidence.MEDIUM
    reason = f"{kind} carries {blocks[0].language} code with an execution or file-write call" + (
        " and request input" if with_source else ""
    )
    evidence = [
        Evidence(
            "embedded-script",
            Location(ctx.path, line=ctx.data.count(b"\n", 0, b.offset) + 1, offset=b.offset),
            b.excerpt,
            f"{b.language} code in {carrier(kind, ctx.data, b.offset)}",
        )
        for b in blocks[:4]
    ]
    return [
        simple_finding(
            ctx, POLYGLOT_ID, "Image carries executable server-side code (polyglot)",
            "The file looks like an image to upload filters but holds script code that runs "
            "when a handler mapping, an include() or a renamed copy hands it to the server.",
            (WEB_SHELL, MASQUERADE),
            scoring.score_simple(Severity.HIGH, confidence, reason),
            evidence, ("polyglot", kind.lstrip(".").lower()), remediation=POLYGLOT_REMEDIATION,
        )
    ]  # fmt: skip


def detect(ctx: FileContext) -> list[Finding]:
    """The registry entry: config files and image polyglots."""
    return detect_config(ctx) or detect_polyglot(ctx)


# -- across files: what the per-file view cannot see --------------------------------------------


def _matches(path: str, target: str) -> bool:
    return path == target or (target.startswith("/") and path.endswith(target))


def correlate(findings: Sequence[Finding]) -> list[Finding]:
    """Raise SSC-003-408 when a prepended file is itself flagged, and SSC-003-409 when an
    .htaccess in the same tree maps the image's extension to a script handler.

    Runs once over a scan's findings; cost is linear in the findings that carry a target.
    """
    configs = [f for f in findings if f.rule_id == CONFIG_ID]
    if not configs:
        return list(findings)
    flagged = {
        f.subject.path: f.rule_id
        for f in findings
        if f.rule_id != CONFIG_ID and f.severity >= Severity.MEDIUM
    }
    mappings: list[tuple[str, set[str]]] = []
    out: list[Finding] = []
    for f in findings:
        if f.rule_id == CONFIG_ID:
            for e in f.evidence:
                if e.kind == "mapped-extensions":
                    folder = posixpath.dirname(f.subject.path)
                    mappings.append((folder, set(e.excerpt.split())))
            hits = [
                (e, path, rule)
                for e in f.evidence
                if e.kind == "prepend-target"
                for path, rule in flagged.items()
                if _matches(path, e.excerpt)
            ]
            if hits:
                e, path, rule = hits[0]
                f = replace(
                    f, severity=max(f.severity, Severity.HIGH), confidence=Confidence.HIGH,
                    evidence=(*f.evidence, Evidence(
                        "correlation", e.location, sanitize(path, 300),
                        f"the prepended file is itself flagged ({rule})")),
                )  # fmt: skip
        out.append(f)
    if not mappings:
        return out
    result: list[Finding] = []
    for f in out:
        if f.rule_id in _IMAGE_RULES:
            ext = extension(f.subject.path).lstrip(".")
            for folder, exts in mappings:
                if f.subject.path.startswith(folder.rstrip("/") + "/") and (
                    "*" in exts or ext in exts
                ):
                    f = replace(
                        f, confidence=Confidence.HIGH,
                        evidence=(*f.evidence, Evidence(
                            "correlation", Location(folder), "",
                            f"an .htaccess in {sanitize(folder, 200)} makes this file executable")),
                    )  # fmt: skip
                    break
        result.append(f)
    return result
