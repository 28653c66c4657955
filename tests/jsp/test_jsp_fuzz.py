"""Hypothesis: the scriptlet extractor and the Java analyser never crash, hang or lose lines."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell.detectors import run_detectors
from sscguard.detect.webshell.flow import MAX_SECONDS
from sscguard.detect.webshell.java import analyse_java
from sscguard.detect.webshell.jspsource import decode_page, java_view

SEED = (
    b'<%@ page import="java.io.*" %>\n<%! String f(String a){return a;} //c%>\n'
    b'<% String c = request.getParameter("c"); %><p><%= c %></p>\n'
    b"<jsp:scriptlet>if (c != null &amp;&amp; 1 &lt; 2) { Runtime.getRuntime().exec(f(c)); }"
    b"</jsp:scriptlet>\n<%-- note --%><% new java.io.FileOutputStream(c).write(c.getBytes());"
    b' new java.net.Socket(c, 1); String k = "yv66vgAAADIA" + "AAAA"; %>\n'
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = "<%=!@->/:;{}()[]\"'\\.+ \n\tjsp:scriptletrequest.getParameterexecRuntimeFile&amp;"


def _same_shape(page: bytes, view: bytes) -> None:
    assert len(view) == len(page)
    assert [i for i, c in enumerate(page) if c == 10] == [i for i, c in enumerate(view) if c == 10]


@FAST
@given(st.binary(max_size=4096))
def test_extractor_keeps_offsets_and_lines_on_random_bytes(data: bytes) -> None:
    _same_shape(data, java_view(data))
    decode_page(data)


@FAST
@given(st.text(alphabet=ALPHABET, max_size=800))
def test_extractor_keeps_offsets_on_jsp_like_noise(text: str) -> None:
    page = text.encode()
    _same_shape(page, java_view(page))


@FAST
@given(st.integers(min_value=0, max_value=len(SEED)), st.integers(min_value=0, max_value=len(SEED)))
def test_truncated_and_spliced_page_never_crashes(cut: int, start: int) -> None:
    page = SEED[start:] + SEED[:cut]
    res = analyse_java(page)
    assert all(p.steps for p in res.analysis.paths)
    run_detectors("f.jsp", page, ())


@FAST
@given(st.binary(max_size=4096))
def test_analyser_on_random_bytes(data: bytes) -> None:
    for prefix in (b"", b"<% ", b"\xff\xfe"):
        analyse_java(prefix + data)
        run_detectors("f.jsp", prefix + data, ())


def test_deep_nesting_and_long_chains_stay_within_the_time_bound() -> None:
    deep = b"<% String a = " + b"(" * 3000 + b'request.getParameter("x")' + b")" * 3000 + b"; %>"
    chain = (
        b'<% String v0 = request.getParameter("x");\n'
        + b"".join(b'String v%d = v%d + "a";\n' % (i + 1, i) for i in range(3000))
        + b"Runtime.getRuntime().exec(v3000); %>"
    )
    for page in (deep, chain, b"<%" * 50000, b"<jsp:scriptlet>" * 20000):
        start = time.monotonic()
        res = analyse_java(page)
        assert time.monotonic() - start < MAX_SECONDS * 8 + 1.0
        assert isinstance(res.analysis.paths, tuple)
