"""YARA-X rule loading, validation, caching and scanning.

Built-in rules live in ``sscguard/data/rules/<group>/SSC-<sub>-<nnn>.yar``: one rule per file
whose metadata carries the rule's ID, ATT&CK references, severity, confidence, why and
remediation. Users' packs (``--rules DIR``) are compiled in a namespace per file with the
LOKI-compatible external variables ``filename``, ``filepath``, ``extension`` and ``filetype``;
a file that does not compile is reported as skipped and the rest of the pack is used.

A built-in rule file may start with *part* rules, ``<IDENTIFIER>__<name>`` without metadata,
that the main rule's condition names: a branch with a tighter ``filesize`` bound than the
rest goes into a part of its own, because YARA-X skips verifying a rule's strings in files
outside the bound its whole condition sets (``A or (B and filesize < 12KB)`` bounds nothing).
A part's hit is reported as the main rule's, with the part's matched strings as evidence.

Compiled rules are cached on disk, keyed by a hash of every rule source and the YARA-X
version. The cache is only trusted when it belongs to the current user and nobody else can
write it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sscguard import attack
from sscguard.errors import RuleError
from sscguard.model import AttackRef, Confidence, Severity, SkipCode, Skipped

log = logging.getLogger(__name__)

BUILTIN_NAMESPACE = "sscguard"
#: matches kept per string when only built-in rules are loaded: the Matcher reports the first
#: three of each string and no built-in condition counts more (tests/test_rule_cost.py checks
#: it); a string that reached the cap is not verified again, which saves ~0.6 CPU-s of the
#: ~7 of the corpus pass (1000 kept every `<%` of a page, `$_POST` of a PHP file, ...)
BUILTIN_MAX_MATCHES = 3
GATE_NAMESPACE = "sscguard_gate"  # internal rules: matched, never reported (see data/gates)
PART_SEPARATOR = "__"  # SSC_003_011__k2: a part of built-in rule SSC_003_011 (see above)
EXTERNALS = ("filename", "filepath", "extension", "filetype")
META_KEYS = (
    "id",
    "title",
    "technique",
    "data_component",
    "mitigations",
    "severity",
    "confidence",
    "language",
    "why",
    "remediation",
)
LANGUAGES = ("php", "jsp", "asp", "aspx", "any")
_ID_RE = re.compile(r"^SSC-(00[0-6])-(\d{3})$")
_RULE_FILE_SUFFIXES = (".yar", ".yara")


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What sscguard knows about a rule, built-in or user-supplied."""

    id: str
    identifier: str  # the YARA identifier
    namespace: str
    title: str
    attack: tuple[AttackRef, ...]
    severity: Severity
    confidence: Confidence
    language: str
    why: str
    remediation: str
    source: str  # file the rule came from
    builtin: bool


