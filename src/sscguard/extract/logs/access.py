"""Read access logs into normalised columnar batches (Apache/nginx, Tomcat, IIS W3C, JSON lines).

Every reader yields :data:`SCHEMA` record batches: byte strings as they were logged (nothing is
decoded until a finding shows it), ``status`` and ``size`` as integers, and ``seq``, a running
record number across all files of a run, which orders events in time for a rotated set read
oldest first. Lines that do not parse are counted and a few are kept as sanitized samples in
:class:`FileStats`; none is dropped silently.

Space-separated formats (combined, common, Tomcat's default, most custom ones) go through
pyarrow's multi-threaded CSV reader; anything else through a compiled regular expression.
"""

from __future__ import annotations

import bz2
import gzip
import io
import itertools
import json
import lzma
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from sscguard.extract.logs.formats import PRESETS, FormatError, Layout, compile_layout
from sscguard.textutil import sanitize

if TYPE_CHECKING:
    import pyarrow as pa

BLOCK_SIZE = 4 << 20  # bytes per columnar block; a longer line is reported, not parsed
BATCH_ROWS = 32768  # rows per batch on the line-by-line paths
MAX_LINE = 64 << 10  # longer lines are cut and counted as unparsed on the line-by-line paths
SNIFF_BYTES = 64 << 10
SAMPLES = 5

STRING_COLUMNS = ("client", "time", "method", "path", "query", "referer", "ua")
_REQUEST_RE = re.compile(rb"^(\S+) (.*?)(?: (HTTP/[0-9.]+))?$", re.DOTALL)
_ROTATED_RE = re.compile(r"^(?P<base>.+?)(?:\.(?P<num>\d+))?(?:\.(?:gz|bz2|xz))?$")
_DATED_RE = re.compile(r"^(?P<base>.+?)[-_.](?P<date>\d{8,10})(?:\.(?:gz|bz2|xz))?$")


def schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [(name, pa.binary()) for name in STRING_COLUMNS]
        + [("status", pa.int32()), ("size", pa.int64()), ("seq", pa.int64())]
    )


class ColumnarFallbackError(Exception):
    """The columnar reader cannot go on with this input (an unparsable line that is not valid
    UTF-8); the caller must read the file again with ``columnar=False``."""


@dataclass(slots=True)
class FileStats:
    """What happened to one log file."""

    path: str
    layout: str = ""
    records: int = 0
    unparsed: int = 0
    samples: list[str] = field(default_factory=list)
    first_seq: int = 0
    exact_lines: bool = True  # record n is line n (no blank or unparsed lines before it)
    error: str = ""

    def bad(self, text: bytes | str) -> None:
        self.unparsed += 1
        if len(self.samples) < SAMPLES:
            raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
            self.samples.append(sanitize(raw, 160))


# -- finding and opening files -------------------------------------------------------------


def order_rotated(paths: list[str]) -> list[str]:
    """Order a rotated set oldest first: ``access.log.3.gz, access.log.2.gz, ..., access.log``.

    Numbered rotations (logrotate's default) count down to the live file; dated ones
    (``access.log-20240101.gz``) sort by date before it. Unrelated files keep their order.
    """

    def key(path: str) -> tuple[str, int, str]:
        name = os.path.basename(path)
        dated = _DATED_RE.match(name)
        if dated and not name.endswith(".log"):
            return (os.path.join(os.path.dirname(path), dated["base"]), 0, dated["date"])
        m = _ROTATED_RE.match(name)
        assert m is not None  # the pattern matches any non-empty name
        num = int(m["num"]) if m["num"] else 0
        return (os.path.join(os.path.dirname(path), m["base"]), 1, f"{10**9 - num:010d}")

    return sorted(dict.fromkeys(paths), key=key)


def _compression(head: bytes) -> str | None:
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    return None


def open_log(path: str) -> IO[bytes]:
    """Open plain, gzip, bzip2 or xz logs by their magic bytes, not their names."""
    with open(path, "rb") as handle:
        head = handle.read(6)
    kind = _compression(head)
    if kind == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if kind == "bz2":
        return bz2.open(path, "rb")
    if kind == "xz":
        return lzma.open(path, "rb")
    return open(path, "rb")


