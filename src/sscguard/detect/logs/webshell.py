"""Ranked web-shell analytics over access-log batches: pure, streaming, bounded memory.

The NSA/ASD "rare URI" stacking (URIs seen by few clients or user agents, rare user agents,
rare referers, referer-less successful requests) flags every page of a small site; on its own
it is not useful. Here each URI gets a score from those signals plus POST share, script
extension, first-seen time, single-client traffic, response-size variance, command-like
parameters, shell traffic shapes, uploads followed by a new script and Tomcat manager deploys.
Every component that adds to a score is kept, so a finding explains itself.

Memory: per URI a handful of counters; distinct clients and user agents per URI are kept only
until there are ``threshold + 1`` of them (then the URI is "popular" and its sets are freed);
global user-agent and referer counts are capped at ``max_keys`` entries; samples are bounded.
All per-batch work runs in pyarrow's compute kernels; Python sees only the few rows that
match a pattern and the per-URI totals at the end.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

from sscguard.model import Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import iso_time, sanitize

if TYPE_CHECKING:
    import pyarrow as pa

SCRIPT_EXT = frozenset(
    [
        "php",
        "php3",
        "php4",
        "php5",
        "php7",
        "phtml",
        "phar",
        "pht",
        "asp",
        "aspx",
        "ashx",
        "asmx",
        "asa",
        "cer",
        "cfm",
        "cfml",
        "jsp",
        "jspx",
        "jspf",
        "do",
        "action",
        "pl",
        "cgi",
        "py",
        "rb",
        "sh",
        "shtml",
    ]
)
STATIC_EXT = frozenset(
    [
        "css",
        "js",
        "mjs",
        "map",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "ico",
        "webp",
        "avif",
        "bmp",
        "woff",
        "woff2",
        "ttf",
        "eot",
        "otf",
        "txt",
        "xml",
        "json",
        "pdf",
        "zip",
        "gz",
        "mp4",
        "webm",
        "mp3",
        "ogg",
        "wav",
        "csv",
        "html",
        "htm",
    ]
)

# RE2 (pyarrow) and Python share these patterns: no look-arounds, no backreferences.
STRONG_COMMANDS = (
    r"whoami|/etc/(?:passwd|shadow|hosts)|%2fetc%2f(?:passwd|shadow)|uname(?:\+|%20| )+-a"
    r"|cmd(?:\.exe)?(?:\+|%20| )*/c|powershell|/bin/(?:ba)?sh|bash(?:\+|%20| )+-[ci]"
    r"|(?:\bnc|ncat|netcat)(?:\+|%20| )+-e|net(?:\+|%20| )+(?:user|localgroup)|ipconfig"
    r"|ifconfig|certutil|wget(?:\+|%20| )+http|curl(?:\+|%20| )+http|cat(?:\+|%20| )+/"
    r"|(?:;|%3b|\||%7c)(?:\+|%20| )*(?:id|ls|pwd|whoami)\b"
)
PARAM_NAMES = r"(?:^|&)(?:cmd|exec|execute|command|shell|run|system|passthru|c|e|z0|z1|pass)="
BASE64_BLOB = r"=(?:[A-Za-z0-9+/]|%2[bBfF]){40,}(?:=|%3[dD]){0,2}(?:&|$)"
UPLOAD_PATH = r"(?i)upload|/manager/html/upload|/manager/text/deploy|filemanager|/plupload"
MANAGER_DEPLOY = r"^/manager/(?:html/upload|text/deploy)"

_STRONG = re.compile(STRONG_COMMANDS.encode(), re.IGNORECASE)
_NAMES = re.compile(PARAM_NAMES.encode(), re.IGNORECASE)
_B64 = re.compile(BASE64_BLOB.encode())


@dataclass(frozen=True, slots=True)
class AnalyticsConfig:
    threshold: int = 5  # "rare": seen by at most this many distinct clients / user agents
    top: int = 20  # ranked candidates reported
    min_score: float = 4.0
    max_keys: int = 500_000  # cap on distinct user agents / referers / URIs kept
    max_samples: int = 3


@dataclass(frozen=True, slots=True)
class Component:
    """One reason a URI scores: its name, the points it adds and a sentence saying why."""

    name: str
    points: float
    detail: str


@dataclass(frozen=True, slots=True)
class Candidate:
    path: bytes
    score: float
    components: tuple[Component, ...]
    hits: int
    success: int
    posts: int
    clients: tuple[bytes, ...]  # empty when more than the threshold
    first_seq: int
    first_time: bytes
    first_client: bytes
    first_request: bytes
    cmd_samples: tuple[tuple[int, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class Deploy:
    seq: int
    client: bytes
    method: bytes
    path: bytes
    query: bytes
    status: int
    time: bytes


@dataclass(frozen=True, slots=True)
class UploadThen:
    upload_seq: int
    upload_path: bytes
    client: bytes
    script: bytes
    script_seq: int


@dataclass(frozen=True, slots=True)
class AccessReport:
    candidates: tuple[Candidate, ...]
    command_hits: tuple[Candidate, ...]
    deploys: tuple[Deploy, ...]
    uploads: tuple[UploadThen, ...]
    records: int
    distinct_paths: int
    truncated: tuple[str, ...] = ()
    requests: Mapping[bytes, Candidate] = field(default_factory=dict)  # every successful URI
    log_start: bytes = b""  # the time field of the first record


def extension(path: bytes) -> str:
    name = path.rsplit(b"/", 1)[-1]
    if b"." not in name:
        return ""
    return name.rsplit(b".", 1)[-1].decode("ascii", "replace").lower()


@dataclass(slots=True)
class _Upload:
    seq: int
    path: bytes


@dataclass(slots=True)
class _First:
    seq: int
    time: bytes
    client: bytes
    referer: bytes
    method: bytes
    query: bytes


_SUMS = [
    ([], "count_all"),
    ("success", "sum"),
    ("post", "sum"),
    ("get", "sum"),
    ("refless", "sum"),
    ("size", "sum"),
    ("size2", "sum"),
]
_SUM_NAMES = ["hits", "success", "post", "get", "refless", "size", "size2"]
_UPLOAD_RE = re.compile(UPLOAD_PATH.removeprefix("(?i)").encode(), re.IGNORECASE)
_DEPLOY_RE = re.compile(MANAGER_DEPLOY.encode())
_EMPTY_VALUES = (b"", b"-")
_EMPTY: Any = None
_CMD_ANY = "(?i)" + "|".join((STRONG_COMMANDS, PARAM_NAMES, BASE64_BLOB))


@dataclass(slots=True)
class AccessAnalyzer:
    """Feed it normalised batches (see ``extract.logs.access``); ``finish()`` ranks URIs."""

    config: AnalyticsConfig = field(default_factory=AnalyticsConfig)
    records: int = 0
    _aggs: list[Any] = field(default_factory=list)
    _agg_rows: int = 0
    _state: Any = None
    _first: dict[bytes, _First] = field(default_factory=dict)
    _values: dict[str, dict[bytes, set[bytes]]] = field(default_factory=dict)
    _saturated: dict[str, set[bytes]] = field(default_factory=dict)
    _counts: dict[str, list[Any]] = field(default_factory=dict)
    _count_state: dict[str, Any] = field(default_factory=dict)
    _cmd: dict[bytes, list[tuple[int, bytes]]] = field(default_factory=dict)
    _cmd_kinds: dict[bytes, set[str]] = field(default_factory=dict)
    _uploads: dict[bytes, _Upload] = field(default_factory=dict)
    _deploys: list[Deploy] = field(default_factory=list)
    _truncated: set[str] = field(default_factory=set)

    # -- streaming ---------------------------------------------------------------------------

    def feed(self, batch: pa.RecordBatch) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if batch.num_rows == 0:
            return
        global _EMPTY
        if _EMPTY is None:
            _EMPTY = pa.array(_EMPTY_VALUES, pa.binary())
        self.records += batch.num_rows
        table = pa.Table.from_batches([batch])
        if not pc.all(pc.not_equal(table["path"], b"")).as_py():
            table = table.filter(pc.not_equal(table["path"], b""))
            if table.num_rows == 0:
                return
        status = table["status"]
        success = pc.and_(pc.greater_equal(status, 200), pc.less(status, 400))
        size = pc.cast(table["size"], pa.float64())
        work = pa.table(
            {
                "path": table["path"],
                "success": success,
                "post": pc.equal(table["method"], b"POST"),
                "get": pc.equal(table["method"], b"GET"),
                "refless": pc.and_(success, pc.is_in(table["referer"], value_set=_EMPTY)),
                "size": size,
                "size2": pc.multiply(size, size),
            }
        )
        agg = work.group_by("path").aggregate(_SUMS)
        self._aggs.append(_renamed(agg))
        self._agg_rows += agg.num_rows
        if self._agg_rows > 100_000:
            self._combine_aggs()
        paths: list[bytes] = agg["path"].to_pylist()
        self._note_first(table, paths)
        self._note_values(table, paths)
        for key in ("ua", "referer"):
            counts = table.group_by(key).aggregate([([], "count_all")])
            self._counts.setdefault(key, []).append(_renamed(counts))
            if sum(t.num_rows for t in self._counts[key]) > 100_000:
                self._combine_counts(key)
        self._rows_of_interest(table, success, paths)

    def _note_first(self, table: Any, paths: list[bytes]) -> None:
        """Remember the first request of every URI not seen before (bounded by max_keys)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        first = self._first
        new = [p for p in paths if p not in first]
        if not new:
            return
        room = self.config.max_keys - len(first)
        if room <= 0:
            self._truncated.add("paths")
            return
        new = new[:room]
        where = pc.index_in(pa.array(new, pa.binary()), value_set=table["path"])
        cols = ["seq", "time", "client", "referer", "method", "query"]
        rows = table.select(cols).take(where).to_pylist()
        for path, row in zip(new, rows, strict=True):
            first[path] = _First(**row)

    def _note_values(self, table: Any, paths: list[bytes]) -> None:
        """Distinct clients and user agents per URI, kept only while there are few."""
        import pyarrow as pa
        import pyarrow.compute as pc

        limit = self.config.threshold
        for key in ("client", "ua"):
            saturated = self._saturated.setdefault(key, set())
            values = self._values.setdefault(key, {})
            open_paths = [p for p in paths if p not in saturated]
            if not open_paths:
                continue
            rows = table.select(["path", key])
            if len(open_paths) != len(paths):
                rows = rows.filter(pc.is_in(rows["path"], value_set=pa.array(open_paths)))
            pairs = rows.group_by(["path", key]).aggregate([])
            for path, value in zip(pairs["path"].to_pylist(), pairs[key].to_pylist(), strict=True):
                if path in saturated:
                    continue
                seen = values.setdefault(path, set())
                seen.add(value)
                if len(seen) > limit:
                    saturated.add(path)
                    del values[path]

    def _combine_aggs(self) -> None:
        import pyarrow as pa

        tables = ([self._state] if self._state is not None else []) + self._aggs
        if not tables:
            return
        merged = (
            pa.concat_tables(tables)
            .group_by("path")
            .aggregate([(name, "sum") for name in _SUM_NAMES])
        )
        self._state = _renamed(merged)
        self._aggs = []
        self._agg_rows = 0

    def _combine_counts(self, key: str) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        tables = self._counts.get(key, [])
        if key in self._count_state:
            tables = [self._count_state[key], *tables]
        if not tables:
            return
        merged = pa.concat_tables(tables).group_by(key).aggregate([("n", "sum")])
        merged = _renamed(merged)
        if merged.num_rows > self.config.max_keys:
            order = pc.sort_indices(merged, sort_keys=[("n", "descending")])
            merged = merged.take(order[: self.config.max_keys])
            self._truncated.add(key)
        self._count_state[key] = merged
        self._counts[key] = []

    def _rows_of_interest(self, table: Any, success: Any, paths: list[bytes]) -> None:
        """Pull the few rows that need a closer look into Python: commands, uploads, deploys."""
        import pyarrow as pa
        import pyarrow.compute as pc

        query = table["query"]
        with_query = pc.invert(pc.is_in(query, value_set=_EMPTY))
        if pc.any(with_query).as_py():
            subset = table.filter(with_query)
            hit = pc.fill_null(pc.match_substring_regex(subset["query"], _CMD_ANY), False)
            if pc.any(hit).as_py():
                for row in subset.filter(hit).select(["seq", "path", "query"]).to_pylist():
                    self._note_command(row["seq"], row["path"], row["query"])
        odd = [p for p in paths if _UPLOAD_RE.search(p) or _STRONG.search(p)]
        if not odd:
            return
        rows = table.filter(pc.is_in(table["path"], value_set=pa.array(odd, pa.binary())))
        success_rows = pc.and_(pc.greater_equal(rows["status"], 200), pc.less(rows["status"], 400))
        cols = ["seq", "client", "method", "path", "query", "status", "time"]
        for row, ok in zip(rows.select(cols).to_pylist(), success_rows.to_pylist(), strict=True):
            path, method = row["path"], row["method"]
            if _STRONG.search(path):
                self._note_command(row["seq"], path, row["query"])
            if _DEPLOY_RE.search(path) and len(self._deploys) < 1000:
                self._deploys.append(Deploy(**row))
            if (
                ok
                and method in (b"POST", b"PUT")
                and row["client"] not in self._uploads
                and len(self._uploads) < 10_000
            ):
                self._uploads[row["client"]] = _Upload(row["seq"], path)
        del success

    def _note_command(self, seq: int, path: bytes, query: bytes) -> None:
        text = unquote_to_bytes(query + b" " + path)
        raw = query + b" " + path
        kinds = set()
        if _STRONG.search(raw) or _STRONG.search(text):
            kinds.add("command")
        if _NAMES.search(query):
            kinds.add("param")
        if _B64.search(query):
            kinds.add("base64")
        if not kinds:
            return
        if path not in self._cmd and len(self._cmd) >= 10_000:
            self._truncated.add("command samples")
            return
        samples = self._cmd.setdefault(path, [])
        self._cmd_kinds.setdefault(path, set()).update(kinds)
        if len(samples) < self.config.max_samples:
            samples.append((seq, query))

    # -- merging partial results (one per worker) ---------------------------------------------

    def rebase(self, offset: int) -> None:
        """Shift every record number by ``offset`` (a worker counted from its own base)."""
        for first in self._first.values():
            first.seq += offset
        for path, samples in self._cmd.items():
            self._cmd[path] = [(seq + offset, q) for seq, q in samples]
        for up in self._uploads.values():
            up.seq += offset
        self._deploys = [
            Deploy(d.seq + offset, d.client, d.method, d.path, d.query, d.status, d.time)
            for d in self._deploys
        ]

    def merge(self, later: AccessAnalyzer) -> None:
        """Fold in the state of a worker that read records after this one's."""
        self.records += later.records
        self._combine_aggs()
        later._combine_aggs()
        if later._state is not None:
            self._aggs.append(later._state)
            self._combine_aggs()
        for path, first in later._first.items():
            if path not in self._first and len(self._first) < self.config.max_keys:
                self._first[path] = first
        for key, values in later._values.items():
            saturated = self._saturated.setdefault(key, set())
            saturated |= later._saturated.get(key, set())
            mine = self._values.setdefault(key, {})
            for path in list(mine):
                if path in saturated:
                    del mine[path]
            for path, vals in values.items():
                if path in saturated:
                    continue
                merged = mine.setdefault(path, set()) | vals
                if len(merged) > self.config.threshold:
                    saturated.add(path)
                    mine.pop(path, None)
                else:
                    mine[path] = merged
        for key in ("ua", "referer"):
            later._combine_counts(key)
            if key in later._count_state:
                self._counts.setdefault(key, []).append(later._count_state[key])
            self._combine_counts(key)
        for path, samples in later._cmd.items():
            mine_s = self._cmd.setdefault(path, [])
            mine_s.extend(samples[: max(0, self.config.max_samples - len(mine_s))])
            self._cmd_kinds.setdefault(path, set()).update(later._cmd_kinds.get(path, set()))
        for client, up in later._uploads.items():
            self._uploads.setdefault(client, up)
        self._deploys.extend(later._deploys[: max(0, 1000 - len(self._deploys))])
        self._truncated |= later._truncated

    # -- ranking ----------------------------------------------------------------------------

    def finish(self) -> AccessReport:
        import pyarrow.compute as pc

        self._combine_aggs()
        for key in ("ua", "referer"):
            self._combine_counts(key)
        state = self._state
        if state is None or state.num_rows == 0:
            return AccessReport((), (), tuple(self._deploys), (), self.records, 0)
        distinct = state.num_rows
        total = max(1, self.records)
        rare_max = max(self.config.threshold, int(total * 0.0005))
        ua_counts = self._lookup("ua")
        ref_counts = self._lookup("referer")
        clients = {p: sorted(v) for p, v in self._values.get("client", {}).items()}
        uas = {p: sorted(v) for p, v in self._values.get("ua", {}).items()}
        deployed = _deployed_contexts(self._deploys)
        interesting = state.filter(pc.greater(state["success"], 0))
        candidates: list[Candidate] = []
        for row in interesting.to_pylist():
            first = self._first.get(row["path"])
            if first is None:
                continue
            cand = self._score(row, first, clients, uas, ua_counts, ref_counts, rare_max, deployed)
            candidates.append(cand)
        candidates.sort(key=lambda c: (-c.score, -c.first_seq))
        ranked = tuple(c for c in candidates[: self.config.top] if c.score >= self.config.min_score)
        by_path = {c.path: c for c in candidates}
        commands = tuple(
            by_path[p]
            for p, kinds in self._cmd_kinds.items()
            if "command" in kinds and p in by_path
        )
        return AccessReport(
            ranked,
            commands,
            tuple(self._deploys),
            self._upload_then_script(candidates),
            self.records,
            distinct,
            tuple(sorted(self._truncated)),
            by_path,
            min(self._first.values(), key=lambda f: f.seq).time if self._first else b"",
        )

    def _lookup(self, key: str) -> dict[bytes, int]:
        state = self._count_state.get(key)
        if state is None:
            return {}
        return dict(zip(state[key].to_pylist(), state["n"].to_pylist(), strict=True))

    def _score(
        self,
        row: dict[str, Any],
        first: _First,
        clients: dict[bytes, list[bytes]],
        uas: dict[bytes, list[bytes]],
        ua_counts: dict[bytes, int],
        ref_counts: dict[bytes, int],
        rare_max: int,
        deployed: Sequence[bytes],
    ) -> Candidate:
        t = self.config.threshold
        path: bytes = row["path"]
        hits, success, posts, gets = row["hits"], row["success"], row["post"], row["get"]
        comps: list[Component] = []

        def add(name: str, points: float, detail: str) -> None:
            comps.append(Component(name, round(points, 2), detail))

        path_clients = clients.get(path)
        if path_clients is not None:
            n = len(path_clients)
            add("few-clients", 2.0, f"requested by {n} distinct client(s) (rare: <= {t})")
            if n == 1 and hits >= 3:
                add("one-client", 1.0, f"all {hits} requests came from one client")
        path_uas = uas.get(path)
        if path_uas is not None:
            add("few-user-agents", 0.5, f"{len(path_uas)} distinct user agent(s) (rare: <= {t})")
            worst = max((ua_counts.get(u, 0) for u in path_uas), default=0)
            if worst <= rare_max:
                shown = ", ".join(_show(u) or "(none)" for u in path_uas[:2])
                add(
                    "rare-user-agent",
                    1.5,
                    f"its user agent(s) [{shown}] appear in at most {worst} request(s) in the "
                    f"whole log (rare: <= {rare_max})",
                )
        first_ref = first.referer
        if first_ref not in _EMPTY_VALUES and ref_counts.get(first_ref, 0) <= rare_max:
            add(
                "rare-referer",
                0.5,
                f"first referer {_show(first_ref)!r} appears in "
                f"{ref_counts.get(first_ref, 0)} request(s) (rare: <= {rare_max})",
            )
        if success and row["refless"] / success >= 0.9:
            add(
                "no-referer",
                1.0,
                f"{row['refless']} of {success} successful requests had no referer",
            )
        if hits and posts / hits >= 0.5:
            add("post-share", 2.0 * posts / hits, f"{posts} of {hits} requests were POST")
        ext = extension(path)
        if ext in SCRIPT_EXT:
            add("script", 1.0, f"script extension .{ext}")
            if posts and not gets:
                add("post-only", 1.0, "only POSTs, never a GET: how shell clients talk")
        if self.records >= 200:
            where = first.seq / max(1, self.records)
            if where >= 0.5:
                add(
                    "first-seen-late",
                    where,
                    f"first requested {where:.0%} of the way through the log",
                )
        if hits >= 3 and row["size"] > 0:
            mean = row["size"] / hits
            var = max(0.0, row["size2"] / hits - mean * mean)
            cv = math.sqrt(var) / mean if mean else 0.0
            if cv >= 0.5:
                add(
                    "size-variance",
                    1.0,
                    f"response sizes vary (mean {mean:.0f} bytes, coefficient of variation "
                    f"{cv:.2f}) as command output does",
                )
        kinds = self._cmd_kinds.get(path, set())
        samples = tuple(self._cmd.get(path, ()))
        if "command" in kinds:
            add("command-params", 3.0, "parameters carry OS commands: " + _samples(samples))
        if "param" in kinds:
            add("shell-params", 1.5, "parameter names used by shells (cmd=, exec=, c= ...)")
        if "base64" in kinds:
            add("base64-params", 1.0, "long base64 blobs in parameters")
        client = first.client
        up = self._uploads.get(client)
        if up is not None and up.seq < first.seq and ext in SCRIPT_EXT and up.path != path:
            add(
                "after-upload",
                2.0,
                f"first requested by {_show(client)} after it uploaded to {_show(up.path)}",
            )
        if any(path.startswith(c) for c in deployed):
            add("deployed-app", 2.0, "inside an application deployed through Tomcat's manager")
        score = sum(c.points for c in comps)
        if ext in STATIC_EXT and not kinds:
            add("static-file", -score * 0.75, f"static .{ext} file: score cut by three quarters")
            score *= 0.25
        return Candidate(
            path=path,
            score=round(score, 2),
            components=tuple(comps),
            hits=hits,
            success=success,
            posts=posts,
            clients=tuple(path_clients or ()),
            first_seq=first.seq,
            first_time=first.time,
            first_client=client,
            first_request=first.method + b" " + path + (b"?" + first.query if first.query else b""),
            cmd_samples=samples,
        )

    def _upload_then_script(self, candidates: Sequence[Candidate]) -> tuple[UploadThen, ...]:
        out = []
        for c in candidates:
            up = self._uploads.get(c.first_client)
            if (
                up is not None
                and up.seq < c.first_seq
                and extension(c.path) in SCRIPT_EXT
                and up.path != c.path
                and c.clients
            ):
                out.append(UploadThen(up.seq, up.path, c.first_client, c.path, c.first_seq))
        return tuple(out[:50])


