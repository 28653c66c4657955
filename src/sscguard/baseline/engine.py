"""init, verify and accept: walking, hashing, dpkg, signatures and the content scanner, wired.

verify re-hashes only what needs it: entries whose stat (dev, inode, mode, owner, size, mtime,
ctime) differs from the baseline, entries whose baseline timestamps fall within the timestamp
granularity of the moment the baseline began (they may have changed after being hashed), and a
random sample (drawn afresh each run from the system's CSPRNG, so an attacker cannot predict
which files escape) of everything else; ``full`` re-hashes all. It streams: the walk and the
stored rows are merge-joined in key order, so memory does not grow with the tree.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import random
import socket
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sscguard import __version__
from sscguard.baseline import checks, collect, diff, dpkg
from sscguard.baseline.checks import PathFacts
from sscguard.baseline.collect import Job
from sscguard.baseline.locations import (
    ComponentLocation,
    host_to_disk,
    key_path,
    kind_of,
    normalise,
    path_key,
    walk_roots,
)
from sscguard.baseline.records import (
    DIR,
    FILE,
    GRANULARITY_NS,
    PKG_MODIFIED,
    PKG_OK,
    PKG_OWNED,
    PKG_UNKNOWN,
    PKG_UNOWNED,
    FileRecord,
    ftype_of,
    stat_changed,
)
from sscguard.baseline.store import (
    BaselineError,
    BaselineReader,
    BaselineWriter,
    row_record,
    stat_blob,
)
from sscguard.config import ScanConfig
from sscguard.extract.files import FileEntry, display_path
from sscguard.model import Finding, ResultDocument, SkipCode, Skipped, sort_findings

log = logging.getLogger(__name__)


def now_iso() -> str:
    from sscguard.scan import now_iso as _now

    return _now()


@dataclass(frozen=True, slots=True)
class Sample:
    """How much of the unchanged tree to re-hash anyway: a count or a fraction."""

    count: int = 0
    fraction: float = 0.01

    def probability(self, total: int) -> float:
        if total <= 0:
            return 0.0
        if self.count:
            return min(1.0, self.count / total)
        return min(1.0, max(0.0, self.fraction))


def parse_sample(text: str) -> Sample:
    text = text.strip()
    if text.endswith("%"):
        value = float(text[:-1])
        if not 0 <= value <= 100:
            raise ValueError("a sample percentage is between 0% and 100%")
        return Sample(fraction=value / 100)
    count = int(text)
    if count < 0:
        raise ValueError("a sample count is not negative")
    return Sample(count=count, fraction=0.0)


@dataclass(slots=True)
class RunState:
    """What a run collects besides findings."""

    skipped: list[Skipped] = field(default_factory=list)
    stats: dict[str, int | float] = field(default_factory=dict)

    def bump(self, key: str, n: int = 1) -> None:
        self.stats[key] = int(self.stats.get(key, 0)) + n


# -- content scanner ------------------------------------------------------------------------


class ContentScanner:
    """The web-shell content scanner (``sscguard.scan.analyse_file``), compiled once, lazily."""

    def __init__(self, config: ScanConfig) -> None:
        self.config = config
        self._matcher: Any = None
        self.rules_version = ""
        self.skipped: list[Skipped] = []

    def _ready(self) -> Any:
        if self._matcher is None:
            from sscguard.rules.yara import Matcher, compile_rules

            ruleset = compile_rules(self.config.rules)
            self.skipped.extend(ruleset.skipped)
            self.rules_version = ruleset.version
            self._matcher = Matcher(ruleset)
        return self._matcher

    def warm_up(self) -> None:
        self._ready()

    def scan(self, disk: str, rec: FileRecord) -> tuple[list[Finding], list[Skipped]]:
        from sscguard.scan import analyse_file

        entry = FileEntry(disk, rec.dev, rec.ino, rec.size, rec.mtime_ns)
        try:
            result = analyse_file(entry, self._ready(), self.config.max_file_size)
        except Exception as exc:  # one bad file must never end the run
            log.debug("content scan failed on %r", disk, exc_info=True)
            return [], [
                Skipped(display_path(disk), SkipCode.ERROR, f"content scan failed: {exc!r}")
            ]
        return result.findings, result.skipped


# -- package state --------------------------------------------------------------------------


def package_state(
    owner: dpkg.Owner | None, present: bool, rec: FileRecord, md5: bytes | None
) -> tuple[str | None, str]:
    if not present:
        return None, PKG_UNKNOWN
    if owner is None:
        return None, PKG_UNOWNED
    if rec.ftype != FILE or owner.md5 is None or md5 is None:
        return owner.package, PKG_OWNED
    return owner.package, PKG_OK if md5 == owner.md5 else PKG_MODIFIED


def _complete(rec: FileRecord, hashed: collect.Hashed | None) -> FileRecord:
    if hashed is None:
        return rec
    return replace(rec, sha256=hashed.sha256, signature=hashed.signature, error=hashed.error)


def _signature_reason(loc: ComponentLocation | None, state: str | None) -> str | None:
    """Signature states are reasons only for PE files in component locations."""
    if state is None or state.startswith(("signed:", "not-pe:")):
        return None
    return state if loc is not None else None


def _base_meta(
    root: str, locations: Sequence[ComponentLocation], started_ns: int
) -> dict[str, str]:
    from sscguard.baseline.store import SCHEMA_VERSION, encode_locations

    return {
        "schema_version": str(SCHEMA_VERSION),
        "created": now_iso(),
        "started_ns": str(started_ns),
        "root": display_path(os.path.abspath(root)),
        "locations": encode_locations(locations),
        "tool_version": __version__,
        "host": socket.gethostname(),
        "generation": "1",
    }


def _document(
    command: str,
    started: str,
    targets: Sequence[str],
    findings: list[Finding],
    state: RunState,
    config: ScanConfig,
    rules_version: str,
) -> ResultDocument:
    ordered = sort_findings(findings)
    shown = tuple(f for f in ordered if f.severity >= config.min_severity)
    state.stats["findings"] = len(shown)
    state.stats["findings_below_threshold"] = len(ordered) - len(shown)
    state.stats["skipped"] = len(state.skipped)
    return ResultDocument(
        tool_version=__version__,
        rules_version=rules_version,
        command=command,
        started=started,
        finished=now_iso(),
        host=socket.gethostname(),
        targets=tuple(targets),
        findings=shown,
        skipped=tuple(sorted(state.skipped, key=lambda s: (s.source, s.code.value))),
        stats=dict(state.stats),
    )


# -- init -----------------------------------------------------------------------------------


def init(
    root: str,
    db: str,
    locations: Sequence[ComponentLocation],
    config: ScanConfig,
    command: str = "sscguard baseline init",
) -> ResultDocument:
    """Take a new baseline of ``locations`` under ``root`` and replace ``db`` atomically.

    Reports what is already wrong at baseline time: package files that differ from dpkg's
    digest, modules no package installed, unsigned or badly signed PE components.
    """
    started = now_iso()
    clock = time.monotonic()
    started_ns = time.time_ns()
    locations = normalise(locations)
    roots = walk_roots(locations)
    if not roots:
        raise BaselineError("no component locations exist under the root; name some with --path")
    state = RunState()
    packages = dpkg.load(root, roots)
    for problem in packages.problems:
        state.skipped.append(Skipped("dpkg", SkipCode.UNREADABLE, problem))
    findings: list[Finding] = []

    def jobs() -> Iterator[Job]:
        for key, st, link in collect.walk(root, roots, state.skipped):
            rec = collect.record_of(key, st, link)
            owner = packages.owners.get(key.replace(b"\0", b"/")) if packages.present else None
            yield Job(
                rec,
                host_to_disk(root, rec.path) if rec.ftype == FILE else "",
                want_hash=rec.ftype == FILE,
                want_md5=owner is not None and owner.md5 is not None,
                payload=owner,
            )

    def records() -> Iterator[FileRecord]:
        for job in collect.hash_stream(jobs(), config.jobs):
            assert job.rec is not None
            rec = _complete(job.rec, job.hashed)
            state.bump("entries")
            if job.hashed is not None:
                state.bump("files_hashed")
                state.bump("bytes_hashed", rec.size)
                if job.hashed.error:
                    state.skipped.append(
                        Skipped(display_path(job.disk), SkipCode.UNREADABLE, job.hashed.error)
                    )
            md5 = job.hashed.md5 if job.hashed else None
            package, pkg_state = package_state(job.payload, packages.present, rec, md5)
            rec = replace(rec, package=package, pkg_state=pkg_state)
            finding = _package_finding(rec, job, locations)
            if finding is not None:
                findings.append(finding)
            yield rec

    with BaselineWriter(db) as writer:
        writer.set_meta(_base_meta(root, locations, started_ns))
        writer.write(records())
        writer.set_meta({"entries": str(writer.rows_written)})
        writer.commit()
    state.stats["duration_s"] = round(time.monotonic() - clock, 3)
    return _document(command, started, roots, findings, state, config, "")


def _package_finding(
    rec: FileRecord, job: Job, locations: Sequence[ComponentLocation]
) -> Finding | None:
    """Init-time reasons: modified package file, unowned module, signature state."""
    if rec.ftype != FILE:
        return None
    head = job.hashed.head if job.hashed else b""
    loc = kind_of(rec.path, locations)
    unowned_module = (
        rec.pkg_state == PKG_UNOWNED
        and loc is not None
        and loc.kind in checks.MODULE_KINDS
        and checks.is_module(rec.path, head)
    )
    signature = _signature_reason(loc, rec.signature)
    if rec.pkg_state != PKG_MODIFIED and not unowned_module and signature is None:
        return None
    facts = PathFacts(
        path=display_path(job.disk),
        old=None,
        new=rec,
        location=loc,
        head=head,
        package_modified=rec.pkg_state == PKG_MODIFIED,
        unowned_module=unowned_module,
        signature=signature,
    )
    return checks.finding_for(facts)


# -- verify ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Pair:
    old: FileRecord | None
    sampled: bool = False


@dataclass(frozen=True, slots=True)
class Change:
    """A path whose current state differs from its baseline record."""

    disk: str
    old: FileRecord | None
    new: FileRecord | None  # complete (hashed when it was re-hashed)
    drifts: tuple[diff.Drift, ...]
    head: bytes = b""
    md5: bytes | None = None


# A candidate: (kind, key, lstat, link, sampled, want_hash); kind is "removed", "added" or
# "changed" (stat differs, or re-hashed by the granularity rule or the sample).
Candidate = tuple[str, bytes, "os.stat_result | None", "str | None", bool, bool]

PARALLEL_ABOVE = 20000  # stored entries: below this one process walks everything


def _candidates(
    walked: Iterator[collect.Walked],
    rows: Iterator[tuple[bytes, bytes]],
    edge: int,
    p_sample: float,
    full: bool,
    rng: random.Random,
    counts: dict[str, int],
) -> Iterator[Candidate]:
    """Merge-join the walk with the stored rows; yield only what needs a closer look."""
    row = next(rows, None)
    item = next(walked, None)
    entries = granular = 0
    while row is not None or item is not None:
        if item is None or (row is not None and row[0] < item[0]):
            assert row is not None
            yield ("removed", row[0], None, None, False, False)
            row = next(rows, None)
            continue
        key, st, link = item
        entries += 1
        if row is None or row[0] > key:
            yield ("added", key, st, link, False, True)
            item = next(walked, None)
            continue
        mode = st.st_mode
        ftype = ftype_of(mode)
        same = row[1] == stat_blob(
            ftype,
            mode & 0o7777,
            st.st_uid,
            st.st_gid,
            st.st_size,
            st.st_ino,
            st.st_dev,
            st.st_mtime_ns,
            st.st_ctime_ns,
            link,
        )
        want = sampled = False
        if ftype == FILE:
            if full or not same:
                want = True
            elif st.st_mtime_ns >= edge or st.st_ctime_ns >= edge:
                want = True
                granular += 1
            elif p_sample and rng.random() < p_sample:
                want = sampled = True
        if want or not same:
            yield ("changed", key, st, link, sampled, want)
        row = next(rows, None)
        item = next(walked, None)
    counts["entries"] = counts.get("entries", 0) + entries
    counts["rehashed_granularity"] = counts.get("rehashed_granularity", 0) + granular


def _walk_units(
    root: str, units: Sequence[tuple[str, bool]], skipped: list[Skipped]
) -> Iterator[collect.Walked]:
    """Walk units in order: ``(host, True)`` a whole subtree, ``(host, False)`` one entry."""
    for host, tree in units:
        if tree:
            yield from collect.walk(root, [host], skipped)
            continue
        disk = host_to_disk(root, host)
        try:
            st = os.lstat(disk)
        except OSError:
            continue
        link = os.readlink(disk) if st.st_mode & 0o170000 == 0o120000 else None
        yield path_key(host), st, link


def _scan_range(
    root: str,
    db: str,
    units: list[tuple[str, bool]],
    lo: bytes,
    hi: bytes | None,
    edge: int,
    p_sample: float,
    full: bool,
) -> tuple[list[Candidate], list[Skipped], dict[str, int]]:
    """One worker's share of a parallel verify: its units against its key range of rows."""
    skipped: list[Skipped] = []
    counts: dict[str, int] = {}
    rng = random.Random(os.urandom(32))  # noqa: S311 - unpredictable seed, cheap draws
    with BaselineReader(db) as reader:
        rows = reader.stat_rows_between(lo, hi)
        found = list(
            _candidates(_walk_units(root, units, skipped), rows, edge, p_sample, full, rng, counts)
        )
    return found, skipped, counts


