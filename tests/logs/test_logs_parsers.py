"""Access-log formats: detection, the columnar and line-by-line readers, rotated sets and .gz,
unparsed lines counted and sampled, and hypothesis fuzzing of every parser."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.extract.logs.access import (
    ColumnarFallbackError,
    FileStats,
    detect_format,
    order_rotated,
    parse_iis_lines,
    parse_json_lines,
    parse_regex_lines,
    read_access_log,
)
from sscguard.extract.logs.formats import FormatError, compile_layout

COMBINED = (
    '203.0.113.9 - - [10/Oct/2024:13:55:36 +0000] "GET /shop/item.php?id=4 HTTP/1.1" 200 512 '
    '"https://example.com/" "Mozilla/5.0 (X11) Firefox/128.0"\n'
)
COMMON = '198.51.100.7 - bob [10/Oct/2024:13:55:37 +0200] "POST /login HTTP/1.1" 302 -\n'


def _rows(path: Path, **kw: object) -> tuple[list[dict[str, object]], FileStats]:
    stats = FileStats(str(path))
    batches = list(read_access_log(str(path), stats, 0, **kw))  # type: ignore[arg-type]
    rows = pa.Table.from_batches(batches).to_pylist() if batches else []
    return rows, stats


@pytest.mark.parametrize("columnar", [True, False])
def test_combined_fields_on_both_readers(tmp_path: Path, columnar: bool) -> None:
    log = tmp_path / "access.log"
    log.write_text(
        COMBINED * 3 + 'x - - [10/Oct/2024:13:55:38 +0000] "GET /a\\"b HTTP/1.0" 404 0 "-" "-"\n'
    )
    rows, stats = _rows(log, columnar=columnar)
    assert stats.layout == "combined" and stats.unparsed == 0 and stats.records == 4
    first = rows[0]
    assert first["client"] == b"203.0.113.9"
    assert first["method"] == b"GET" and first["path"] == b"/shop/item.php"
    assert first["query"] == b"id=4" and first["status"] == 200 and first["size"] == 512
    assert first["ua"] == b"Mozilla/5.0 (X11) Firefox/128.0"
    assert [r["seq"] for r in rows] == [0, 1, 2, 3]
    assert rows[3]["status"] == 404


def test_common_and_tomcat_default_have_no_user_agent(tmp_path: Path) -> None:
    log = tmp_path / "localhost_access_log.2024-10-10.txt"
    log.write_text(COMMON * 2)
    rows, stats = _rows(log)
    assert stats.layout == "common" and stats.records == 2
    assert rows[0]["size"] == 0 and rows[0]["ua"] == b"" and rows[0]["status"] == 302
    tomcat = compile_layout("tomcat")
    assert tomcat.columns is not None and "ua" not in tomcat.fields


def test_custom_apache_and_nginx_formats(tmp_path: Path) -> None:
    apache = compile_layout('%v:%p %a %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D')
    assert apache.columns is None  # "%v:%p" shares a column: the regex path takes it
    log = tmp_path / "vhost.log"
    log.write_text(
        'www.example.com:443 192.0.2.4 - - [10/Oct/2024:10:00:00 +0000] "GET /x.jsp?c=id '
        'HTTP/1.1" 200 99 "-" "curl/8.0" 1234\n'
    )
    rows, stats = _rows(log, given=apache)
    assert stats.records == 1 and rows[0]["path"] == b"/x.jsp" and rows[0]["query"] == b"c=id"
    nginx = compile_layout(
        '$remote_addr [$time_iso8601] "$request_method $request_uri" $status '
        '$body_bytes_sent "$http_user_agent"'
    )
    log2 = tmp_path / "nginx.log"
    log2.write_text('192.0.2.5 [2024-10-10T10:00:00+00:00] "POST /up.php?a=1" 201 5 "ua x"\n')
    rows, stats = _rows(log2, given=nginx)
    assert stats.records == 1
    assert (rows[0]["method"], rows[0]["path"], rows[0]["query"]) == (b"POST", b"/up.php", b"a=1")
    with pytest.raises(FormatError):
        compile_layout("%Z %h")


def test_iis_w3c_fields_are_taken_from_the_header(tmp_path: Path) -> None:
    log = tmp_path / "u_ex241010.log"
    log.write_text(
        "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
        "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"
        "2024-10-10 10:00:00 10.0.0.1 POST /aspnet_client/x.aspx cmd=whoami 443 - 192.0.2.8 "
        "Mozilla/5.0+(Windows) - 200 0 0 15\n"
        "a truncated line\n"
    )
    rows, stats = _rows(log)
    assert stats.layout == "iis-w3c" and stats.records == 1 and stats.unparsed == 1
    assert rows[0]["path"] == b"/aspnet_client/x.aspx" and rows[0]["client"] == b"192.0.2.8"
    assert rows[0]["query"] == b"cmd=whoami" and rows[0]["time"] == b"2024-10-10 10:00:00"


def test_json_lines(tmp_path: Path) -> None:
    log = tmp_path / "access.json"
    log.write_text(
        '{"remote_addr":"192.0.2.9","time_local":"10/Oct/2024:10:00:00 +0000",'
        '"request":"GET /a.php?cmd=id HTTP/1.1","status":200,"body_bytes_sent":10,'
        '"http_user_agent":"x"}\n{not json}\n'
    )
    rows, stats = _rows(log)
    assert stats.layout == "json" and stats.records == 1 and stats.unparsed == 1
    assert rows[0]["path"] == b"/a.php" and rows[0]["status"] == 200


def test_gzip_and_rotated_sets_are_read_oldest_first(tmp_path: Path) -> None:
    names = ["access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz"]
    paths = [str(tmp_path / n) for n in names]
    assert order_rotated(paths) == [paths[3], paths[2], paths[1], paths[0]]
    dated = [
        str(tmp_path / n)
        for n in ("access.log", "access.log-20241011.gz", "access.log-20241010.gz")
    ]
    assert order_rotated(dated) == [dated[2], dated[1], dated[0]]
    gz = tmp_path / "access.log.2.gz"
    gz.write_bytes(gzip.compress(COMBINED.encode() * 5))
    rows, stats = _rows(gz)
    assert stats.records == 5 and rows[0]["path"] == b"/shop/item.php"


def test_unparsed_lines_are_counted_and_sampled(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(COMBINED * 50 + "garbage \x1b[31m line\n" + COMBINED.replace("200", "2x0"))
    _, stats = _rows(log)
    assert stats.records == 50 and stats.unparsed == 2
    assert any("garbage" in s for s in stats.samples)
    assert all("\x1b" not in s for s in stats.samples)  # sanitized
    assert not stats.exact_lines


def test_unknown_format_is_reported_not_guessed(tmp_path: Path) -> None:
    log = tmp_path / "weird.log"
    log.write_text("hello world\n" * 10)
    _, stats = _rows(log)
    assert "format not recognised" in stats.error
    assert detect_format(b"") is not None  # an empty file is simply empty


# -- fuzzing ------------------------------------------------------------------------------------

LINE = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda a, b: COMBINED.encode()[: a % 200] + b + COMBINED.encode()[a % 200 :],
        st.integers(0, 400),
        st.binary(max_size=20),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=30))
def test_line_parsers_never_crash_and_account_for_every_line(lines: list[bytes]) -> None:
    text = [ln.replace(b"\n", b" ") for ln in lines]
    for reader in (
        lambda s: parse_regex_lines(iter(text), compile_layout("combined"), s, 0),
        lambda s: parse_iis_lines(
            iter([b"#Fields: c-ip cs-method cs-uri-stem sc-status", *text]), s, 0
        ),
        lambda s: parse_json_lines(iter(text), s, 0),
    ):
        stats = FileStats("fuzz")
        rows = sum(b.num_rows for b in reader(stats))
        assert rows == stats.records
        assert stats.records + stats.unparsed <= len(text)
        assert len(stats.samples) <= 5


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(LINE, max_size=40))
def test_columnar_reader_never_crashes(tmp_path: Path, lines: list[bytes]) -> None:
    log = tmp_path / "fuzz.log"
    log.write_bytes(b"\n".join(ln.replace(b"\n", b" ") for ln in lines) + b"\n")
    layout = compile_layout("combined")
    stats = FileStats(str(log))
    try:
        rows = sum(b.num_rows for b in read_access_log(str(log), stats, 0, given=layout))
    except ColumnarFallbackError:  # what logscan does: read it again line by line
        stats = FileStats(str(log))
        rows = sum(
            b.num_rows for b in read_access_log(str(log), stats, 0, given=layout, columnar=False)
        )
    assert rows == stats.records
    assert stats.records + stats.unparsed <= len(lines) + 1


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_format_compiler_never_crashes(fmt: str) -> None:
    try:
        layout = compile_layout(fmt)
    except FormatError:
        return
    layout.regex.match(b'1.2.3.4 - - [x] "GET / HTTP/1.1" 200 1')


def test_over_long_lines_are_cut_and_counted(tmp_path: Path) -> None:
    log = tmp_path / "big.log"
    log.write_bytes(
        b"#Fields: c-ip cs-uri-stem sc-status\n" + b"A" * (70 << 10) + b"\n1.2.3.4 /a 200\n"
    )
    stats = FileStats(str(log))
    rows = list(read_access_log(str(log), stats, 0))
    assert stats.records == 1 and stats.unparsed == 1
    assert io.BytesIO  # keep import used for readability of the module
    assert rows