def read_head(path: str, size: int = SNIFF_BYTES) -> bytes:
    with open_log(path) as handle:
        return handle.read(size)


# -- format detection ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Detected:
    kind: str  # "layout", "iis", "json"
    layout: Layout | None = None


def detect_format(head: bytes, given: Layout | None = None) -> Detected | None:
    """Guess a file's format from its first lines; None when nothing fits at least half."""
    lines = [ln for ln in head.split(b"\n")[:200] if ln.strip()]
    if len(head) >= SNIFF_BYTES and lines:
        lines = lines[:-1]  # the last one may be cut
    if not lines:
        return Detected("layout", given or compile_layout("combined"))
    if any(ln.startswith(b"#Fields:") for ln in lines[:20]):
        return Detected("iis")
    if lines[0].lstrip().startswith(b"{"):
        return Detected("json")
    sample = lines[:100]
    candidates = [given] if given else [compile_layout(p) for p in PRESETS if p != "tomcat"]
    best: tuple[int, int, Layout] | None = None
    for layout in candidates:
        assert layout is not None
        hits = sum(1 for ln in sample if layout.regex.match(ln.rstrip(b"\r")))
        score = (hits, len(layout.fields))
        if best is None or score > best[:2]:
            best = (hits, len(layout.fields), layout)
    if best is None or (best[0] * 2 < len(sample) and given is None):
        return None
    return Detected("layout", best[2])


# -- normalising ----------------------------------------------------------------------------


def _status_int(value: bytes) -> int:
    return int(value) if len(value) == 3 and value.isdigit() else -1


def _size_int(value: bytes) -> int:
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _clean(value: bytes) -> bytes:
    return b"" if value == b"-" else value


def split_request(request: bytes) -> tuple[bytes, bytes, bytes]:
    """``GET /a.php?x=1 HTTP/1.1`` -> (method, path, query); a bad request line gives b''."""
    m = _REQUEST_RE.match(request)
    if not m:
        return b"", b"", b""
    uri = m.group(2)
    path, _, query = uri.partition(b"?")
    return m.group(1), path, query


class _Rows:
    """Column lists for the line-by-line readers, flushed as record batches."""

    def __init__(self, seq: int) -> None:
        self.seq = seq
        self.cols: dict[str, list[Any]] = {n: [] for n in (*STRING_COLUMNS, "status", "size")}

    def add(self, values: dict[str, bytes]) -> None:
        cols = self.cols
        for name in STRING_COLUMNS:
            cols[name].append(values.get(name, b""))
        cols["status"].append(_status_int(values.get("status", b"")))
        cols["size"].append(_size_int(values.get("size", b"")))

    def __len__(self) -> int:
        return len(self.cols["status"])

    def flush(self) -> pa.RecordBatch:
        import pyarrow as pa

        n = len(self)
        arrays = [pa.array(self.cols[name], pa.binary()) for name in STRING_COLUMNS]
        arrays += [
            pa.array(self.cols["status"], pa.int32()),
            pa.array(self.cols["size"], pa.int64()),
            pa.array(range(self.seq, self.seq + n), pa.int64()),
        ]
        self.seq += n
        for values in self.cols.values():
            values.clear()
        return pa.RecordBatch.from_arrays(arrays, schema=schema())


def _lines(handle: IO[bytes], stats: FileStats) -> Iterator[bytes]:
    while True:
        line = handle.readline(MAX_LINE)
        if not line:
            return
        if not line.endswith(b"\n") and len(line) >= MAX_LINE:
            stats.bad(line[:200] + b"...")
            while True:  # drop the rest of the over-long line
                rest = handle.readline(MAX_LINE)
                if not rest or rest.endswith(b"\n"):
                    break
            stats.exact_lines = False
            continue
        yield line.rstrip(b"\r\n")


def parse_regex_lines(
    lines: Iterator[bytes], layout: Layout, stats: FileStats, seq: int
) -> Iterator[pa.RecordBatch]:
    """The line-by-line path for layouts the columnar reader cannot take."""
    rows = _Rows(seq)
    groups = layout.groups
    match = layout.regex.match
    for line in lines:
        if not line.strip():
            stats.exact_lines = False
            continue
        m = match(line)
        if m is None:
            stats.bad(line)
            stats.exact_lines = False
            continue
        values = {g: _clean(v) for g, v in zip(groups, m.groups(), strict=True) if g}
        _fill_request(values)
        rows.add(values)
        stats.records += 1
        if len(rows) >= BATCH_ROWS:
            yield rows.flush()
    if len(rows):
        yield rows.flush()