def _split(
    root: str, reader: BaselineReader, roots: Sequence[str], parts: int
) -> list[list[tuple[str, bool]]]:
    """Contiguous groups of walk units (each root entry alone, then each child subtree, present
    now or in the baseline) with about the same number of stored rows each."""
    units: list[tuple[str, bool]] = []
    for host in roots:
        units.append((host, False))
        key = path_key(host)
        children = set(reader.child_keys(key))
        disk = host_to_disk(root, host)
        try:
            if os.path.isdir(disk) and not os.path.islink(disk):
                prefix = b"" if key == b"\0" else key
                children.update(prefix + b"\0" + os.fsencode(n) for n in os.listdir(disk))
        except OSError:
            pass
        units.extend((key_path(k), True) for k in sorted(children))
    weights = [reader.count_below(path_key(h)) if tree else 1 for h, tree in units]
    total = sum(weights) or 1
    groups: list[list[tuple[str, bool]]] = [[]]
    acc = 0
    for unit, weight in zip(units, weights, strict=True):
        if len(groups) < parts and groups[-1] and acc >= total * len(groups) / parts:
            groups.append([])
        groups[-1].append(unit)
        acc += weight
    return groups


def _parallel_candidates(
    root: str,
    reader: BaselineReader,
    roots: Sequence[str],
    parts: int,
    edge: int,
    p_sample: float,
    full: bool,
    state: RunState,
    counts: dict[str, int],
) -> list[Candidate]:
    """Walk and compare in ``parts`` processes (the walk is CPU-bound Python), key-ordered."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    groups = [g for g in _split(root, reader, roots, parts) if g]
    bounds = [path_key(g[0][0]) for g in groups]
    out: list[Candidate] = []
    # fork: no threads are running yet, and the child opens its own database connection.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(groups), mp_context=context) as pool:
        futures = [
            pool.submit(
                _scan_range,
                root,
                reader.path,
                group,
                bounds[i],
                bounds[i + 1] if i + 1 < len(bounds) else None,
                edge,
                p_sample,
                full,
            )
            for i, group in enumerate(groups)
        ]
        for future in futures:
            found, skipped, part_counts = future.result()
            out.extend(found)
            state.skipped.extend(skipped)
            for name, value in part_counts.items():
                counts[name] = counts.get(name, 0) + value
    return out


def changes(
    root: str,
    reader: BaselineReader,
    roots: Sequence[str],
    stored: Iterable[tuple[bytes, bytes]] | None,
    state: RunState,
    threads: int,
    sample: Sample,
    full: bool,
    stat_only: bool = False,
) -> Iterator[Change]:
    """Stream the paths that differ from the baseline (stat first, re-hash when needed).

    ``stored`` are ``(key, stat blob)`` pairs in key order covering ``roots``, or ``None`` for
    the whole baseline (then a large tree is walked by ``threads`` processes). Most entries are
    settled by one comparison of the stored blob with the fresh lstat's, without building any
    object. With ``stat_only``, entries whose stat changed but whose content did not are
    yielded too (with no drifts), so that ``accept`` can refresh their stored stat.
    """
    edge = reader.started_ns - GRANULARITY_NS
    p_sample = 0.0 if full else sample.probability(reader.count())
    counts: dict[str, int] = {}
    candidates: Iterable[Candidate]
    if stored is None and threads > 1 and reader.count() > PARALLEL_ABOVE:
        candidates = _parallel_candidates(
            root, reader, roots, min(threads, 8), edge, p_sample, full, state, counts
        )
    else:
        rng = random.Random(os.urandom(32))  # noqa: S311 - unpredictable seed, cheap draws
        rows = iter(stored) if stored is not None else reader.stat_rows()
        candidates = _candidates(
            collect.walk(root, roots, state.skipped), rows, edge, p_sample, full, rng, counts
        )

    def jobs() -> Iterator[Job]:
        for kind, key, st, link, sampled, want in candidates:
            if kind == "removed" or st is None:
                yield Job(None, "", payload=_Pair(row_record(reader.raw_get(key))))
                continue
            new = collect.record_of(key, st, link)
            disk = host_to_disk(root, new.path)
            if kind == "added":
                yield Job(
                    new, disk, want_hash=new.ftype == FILE, want_md5=True, payload=_Pair(None)
                )
                continue
            old = row_record(reader.raw_get(key))
            yield Job(new, disk, want_hash=want, want_md5=want, payload=_Pair(old, sampled))

    try:
        yield from _settle(collect.hash_stream(jobs(), threads), state, stat_only)
    finally:
        for name, value in counts.items():
            state.bump(name, value)


def _settle(stream: Iterator[Job], state: RunState, stat_only: bool) -> Iterator[Change]:
    for job in stream:
        pair: _Pair = job.payload
        old = pair.old
        if job.rec is None:
            assert old is not None
            yield Change("", old, None, tuple(diff.compare(old, None)))
            continue
        rec = _complete(job.rec, job.hashed)
        if job.hashed is not None:
            state.bump("files_hashed")
            state.bump("bytes_hashed", rec.size)
            if pair.sampled:
                state.bump("sampled")
            if job.hashed.error:
                state.skipped.append(
                    Skipped(display_path(job.disk), SkipCode.UNREADABLE, job.hashed.error)
                )
                continue
        drifts = tuple(diff.compare(old, rec))
        if drifts or (stat_only and old is not None and stat_changed(old, rec)):
            hashed = job.hashed
            yield Change(
                job.disk,
                old,
                rec,
                drifts,
                hashed.head if hashed else b"",
                hashed.md5 if hashed else None,
            )


def _evaluate(
    root: str,
    found: list[Change],
    locations: Sequence[ComponentLocation],
    scanner: ContentScanner,
    state: RunState,
) -> tuple[list[Finding], list[FileRecord | None]]:
    """Findings for the changes, with package state and content hits, and the new records."""
    added = [c.new.path for c in found if c.old is None and c.new is not None]
    owners = dpkg.load(root, added) if added and dpkg.database_present(root) else None
    present = dpkg.database_present(root)
    cache: dict[str, dict[bytes, bytes]] = {}

    def md5sums(package: str) -> dict[bytes, bytes]:
        if package not in cache:
            cache[package] = dpkg.package_md5s(root, package)
        return cache[package]

    findings: list[Finding] = []
    records: list[FileRecord | None] = []
    for change in found:
        new = change.new
        if new is None:
            assert change.old is not None
            loc = kind_of(change.old.path, locations)
            disk_shown = display_path(host_to_disk(root, change.old.path))
            facts = PathFacts(disk_shown, change.old, None, change.drifts, loc)
            finding = checks.finding_for(facts)
            if finding:
                findings.append(finding)
            records.append(None)
            continue
        loc = kind_of(new.path, locations)
        owner: dpkg.Owner | None = None
        if change.old is not None and change.old.package:
            owner = dpkg.Owner(change.old.package)
            if new.ftype == FILE and change.md5 is not None:
                owner.md5 = md5sums(change.old.package).get(os.fsencode(new.path))
        elif owners is not None:
            owner = owners.owner(new.path)
        package, pkg_state = package_state(owner, present, new, change.md5)
        new = replace(new, package=package, pkg_state=pkg_state)
        records.append(new)
        hits: list[Finding] = []
        content_changed = any(
            d.kind in (diff.ADDED, diff.CONTENT, diff.CONTENT_SAME_STAT, diff.TYPE)
            for d in change.drifts
        )
        if new.ftype == FILE and content_changed and new.sha256 is not None:
            hits, skipped = scanner.scan(change.disk, new)
            state.skipped.extend(skipped)
            state.bump("content_scanned")
        unowned_module = (
            pkg_state == PKG_UNOWNED
            and loc is not None
            and loc.kind in checks.MODULE_KINDS
            and new.ftype == FILE
            and checks.is_module(new.path, change.head)
            and content_changed
        )
        facts = PathFacts(
            path=display_path(change.disk),
            old=change.old,
            new=new,
            drifts=change.drifts,
            location=loc,
            head=change.head,
            content_hits=tuple(hits),
            package_modified=pkg_state == PKG_MODIFIED and content_changed,
            unowned_module=unowned_module,
            signature=_signature_reason(loc, new.signature) if content_changed else None,
        )
        finding = checks.finding_for(facts)
        if finding is not None:
            findings.append(finding)
    return findings, records


def open_baseline(db: str, pubkey: str | None, signature: str | None) -> BaselineReader:
    """Open a baseline; with ``pubkey``, refuse it unless its signature verifies."""
    reader = BaselineReader(db)
    if pubkey:
        from sscguard.baseline.sign import verify_signature

        try:
            verify_signature(reader, pubkey, signature or db + ".sig")
        except BaselineError:
            reader.close()
            raise
    return reader


def verify(
    root: str,
    db: str,
    config: ScanConfig,
    sample: Sample | None = None,
    full: bool = False,
    pubkey: str | None = None,
    signature: str | None = None,
    command: str = "sscguard baseline verify",
) -> ResultDocument:
    """Compare the component locations under ``root`` with the baseline in ``db``."""
    started = now_iso()
    clock = time.monotonic()
    with open_baseline(db, pubkey, signature) as reader:
        state = RunState()
        locations = reader.locations
        roots = walk_roots(locations)
        state.stats["baseline_entries"] = reader.count()
        found = list(
            changes(
                root,
                reader,
                roots,
                None,
                state,
                config.jobs,
                sample or Sample(),
                full,
            )
        )
        scanner = ContentScanner(config)
        findings, _ = _evaluate(root, found, locations, scanner, state)
        state.skipped.extend(scanner.skipped)
    state.stats["changed_paths"] = len(found)
    state.stats["duration_s"] = round(time.monotonic() - clock, 3)
    return _document(command, started, roots, findings, state, config, scanner.rules_version)


# -- accept ---------------------------------------------------------------------------------


def who_am_i() -> str:
    user = getpass.getuser()
    sudo = os.environ.get("SUDO_USER")
    if sudo and sudo != user:
        return f"{sudo} (via sudo as {user}, uid {os.getuid()})"
    return f"{user} (uid {os.getuid()})"


def _summary(rec: FileRecord | None) -> str | None:
    if rec is None:
        return None
    return json.dumps(
        {
            "type": rec.ftype,
            "mode": f"{rec.mode:04o}",
            "owner": f"{rec.uid}:{rec.gid}",
            "size": rec.size,
            "sha256": rec.sha256,
            "link": rec.link,
            "package": rec.package,
        },
        ensure_ascii=True,
    )


@dataclass(frozen=True, slots=True)
class AcceptResult:
    accepted: int
    entries: tuple[tuple[str, str], ...]  # (action, path)


def accept(
    root: str,
    db: str,
    paths: Sequence[str],
    reason: str,
    config: ScanConfig,
    accept_all: bool = False,
    who: str | None = None,
) -> AcceptResult:
    """Record the current state of ``paths`` (or of every change) as approved, with who, when
    and why in the append-only audit trail. The baseline is replaced atomically."""
    if not reason.strip():
        raise BaselineError("accept needs a --reason")
    who = who or who_am_i()
    with BaselineReader(db) as reader:
        locations = reader.locations
        state = RunState()
        if accept_all:
            roots = walk_roots(locations)
            stored: Iterable[tuple[bytes, bytes]] | None = None
            found = list(
                changes(
                    root, reader, roots, stored, state, config.jobs, Sample(fraction=0), False, True
                )
            )
        else:
            found = []
            for host in sorted({"/" + p.strip("/") for p in paths}, key=path_key):
                if kind_of(host, locations) is None:
                    raise BaselineError(f"{host} is not in a baseline location")
                rows = list(reader.stat_below(host))
                found.extend(
                    changes(root, reader, [host], rows, state, config.jobs, Sample(), True, True)
                )
        _, records = _evaluate(root, found, locations, ContentScanner(config), state)
        generation = int(reader.meta.get("generation", "1")) + 1
        at = now_iso()
        audit = []
        for change, rec in zip(found, records, strict=True):
            if not change.drifts:
                continue  # stat refreshed, content unchanged: nothing to approve
            kind = ",".join(d.kind for d in change.drifts)
            either = rec if rec is not None else change.old
            path = either.path if either is not None else ""
            audit.append((at, who, reason, kind, path, _summary(change.old), _summary(rec)))
        if not found:
            return AcceptResult(0, ())
        with BaselineWriter(db, copy_from=db) as writer:
            writer.delete(
                c.old.path for c, r in zip(found, records, strict=True) if r is None and c.old
            )
            writer.write(r for r in records if r is not None)
            writer.audit(audit)
            writer.set_meta({"generation": str(generation), "accepted_at": at})
            writer.commit()
    return AcceptResult(len(audit), tuple((a[3], a[4]) for a in audit))


__all__ = ["DIR", "Change", "Sample", "accept", "init", "verify"]
