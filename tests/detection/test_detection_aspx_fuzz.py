"""Hypothesis: the ASP.NET extractor and analysers never crash, hang or break their bounds."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell.aspx_extract import extract
from sscguard.detect.webshell.detectors import run_detectors
from sscguard.detect.webshell.dotnet import analyse_page
from sscguard.detect.webshell.flow import MAX_SECONDS, Budget

SEED = (
    b'<%@ Page Language="C#" %>\n<script runat="server">\nvoid Page_Load(object s, EventArgs e)'
    b' {\n string c = Request.Form["c"]; var d = Encoding.UTF8.GetString(Convert.FromBase64Str'
    b'ing(c)); Run(d); File.WriteAllText(txtPath.Text, Request["b"]); }\nvoid Run(string x) { '
    b'var p = new ProcessStartInfo(); p.Arguments = "/c " + x; Process.Start(p); }\n</script>'
    b'\n<% if (true) { %><b>x</b><% } %><%= Request["q"] %>\n<asp:TextBox ID="txtPath" runat='
    b'"server"/>\n<% var cmd = new SqlCommand(Request["sql"], conn); %>\n'
)
VB_SEED = (
    b'<%@ Page Language="VB" %>\n<script runat="server">\nSub Page_Load(s As Object, e As Even'
    b'tArgs)\n Dim c As String = Request.Form("c") \' note\n Process.Start("cmd", "/c " & c)\nE'
    b"nd Sub\n</script>\n"
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash(data: bytes) -> None:
    for prefix in (b"", b'<%@ Page Language="C#" %><%', b'<script runat="server">'):
        code = extract(prefix + data)
        assert all(code.line(i) >= 1 for i in range(1, code.source.count(b"\n") + 2))
        analyse_page(prefix + data)
        run_detectors("f.aspx", prefix + data, ())


@FAST
@given(
    st.sampled_from([SEED, VB_SEED]),
    st.integers(min_value=0, max_value=len(SEED)),
    st.integers(min_value=0, max_value=len(SEED)),
)
def test_truncated_and_spliced_pages_never_crash(seed: bytes, cut: int, start: int) -> None:
    result = analyse_page(seed[start:] + seed[:cut])
    assert all(p.steps for p in result.analysis.paths)
    assert all(c.steps for c in result.capabilities)


@FAST
@given(
    st.text(alphabet="<%@>=;(){}[]\"'.+&\nRequestFormProcessStart runat=server Cabc", max_size=800)
)
def test_page_like_noise_never_crashes(text: str) -> None:
    data = text.encode()
    for ext in (".aspx", ".ashx"):
        run_detectors("f" + ext, data, ())
    analyse_page(b'<%@ Page Language="Jscript" %><%' + data)
    analyse_page(b'<%@ Page Language="VB" %><%' + data)


@FAST
@given(st.binary(max_size=2048))
def test_utf16_and_quote_normalisation_keep_line_counts(data: bytes) -> None:
    page = b'<%@ Page Language="C#" %>\n<%' + data.replace(b"%>", b"") + b"%>"
    for encoded in (page, b"\xff\xfe" + page.decode("latin-1").encode("utf-16-le")):
        code = extract(encoded)
        assert code.source.count(b"\n") >= 2


def test_deeply_nested_expression_stays_within_the_time_bound() -> None:
    expr = "(" * 3000 + 'Request["a"]' + ")" * 3000
    page = f'<%@ Page Language="C#" %><% Process.Start({expr}); %>'.encode()
    started = time.monotonic()
    analyse_page(page, budget=Budget())
    assert time.monotonic() - started < MAX_SECONDS * 8


def test_many_methods_and_calls_stay_within_the_time_bound() -> None:
    body = "".join(f"string M{i}(string a) {{ return M{i + 1}(a); }}\n" for i in range(2000))
    page = (
        '<%@ Page Language="C#" %><script runat="server">' + body + "</script>"
        '<% Process.Start(M0(Request["x"])); %>'
    ).encode()
    started = time.monotonic()
    analyse_page(page, budget=Budget())
    assert time.monotonic() - started < MAX_SECONDS * 8