@dataclass(frozen=True, slots=True)
class PatternHit:
    identifier: str
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: RuleInfo
    patterns: tuple[PatternHit, ...]


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Compiled rules plus their metadata, keyed by (namespace, identifier)."""

    compiled_blob: bytes
    infos: dict[tuple[str, str], RuleInfo]
    version: str  # hash of all sources
    skipped: tuple[Skipped, ...]
    #: part rule (namespace, identifier) -> its main rule's (namespace, identifier)
    parts: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.infos)


# -- metadata ------------------------------------------------------------------------------


def _meta_line(source: str, identifier: str) -> int:
    match = re.search(
        rf"^\s*(?:private\s+|global\s+)*rule\s+{re.escape(identifier)}\b", source, re.M
    )
    return source.count("\n", 0, match.start()) + 1 if match else 1


def builtin_info(
    identifier: str, meta: Sequence[tuple[str, Any]], source_name: str, source: str
) -> RuleInfo:
    """Validate a built-in rule's metadata; raise ``RuleError`` with file:line on a problem."""
    where = f"{source_name}:{_meta_line(source, identifier)}"
    values: dict[str, str] = {}
    for key, raw in meta:
        # YARA-X returns a meta string with escape sequences as bytes
        value = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        if key not in META_KEYS:
            raise RuleError(where, f"unknown meta key {key!r} (allowed: {', '.join(META_KEYS)})")
        if not isinstance(value, str) or not value.strip():
            raise RuleError(where, f"meta {key!r} must be a non-empty string")
        if key in values:
            raise RuleError(where, f"meta {key!r} given twice")
        values[key] = value.strip()
    missing = [k for k in META_KEYS if k not in values]
    if missing:
        raise RuleError(where, f"missing meta: {', '.join(missing)}")
    rule_id = values["id"]
    if not _ID_RE.match(rule_id):
        raise RuleError(where, f"rule id {rule_id!r} is not of the form SSC-00N-NNN")
    if identifier != rule_id.replace("-", "_"):
        raise RuleError(where, f"rule identifier {identifier} must be {rule_id.replace('-', '_')}")
    if Path(source_name).stem != rule_id:
        raise RuleError(where, f"file name must be {rule_id}.yar")
    try:
        severity = Severity.parse(values["severity"])
        confidence = Confidence.parse(values["confidence"])
    except ValueError as exc:
        raise RuleError(where, str(exc)) from None
    if values["language"] not in LANGUAGES:
        raise RuleError(where, f"language must be one of {', '.join(LANGUAGES)}")
    mitigations = tuple(m.strip() for m in values["mitigations"].split(",") if m.strip())
    refs = []
    for technique in (t.strip() for t in values["technique"].split(",")):
        ref = AttackRef(technique, values["data_component"], mitigations)
        problems = attack.validate_ref(ref)
        if problems:
            raise RuleError(where, "; ".join(problems))
        refs.append(ref)
    return RuleInfo(
        id=rule_id,
        identifier=identifier,
        namespace=BUILTIN_NAMESPACE,
        title=values["title"],
        attack=tuple(refs),
        severity=severity,
        confidence=confidence,
        language=values["language"],
        why=values["why"],
        remediation=values["remediation"],
        source=source_name,
        builtin=True,
    )


def user_info(
    identifier: str, namespace: str, meta: Sequence[tuple[str, Any]], source: str
) -> RuleInfo:
    """Map a third-party rule's metadata (LOKI-style `score` and `description`) onto ours."""
    values = {k: v.decode("utf-8", "replace") if isinstance(v, bytes) else v for k, v in meta}
    score = values.get("score")
    if isinstance(score, int) and not isinstance(score, bool):
        severity = (
            Severity.HIGH if score >= 75 else Severity.MEDIUM if score >= 40 else Severity.LOW
        )
    else:
        severity = Severity.MEDIUM
    description = values.get("description")
    title = str(description) if isinstance(description, str) and description else identifier
    rule_id = f"YARA:{namespace}:{identifier}"
    return RuleInfo(
        id=rule_id,
        identifier=identifier,
        namespace=namespace,
        title=title[:200],
        attack=(attack.ref("T1505.003", "DS0022 File Creation", "M1047"),),
        severity=severity,
        confidence=Confidence.MEDIUM,
        language="any",
        why=f"The file matches the user-supplied YARA rule {identifier} from {Path(source).name}.",
        remediation=(
            "Review the file against the rule's reference; if it is a web shell, isolate the "
            "host, preserve the file and the web server logs, and remove it."
        ),
        source=source,
        builtin=False,
    )


# -- sources -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleSource:
    name: str  # path or package resource name
    text: str
    builtin: bool


def gate_sources() -> list[RuleSource]:
    """Internal gate rules that tell the code analysers which files to parse."""
    root = resources.files("sscguard") / "data" / "gates"
    return [
        RuleSource(f"gates/{item.name}", item.read_text("utf-8"), True)
        for item in sorted(root.iterdir(), key=lambda p: p.name)
        if item.name.endswith(_RULE_FILE_SUFFIXES)
    ]