def _renamed(table: Any) -> Any:
    """Aggregate outputs back to plain names (``count_all`` -> hits/n, ``x_sum`` -> x)."""
    names = []
    for name in table.column_names:
        if name == "count_all":
            name = "hits" if "success_sum" in table.column_names else "n"
        elif name.endswith("_sum"):
            name = name[:-4]
        names.append(name)
    return table.rename_columns(names)


def _deployed_contexts(deploys: Sequence[Deploy]) -> tuple[bytes, ...]:
    out = []
    for d in deploys:
        m = re.search(rb"(?:^|&)path=([^&]+)", d.query)
        if m and 200 <= d.status < 400:
            ctx = unquote_to_bytes(m.group(1)).rstrip(b"/")
            if ctx:
                out.append(ctx + b"/")
    return tuple(out)


def _show(value: bytes, limit: int = 80) -> str:
    text = value.decode("utf-8", "replace")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _samples(samples: Sequence[tuple[int, bytes]]) -> str:
    return "; ".join(_show(unquote_to_bytes(q), 60) for _, q in samples[:2])


# -- findings ------------------------------------------------------------------------------------


def access_findings(report: AccessReport, locate: Callable[[int], Location]) -> list[Finding]:
    """Findings for ranked URIs, command-like parameters, uploads and manager deploys."""
    from sscguard.detect.logs import checks

    out: list[Finding] = []
    for rank, cand in enumerate(report.candidates, 1):
        where = locate(cand.first_seq)
        uri = _show(cand.path, 200)
        evidence = [
            Evidence(
                "first-request",
                where,
                sanitize(_show(cand.first_request, 300), 200),
                f"first seen {_show(cand.first_time)} from {_show(cand.first_client)}; "
                f"{cand.hits} request(s), {cand.success} successful, {cand.posts} POST",
                iso_time(cand.first_time),
            )
        ]
        evidence += [
            Evidence("score", where, f"{c.points:+.2f} {c.name}", sanitize(c.detail, 300))
            for c in cand.components
        ]
        strong = any(c.name in ("command-params", "after-upload") for c in cand.components)
        severity = (
            Severity.HIGH
            if cand.score >= 9
            else Severity.MEDIUM
            if cand.score >= 6
            else Severity.LOW
        )
        out.append(
            checks.finding(
                checks.RANKED_URI,
                where,
                tuple(evidence),
                discriminator=uri,
                title=sanitize(f"Web-shell candidate #{rank}: {uri} (score {cand.score:.1f})", 240),
                severity=severity,
                confidence=Confidence.MEDIUM if strong else Confidence.LOW,
                tags=("rank:" + str(rank), "uri:" + sanitize(uri, 200)),
            )
        )
    for cand in report.command_hits:
        uri = _show(cand.path, 200)
        cmd_evidence = tuple(
            Evidence(
                "request",
                locate(seq),
                sanitize(_show(cand.path + b"?" + q, 300), 200),
                "decoded: " + sanitize(_show(unquote_to_bytes(q), 300), 200),
            )
            for seq, q in cand.cmd_samples
        )
        out.append(
            checks.finding(
                checks.COMMAND_PARAMS,
                locate(cand.first_seq),
                cmd_evidence,
                discriminator=uri,
                title=sanitize(f"Command-like request parameters to {uri}", 240),
                tags=("uri:" + sanitize(uri, 200),),
            )
        )
    for up in report.uploads:
        script = _show(up.script, 200)
        out.append(
            checks.finding(
                checks.UPLOAD_THEN_SCRIPT,
                locate(up.script_seq),
                (
                    Evidence(
                        "upload",
                        locate(up.upload_seq),
                        sanitize(_show(up.upload_path, 200), 200),
                        f"upload by {sanitize(_show(up.client), 80)}",
                    ),
                    Evidence(
                        "new-script",
                        locate(up.script_seq),
                        sanitize(script, 200),
                        "first request to this script, by the same client",
                    ),
                ),
                discriminator=script,
                title=sanitize(f"Upload followed by requests to new script {script}", 240),
                tags=("uri:" + sanitize(script, 200),),
            )
        )
    seen: set[tuple[bytes, bytes]] = set()
    for d in report.deploys:
        key = (d.client, d.path + b"?" + d.query)
        if key in seen:
            continue
        seen.add(key)
        target = d.path + (b"?" + d.query if d.query else b"")
        out.append(
            checks.finding(
                checks.MANAGER_DEPLOY,
                locate(d.seq),
                (
                    Evidence(
                        "request",
                        locate(d.seq),
                        sanitize(_show(d.method + b" " + target, 300), 200),
                        f"status {d.status} from {sanitize(_show(d.client), 80)} at "
                        f"{sanitize(_show(d.time), 60)}",
                        iso_time(d.time),
                    ),
                ),
                discriminator=_show(d.client) + _show(target),
                severity=Severity.MEDIUM if 200 <= d.status < 400 else Severity.LOW,
                title=sanitize(f"Tomcat manager deploy: {_show(target, 120)}", 240),
            )
        )
    return out