def _fill_request(values: dict[str, bytes]) -> None:
    request = values.get("request")
    if request is not None:
        method, path, query = split_request(request)
        values.setdefault("method", method)
        values.setdefault("path", path)
        values.setdefault("query", query)
    uri = values.pop("uri", None)
    if uri is not None and "path" not in values:
        path, _, query = uri.partition(b"?")
        values["path"], values["query"] = path, query
    query = values.get("query", b"")
    if query.startswith(b"?"):
        values["query"] = query[1:]


# IIS W3C extended log fields -> canonical names
_IIS = {
    b"c-ip": "client",
    b"cs-method": "method",
    b"cs-uri-stem": "path",
    b"cs-uri-query": "query",
    b"sc-status": "status",
    b"sc-bytes": "size",
    b"cs(referer)": "referer",
    b"cs(user-agent)": "ua",
}


def parse_iis_lines(lines: Iterator[bytes], stats: FileStats, seq: int) -> Iterator[pa.RecordBatch]:
    """IIS W3C extended logs: fields as declared by the latest ``#Fields`` line."""
    rows = _Rows(seq)
    names: list[str] = []
    date_i = time_i = -1
    for line in lines:
        if line.startswith(b"#"):
            if line.startswith(b"#Fields:"):
                raw = line[8:].split()
                names = [_IIS.get(f.lower(), "") for f in raw]
                lowered = [f.lower() for f in raw]
                date_i = lowered.index(b"date") if b"date" in lowered else -1
                time_i = lowered.index(b"time") if b"time" in lowered else -1
            continue
        parts = line.split(b" ")
        if not names or len(parts) != len(names):
            if line.strip():
                stats.bad(line)
            stats.exact_lines = False
            continue
        values = {n: _clean(v) for n, v in zip(names, parts, strict=True) if n}
        stamp = b" ".join(parts[i] for i in (date_i, time_i) if i >= 0)
        values["time"] = stamp
        rows.add(values)
        stats.records += 1
        if len(rows) >= BATCH_ROWS:
            yield rows.flush()
    if len(rows):
        yield rows.flush()


_JSON_KEYS = {
    "client": ("remote_addr", "client", "clientip", "client_ip", "c-ip", "ip", "remote_ip"),
    "time": ("time", "timestamp", "@timestamp", "time_local", "time_iso8601", "date"),
    "method": ("method", "request_method", "cs-method", "verb"),
    "path": ("path", "uri", "url_path", "cs-uri-stem"),
    "query": ("query", "args", "query_string", "cs-uri-query"),
    "status": ("status", "sc-status", "response", "status_code"),
    "size": ("size", "bytes", "body_bytes_sent", "bytes_sent", "sc-bytes"),
    "referer": ("referer", "referrer", "http_referer", "cs(referer)"),
    "ua": ("user_agent", "useragent", "http_user_agent", "agent", "ua", "cs(user-agent)"),
    "request": ("request",),
    "uri": ("request_uri", "url"),
}


def _json_value(value: object) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, bool) or value is None:
        return b""
    if isinstance(value, int | float):
        return str(int(value)).encode()
    return b""


def parse_json_lines(
    lines: Iterator[bytes], stats: FileStats, seq: int
) -> Iterator[pa.RecordBatch]:
    """JSON lines with common key names (nginx ``escape=json`` formats, shippers' output)."""
    rows = _Rows(seq)
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            obj = None
        if not isinstance(obj, dict):
            stats.bad(line)
            stats.exact_lines = False
            continue
        flat = {str(k).lower(): v for k, v in obj.items()}
        values: dict[str, bytes] = {}
        for name, keys in _JSON_KEYS.items():
            for key in keys:
                if key in flat:
                    values[name] = _clean(_json_value(flat[key]))
                    break
        _fill_request(values)
        if not values.get("path"):
            stats.bad(line)
            stats.exact_lines = False
            continue
        rows.add(values)
        stats.records += 1
        if len(rows) >= BATCH_ROWS:
            yield rows.flush()
    if len(rows):
        yield rows.flush()