def builtin_sources() -> list[RuleSource]:
    root = resources.files("sscguard") / "data" / "rules"
    out: list[RuleSource] = []
    for group in sorted(root.iterdir(), key=lambda p: p.name):
        if not group.is_dir():
            continue
        for item in sorted(group.iterdir(), key=lambda p: p.name):
            if item.name.endswith(_RULE_FILE_SUFFIXES):
                out.append(RuleSource(f"{group.name}/{item.name}", item.read_text("utf-8"), True))
    return out


def user_sources(dirs: Iterable[str]) -> tuple[list[RuleSource], list[Skipped]]:
    """Rule files from users' folders (or single files); unreadable ones become skips."""
    found: list[RuleSource] = []
    skipped: list[Skipped] = []
    for base in dirs:
        path = Path(base)
        if path.is_file():
            files = [path]
        elif path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in _RULE_FILE_SUFFIXES and p.is_file()
            )
        else:
            raise RuleError(base, "rules path does not exist")
        for file in files:
            try:
                raw = file.read_bytes()
            except OSError as exc:
                skipped.append(
                    Skipped(str(file), SkipCode.UNREADABLE, f"rule file: {exc.strerror}")
                )
                continue
            found.append(RuleSource(str(file), raw.decode("utf-8", "replace"), False))
    return found, skipped


def _namespace_for(source: RuleSource, index: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9_]", "_", Path(source.name).stem) or "rules"
    return f"u{index}_{stem}"


# -- compiling -----------------------------------------------------------------------------


def _yara_version() -> str:
    try:
        from importlib.metadata import version

        return version("yara-x")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "unknown"


def _sources_digest(sources: Sequence[RuleSource]) -> str:
    digest = hashlib.sha256(_yara_version().encode())
    for src in sources:
        digest.update(src.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(src.text.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _compile(
    builtin: Sequence[RuleSource],
    extra: Sequence[RuleSource],
    gates: Sequence[RuleSource] = (),
) -> tuple[Any, list[Skipped]]:
    """Built-in rules must compile; a user file that does not is skipped with the reason."""
    import yara_x

    compiler = yara_x.Compiler()
    for name in EXTERNALS:
        compiler.define_global(name, "")
    if builtin:
        compiler.new_namespace(BUILTIN_NAMESPACE)
    for src in builtin:
        try:
            compiler.add_source(src.text, origin=src.name)
        except yara_x.CompileError as exc:
            raise RuleError(src.name, f"does not compile: {exc}") from None
    if gates:
        compiler.new_namespace(GATE_NAMESPACE)
    for src in gates:
        try:
            compiler.add_source(src.text, origin=src.name)
        except yara_x.CompileError as exc:
            raise RuleError(src.name, f"does not compile: {exc}") from None
    skipped: list[Skipped] = []
    for index, src in enumerate(extra):
        compiler.new_namespace(_namespace_for(src, index))
        try:
            compiler.add_source(src.text, origin=src.name)
        except yara_x.CompileError as exc:
            text = str(exc).strip()
            first = text.splitlines()[0] if text else "compile error"
            skipped.append(
                Skipped(src.name, SkipCode.UNSUPPORTED, f"rule file not loaded: {first}")
            )
    return compiler.build(), skipped


def compile_rules(
    user_dirs: Sequence[str] = (),
    *,
    builtin: bool = True,
    cache_dir: str | None = None,
    sources: Sequence[RuleSource] | None = None,
    gates: bool = True,
) -> RuleSet:
    """Built-in rules (strictly validated) plus users' rules (leniently) as one ``RuleSet``.

    ``gates=False`` leaves out the code analysers' gate rules (data/gates): a scan without
    code analysis never reads them, and they cost about a fifth of the YARA-X pass.

    The compiled form is cached on disk keyed by the hash of every source and the YARA-X
    version, together with the list of user files that failed to compile.
    """

    if sources is None:
        sources = builtin_sources() if builtin else []
    gate_rules = gate_sources() if builtin and gates else []
    extra, skipped = user_sources(user_dirs)
    version = _sources_digest([*sources, *gate_rules, *extra])
    # A cache hit never loads the compiled rules in this process (the workers do): their
    # listing is cached beside them, and loading them here would keep ~15 MB resident.
    names = {_namespace_for(s, i): s for i, s in enumerate(extra)}
    known = {BUILTIN_NAMESPACE, GATE_NAMESPACE, *names}
    cached = _read_cache(version, cache_dir)
    if cached is not None and all(ns in known for ns, _, _ in cached[2]):
        blob, compile_skips, listing = cached
    else:  # no cache, or a listing that does not fit these sources: compile
        rules, compile_skips = _compile(sources, extra, gate_rules)
        buffer = io.BytesIO()
        rules.serialize_into(buffer)
        blob = buffer.getvalue()
        listing = [(r.namespace, r.identifier, tuple(r.metadata)) for r in rules]
        del rules
        _write_cache(version, cache_dir, blob, compile_skips, listing)

    infos: dict[tuple[str, str], RuleInfo] = {}
    parts: dict[tuple[str, str], tuple[str, str]] = {}
    ids: dict[str, str] = {}
    for namespace, identifier, meta in listing:
        if namespace == GATE_NAMESPACE:
            continue  # internal, never reported
        main, separator, _ = identifier.partition(PART_SEPARATOR)
        if namespace == BUILTIN_NAMESPACE and separator:
            src = _source_of(identifier, sources)
            if meta:
                raise RuleError(src.name, f"part rule {identifier} must carry no meta")
            if not re.search(rf"\brule\s+{re.escape(main)}\b", src.text):
                raise RuleError(src.name, f"part rule {identifier} without rule {main}")
            parts[(namespace, identifier)] = (namespace, main)
            continue
        if namespace == BUILTIN_NAMESPACE:
            src = _source_of(identifier, sources)
            info = builtin_info(identifier, meta, src.name, src.text)
            if info.id in ids:
                raise RuleError(src.name, f"duplicate rule id {info.id} (also in {ids[info.id]})")
            ids[info.id] = src.name
        else:
            info = user_info(identifier, namespace, meta, names[namespace].name)
        infos[(namespace, identifier)] = info
    return RuleSet(blob, infos, version[:16], tuple(skipped + compile_skips), parts)


def _source_of(identifier: str, sources: Sequence[RuleSource]) -> RuleSource:
    pattern = re.compile(rf"\brule\s+{re.escape(identifier)}\b")
    for src in sources:
        if pattern.search(src.text):
            return src
    raise RuleError(
        identifier, "compiled rule not found in any built-in source"
    )  # pragma: no cover


# -- cache ---------------------------------------------------------------------------------


def _cache_path(version: str, cache_dir: str | None) -> Path:
    base = cache_dir or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sscguard" / f"rules-{version[:32]}.yarx"


def _trusted(path: Path) -> bool:
    """Only reuse a cache file we own that no one else can write: it holds compiled code."""
    try:
        for item, want_file in ((path, True), (path.parent, False)):
            st = item.lstat()
            if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False
            if want_file and not stat.S_ISREG(st.st_mode):
                return False
    except OSError:
        return False
    return True


#: a rule as the cache lists it: namespace, identifier, metadata (key, value) pairs
Listed = tuple[str, str, tuple[tuple[str, Any], ...]]


def _meta_out(value: Any) -> list[Any]:
    # YARA-X gives a meta string with escape sequences as bytes; JSON has no bytes
    return ["b", value.hex()] if isinstance(value, bytes) else ["v", value]


def _meta_in(raw: list[Any]) -> Any:
    kind, value = raw
    if kind == "b":
        return bytes.fromhex(value)
    if kind != "v" or not isinstance(value, str | int | float | bool):
        raise ValueError(f"bad cached meta value {raw!r}")
    return value


def _read_cache(
    version: str, cache_dir: str | None
) -> tuple[bytes, list[Skipped], list[Listed]] | None:
    path = _cache_path(version, cache_dir)
    side = path.with_suffix(".json")
    if not (_trusted(path) and _trusted(side)):
        return None
    try:
        blob = path.read_bytes()
        raw = json.loads(side.read_text("utf-8"))
        skips = [
            Skipped(str(s["source"]), SkipCode(s["code"]), str(s["reason"])) for s in raw["skips"]
        ]
        listing: list[Listed] = [
            (str(ns), str(ident), tuple((str(k), _meta_in(v)) for k, v in meta))
            for ns, ident, meta in raw["rules"]
        ]
    except (OSError, ValueError, KeyError, TypeError):  # also an older cache's side file
        return None
    return blob, skips, listing


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    tmp.replace(path)


def _write_cache(
    version: str,
    cache_dir: str | None,
    blob: bytes,
    skips: list[Skipped],
    listing: list[Listed],
) -> None:
    path = _cache_path(version, cache_dir)
    side = {
        "skips": [{"source": s.source, "code": s.code.value, "reason": s.reason} for s in skips],
        "rules": [[ns, ident, [[k, _meta_out(v)] for k, v in meta]] for ns, ident, meta in listing],
    }
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_atomic(path.with_suffix(".json"), json.dumps(side).encode())
        _write_atomic(path, blob)
    except OSError as exc:
        log.debug("rule cache not written: %s", exc)


class Matcher:
    """A YARA-X scanner over a ``RuleSet``; one per process (it is not thread-safe)."""

    def __init__(self, ruleset: RuleSet, timeout_s: int = 30) -> None:
        import yara_x

        self._infos = ruleset.infos
        self._parts = ruleset.parts
        #: Built-in rules and gates never read the LOKI externals (a test compiles them with
        #: none defined), so they are computed and set per file only for users' rules.
        self.uses_externals = any(not info.builtin for info in ruleset.infos.values())
        rules = yara_x.Rules.deserialize_from(io.BytesIO(ruleset.compiled_blob))
        self._scanner = yara_x.Scanner(rules)
        self._scanner.set_timeout(timeout_s)
        if not self.uses_externals:
            # Built-in rules and gates count at most 3 matches of a string and report the
            # first few: without a cap one 1 MB page matched a gate string 268,000 times and
            # took 76 MB. Users' rule packs keep YARA-X's default (they may count more).
            self._scanner.max_matches_per_pattern(BUILTIN_MAX_MATCHES)
        #: internal gate rules matched by the last scan (see data/gates)
        self.gates: frozenset[str] = frozenset()
        self._timeout_error: type[Exception] = yara_x.TimeoutError
        self._scan_error: type[Exception] = yara_x.ScanError

    def match(self, data: bytes, externals: dict[str, str]) -> list[RuleHit]:
        """Rules matching ``data``; raises ``MatchError`` on a timeout or scan error."""
        if self.uses_externals:
            for name, value in externals.items():
                self._scanner.set_global(name, value)
        try:
            results = self._scanner.scan(data)
        except self._timeout_error:
            raise MatchError("YARA-X scan timed out") from None
        except self._scan_error as exc:
            raise MatchError(f"YARA-X scan failed: {exc}") from None
        hits = []
        gates = set()
        from_parts: dict[tuple[str, str], list[PatternHit]] = {}
        for rule in results.matching_rules:
            if rule.namespace == GATE_NAMESPACE:
                gates.add(rule.identifier)
                continue
            key = (rule.namespace, rule.identifier)
            patterns = tuple(
                PatternHit(p.identifier, m.offset, m.length)
                for p in rule.patterns
                for m in p.matches[:3]
            )
            main = self._parts.get(key)
            if main is not None:  # parts come first in their file, the main rule matches too
                from_parts.setdefault(main, []).extend(patterns)
                continue
            info = self._infos.get(key)
            if info is None:  # pragma: no cover - every compiled rule has an info
                continue
            hits.append(RuleHit(info, patterns + tuple(from_parts.pop(key, ()))))
        self.gates = frozenset(gates)
        return hits


class MatchError(Exception):
    """A scan that could not complete on one input."""