# -- the columnar path ---------------------------------------------------------------------


def parse_columnar(
    path: str,
    layout: Layout,
    stats: FileStats,
    seq: int,
    byte_range: tuple[int, int] | None = None,
) -> Iterator[pa.RecordBatch]:
    """pyarrow's CSV reader with space as delimiter and '"' as quote, then vectorised cleanup."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as csv

    assert layout.columns is not None
    names = [f"{c}#{i}" for i, c in enumerate(layout.columns)]
    lock = threading.Lock()

    def on_bad(row: Any) -> str:
        with lock:
            stats.bad(str(row.text))
        return "skip"

    with open(path, "rb") as handle:
        kind = _compression(handle.read(6))
    source: Any
    if byte_range is not None and kind is None:
        source = _RangeFile(path, byte_range)
    elif kind in ("gzip", "bz2"):
        source = pa.input_stream(path, compression=kind, buffer_size=1 << 20)
    elif kind == "xz":
        source = lzma.open(path, "rb")  # noqa: SIM115 - closed in the finally below
    else:
        source = path
    index = {c: i for i, c in enumerate(layout.columns)}
    width = len(names)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_decode_errors(previous_hook)
    try:
        reader = csv.open_csv(
            source,
            read_options=csv.ReadOptions(column_names=names, block_size=BLOCK_SIZE),
            parse_options=csv.ParseOptions(
                delimiter=" ",
                quote_char='"',
                escape_char="\\",
                double_quote=False,
                newlines_in_values=False,
                ignore_empty_lines=True,
                invalid_row_handler=on_bad,
            ),
            convert_options=csv.ConvertOptions(
                column_types={n: pa.binary() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            if batch.num_rows == 0:
                continue
            batch = _drop_bad_status(batch, index, stats, width)
            n = batch.num_rows
            if n == 0:
                continue
            arrays = _normalise_columns(batch, index, n)
            arrays.append(pc.add(_arange(n), seq))
            seq += n
            stats.records += n
            yield pa.RecordBatch.from_arrays(arrays, schema=schema())
    except pa.ArrowInvalid as exc:
        if "CSV parse error" in str(exc):
            # on_bad takes every bad row, except one pyarrow cannot decode as UTF-8 before
            # calling it: such input has to be read line by line
            raise ColumnarFallbackError(path) from None
        stats.error = f"stopped reading: {sanitize(str(exc), 200)}"
    finally:
        sys.unraisablehook = previous_hook
        if stats.unparsed:
            stats.exact_lines = False
        if hasattr(source, "close"):
            source.close()


class _RangeFile(io.RawIOBase):
    """A read-only file object limited to ``[start, end)`` of a file (plain reads, no mmap, so
    resident memory stays the reader's own buffers)."""

    def __init__(self, path: str, byte_range: tuple[int, int]) -> None:
        super().__init__()
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._handle.seek(byte_range[0])
        self._left = byte_range[1] - byte_range[0]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        if self._left <= 0:
            return 0
        want = min(len(view), self._left)
        got = self._handle.readinto(view[:want])
        self._left -= got
        return got

    def close(self) -> None:
        self._handle.close()
        super().close()


def _quiet_decode_errors(previous: Any) -> Any:
    """pyarrow reports a bad row it cannot decode as an unraisable exception; that case is
    handled (ColumnarFallbackError), so it must not reach the user's terminal."""

    def hook(info: Any) -> None:
        if isinstance(info.exc_value, UnicodeDecodeError):
            return
        previous(info)

    return hook


def _arange(n: int) -> Any:
    """0..n-1 as an int64 array, built in C++ (a Python range would cost more than parsing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ones = pc.fill_null(pa.nulls(n, pa.bool_()), True)
    return pc.cast(pc.indices_nonzero(ones), pa.int64())


def _drop_bad_status(batch: Any, index: dict[str, int], stats: FileStats, width: int) -> Any:
    """Rows whose status is not three digits did not really match the format: count them."""
    import pyarrow.compute as pc

    if "status" not in index:
        return batch
    ok = pc.fill_null(pc.match_substring_regex(batch.column(index["status"]), r"^[0-9]{3}$"), False)
    bad = batch.num_rows - (pc.sum(ok).as_py() or 0)
    if not bad:
        return batch
    stats.exact_lines = False
    shown = pc.indices_nonzero(pc.invert(ok)).to_pylist()[:SAMPLES]
    for i in shown:
        stats.bad(b" ".join(batch.column(j)[i].as_py() for j in range(width)))
    stats.unparsed += bad - len(shown)
    return batch.filter(ok)


def _dash_to_empty(col: Any) -> Any:
    import pyarrow.compute as pc

    return pc.if_else(pc.equal(col, b"-"), b"", col)


def _normalise_columns(batch: Any, index: dict[str, int], n: int) -> list[Any]:
    """Columns in :data:`STRING_COLUMNS` order plus status and size (seq is added by caller)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols: dict[str, Any] = {}
    for name in ("client", "time", "referer", "ua", "method", "path", "query"):
        if name in index:
            col = batch.column(index[name])
            cols[name] = col  # "-" for an empty referer or user agent is left as logged
    if "request" in index:
        method, path, query = _split_requests(batch.column(index["request"]))
        cols.setdefault("method", method)
        cols.setdefault("path", path)
        cols.setdefault("query", query)
    elif "uri" in index:
        path, query = _split_uris(batch.column(index["uri"]))
        cols.setdefault("path", path)
        cols.setdefault("query", query)
    if "query" in index:  # Apache's %q keeps its leading '?'
        query = cols["query"]
        cols["query"] = pc.if_else(
            pc.starts_with(pc.cast(query, pa.binary()), b"?"),
            pc.binary_slice(query, 1),
            query,
        )
    empty = pa.array([b""], pa.binary())
    arrays = []
    for name in STRING_COLUMNS:
        col = cols.get(name)
        arrays.append(
            pc.cast(col, pa.binary())
            if col is not None
            else pc.take(empty, pa.nulls(n, pa.int8()).fill_null(0))
        )
    arrays = [pc.fill_null(a, b"") for a in arrays]
    status = (
        pc.cast(pc.cast(batch.column(index["status"]), pa.string()), pa.int32())
        if "status" in index
        else pa.nulls(n, pa.int32()).fill_null(0)
    )
    if "size" in index:
        raw = batch.column(index["size"])
        try:
            size = pc.cast(
                pc.cast(pc.if_else(pc.equal(raw, b"-"), b"0", raw), pa.string()), pa.int64()
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            digits = pc.fill_null(pc.match_substring_regex(raw, r"^[0-9]{1,18}$"), False)
            size = pc.cast(pc.cast(pc.if_else(digits, raw, b"0"), pa.string()), pa.int64())
    else:
        size = pa.nulls(n, pa.int64()).fill_null(0)
    return [*arrays, status, size]


def _split_uris(uri: Any) -> tuple[Any, Any]:
    """``/a.php?x=1`` -> (``/a.php``, ``x=1``); only rows with a '?' pay for the split."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(uri)
    empty = pc.take(pa.array([b""], pa.binary()), pa.nulls(n, pa.int8()).fill_null(0))
    has_q = pc.fill_null(pc.match_substring(uri, "?"), False)
    if not pc.any(has_q).as_py():
        return uri, empty
    subset = pc.filter(uri, has_q)
    parts = pc.split_pattern(subset, b"?", max_splits=1)
    path = pc.replace_with_mask(uri, has_q, pc.list_element(parts, 0))
    query = pc.replace_with_mask(empty, has_q, pc.list_element(parts, 1))
    return path, query


def _split_requests(request: Any) -> tuple[Any, Any, Any]:
    """``GET /a.php?x=1 HTTP/1.1`` -> method, path, query; a bad request line gives b''.

    Request lines repeat a lot, so the split runs once per distinct line of the batch and the
    parts are spread back with ``take``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(request)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    distinct, indices = encoded.dictionary, encoded.indices
    parts = pc.split_pattern(distinct, b" ", max_splits=2)
    lengths = pc.list_value_length(parts)
    ok = pc.fill_null(pc.greater_equal(lengths, 2), False)
    if not pc.all(ok).as_py():
        parts = pc.if_else(ok, parts, pa.scalar([b"", b""], parts.type))
    method = pc.list_element(parts, 0)
    path, query = _split_uris(pc.list_element(parts, 1))
    return pc.take(method, indices), pc.take(path, indices), pc.take(query, indices)


# -- one entry point ---------------------------------------------------------------------------


def sniff(path: str, given: Layout | None) -> Detected | str:
    """The file's format, or a reason it cannot be read."""
    try:
        head = read_head(path)
    except (OSError, EOFError, lzma.LZMAError, zlib_error()) as exc:
        return f"cannot read: {sanitize(str(exc), 200)}"
    detected = detect_format(head, given)
    if detected is None:
        return "format not recognised (pass --log-format with the server's LogFormat)"
    return detected


def split_ranges(path: str, parts: int, min_part: int = 32 << 20) -> list[tuple[int, int]] | None:
    """Byte ranges ending on line boundaries for reading one plain file in ``parts`` workers."""
    try:
        with open(path, "rb") as handle:
            if _compression(handle.read(6)) is not None:
                return None
            size = os.fstat(handle.fileno()).st_size
            parts = min(parts, max(1, size // min_part))
            if parts < 2:
                return None
            cuts = [0]
            for i in range(1, parts):
                handle.seek(max(cuts[-1], size * i // parts))
                handle.readline()
                cuts.append(handle.tell())
            cuts.append(size)
    except OSError:
        return None
    ranges = [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    return ranges if len(ranges) > 1 else None


def _range_lines(path: str, byte_range: tuple[int, int], stats: FileStats) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        handle.seek(byte_range[0])
        remaining = byte_range[1] - byte_range[0]
        while remaining > 0:
            line = handle.readline(min(MAX_LINE, remaining))
            if not line:
                return
            remaining -= len(line)
            if not line.endswith(b"\n") and len(line) >= MAX_LINE:
                stats.bad(line[:200] + b"...")
                stats.exact_lines = False
                while remaining > 0:
                    rest = handle.readline(min(MAX_LINE, remaining))
                    remaining -= len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
                continue
            yield line.rstrip(b"\r\n")


def read_access_log(
    path: str,
    stats: FileStats,
    seq: int,
    given: Layout | None = None,
    columnar: bool = True,
    detected: Detected | None = None,
    byte_range: tuple[int, int] | None = None,
) -> Iterator[pa.RecordBatch]:
    """Detect (or take) the format and yield normalised batches; problems land in ``stats``."""
    stats.first_seq = seq
    if detected is None:
        found = sniff(path, given)
        if isinstance(found, str):
            stats.error = found
            return
        detected = found
    if detected is None:
        stats.error = "format not recognised (pass --log-format with the server's LogFormat)"
        return
    reader: Callable[[Iterator[bytes], FileStats, int], Iterator[pa.RecordBatch]]
    if detected.kind == "iis":
        stats.layout = "iis-w3c"
        reader = parse_iis_lines
    elif detected.kind == "json":
        stats.layout = "json"
        reader = parse_json_lines
    else:
        layout = detected.layout
        assert layout is not None
        stats.layout = layout.name
        if columnar and layout.columns is not None and "status" in layout.columns:
            yield from parse_columnar(path, layout, stats, seq, byte_range)
            return

        def reader(lines: Iterator[bytes], st: FileStats, s: int) -> Iterator[pa.RecordBatch]:
            return parse_regex_lines(lines, layout, st, s)

    try:
        if byte_range is not None:
            yield from reader(_range_lines(path, byte_range, stats), stats, seq)
            return
        with open_log(path) as handle:
            yield from reader(_lines(handle, stats), stats, seq)
    except (OSError, EOFError, lzma.LZMAError, zlib_error()) as exc:
        stats.error = f"stopped reading: {sanitize(str(exc), 200)}"


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def layout_from_option(text: str | None) -> Layout | None:
    """``--log-format``: a preset name or a LogFormat/log_format string; FormatError if bad."""
    if not text:
        return None
    return compile_layout(text, name="given")


__all__ = [
    "FileStats",
    "FormatError",
    "Layout",
    "detect_format",
    "layout_from_option",
    "order_rotated",
    "read_access_log",
]
