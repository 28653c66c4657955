"""Hypothesis: the parser front-end and the deobfuscator never crash, hang or exceed bounds."""

from __future__ import annotations

import time
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell import deobfuscate as deob
from sscguard.detect.webshell.detectors import run_detectors
from sscguard.detect.webshell.flow import MAX_SECONDS, MAX_VALUE_BYTES, Budget
from sscguard.detect.webshell.php import analyse_php

SEED = (
    b"<?php\n$a=$_POST['x'];$f='sys'.'tem';$f($a);eval(gzinflate(base64_decode('80jNyclXCM8vyk"
    b"lRBAA=')));${'_G'.'ET'}['c'];array_map('assert',array($_GET[1]));`$a`;function f($p)"
    b"{return exec($p);} f($_COOKIE['z']); $o.=$d[$i]^$k[$i%3]; include $_GET['p'];\n"
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash(data: bytes) -> None:
    for prefix in (b"", b"<?php "):
        analysis = analyse_php(prefix + data)
        assert isinstance(analysis.paths, tuple)
        run_detectors("f.php", prefix + data, ())


@FAST
@given(st.integers(min_value=0, max_value=len(SEED)), st.integers(min_value=0, max_value=len(SEED)))
def test_truncated_and_spliced_shell_never_crashes(cut: int, start: int) -> None:
    analysis = analyse_php(SEED[start:] + SEED[:cut])
    assert all(p.steps for p in analysis.paths)


@FAST
@given(st.text(alphabet="$_()'\".;^[]{}=abcGETPOSTevalsystem0123 \n", max_size=600))
def test_php_like_noise_never_crashes(text: str) -> None:
    analyse_php(b"<?php " + text.encode())


@FAST
@given(st.binary(max_size=2048))
def test_decoders_never_raise_and_stay_bounded(data: bytes) -> None:
    for decode in deob.UNARY.values():
        out = decode(data)
        assert out is None or len(out) <= MAX_VALUE_BYTES + len(data)
    deob.xor_candidates(data)


def test_compression_bomb_is_cut_at_the_bound() -> None:
    bomb = zlib.compress(b"\0" * (64 << 20), 9)
    out = deob.gzuncompress(bomb)
    assert out is not None and len(out) == MAX_VALUE_BYTES


def test_deeply_nested_input_is_bounded_in_time() -> None:
    nested = b"<?php eval(" + b"base64_decode(" * 3000 + b"'eA=='" + b")" * 3001 + b";"
    wide = b"<?php " + b"$a=$a.$_GET[1];eval($a);" * 20000
    for data in (nested, wide):
        clock = time.monotonic()
        analysis = analyse_php(data, Budget())
        assert time.monotonic() - clock < MAX_SECONDS * 8
        assert isinstance(analysis.bounded, str)


# -- classic ASP tokeniser, parser and folder ----------------------------------------------

ASP_SEED = (
    b'<%@ Language=VBScript %>\n<% x = "a""b" & Chr(101) _\n'
    b' & ChrW(&H41) : y = Replace(x, "a", "b")\n'
    b'Execute StrReverse(Mid(y, 2, 3)) \' c\nSet s = CreateObject("WScript.Shell")\n'
    b"s.Run Request(1)\n"
    b'Session("k") = Request.Form("v") : Eval(Session("k"))\nFunction F(p)\n F = Left(p, 4)\n'
    b'End Function\n%><%= F(Request("q")) %><script runat="server" language="jscript">\n'
    b"var o = {a: eval, b: Request('z')}; o.a(o.b + ''); var r = /x\\/y/g;\n</script>"
)


def _asp_bounded(data: bytes) -> None:
    from sscguard.detect.webshell.asp import MAX_CONST, analyse_asp

    start = time.monotonic()
    result = analyse_asp(data)
    assert time.monotonic() - start < 10 * MAX_SECONDS + 2
    assert all(p.steps for p in result.analysis.paths)
    assert all(len(layer.preview) <= 160 for layer in result.analysis.layers)
    assert all(layer.size <= MAX_CONST for layer in result.analysis.layers)
    run_detectors("f.asp", data, ())


@FAST
@given(st.binary(max_size=4096))
def test_asp_random_bytes_never_crash(data: bytes) -> None:
    for prefix in (b"", b"<%", b'<%@ Language="JScript" %><%'):
        _asp_bounded(prefix + data)


@FAST
@given(
    st.integers(min_value=0, max_value=len(ASP_SEED)),
    st.integers(min_value=0, max_value=len(ASP_SEED)),
)
def test_asp_truncated_and_spliced_never_crash(cut: int, start: int) -> None:
    _asp_bounded(ASP_SEED[start:] + ASP_SEED[:cut])


@FAST
@given(
    st.text(alphabet="<%>\"'&_:()=.,+-{}[];\n Chr()ReplaceExecuteRequest1234567890Hh", max_size=800)
)
def test_asp_like_noise_never_crashes(text: str) -> None:
    _asp_bounded(("<%" + text).encode("utf-8"))


def test_asp_folding_stays_bounded_on_doubling_and_nesting() -> None:
    from sscguard.detect.webshell.asp import MAX_CONST, analyse_asp

    doubling = '<%\ns = "0123456789abcdef"\n' + "s = s & s & s & s\n" * 40 + "Execute s\n%>"
    replaces = '<%\ns = "aaaa"\n' + 's = Replace(s, "a", "aaaaaaaa")\n' * 40 + "Eval s\n%>"
    nested = "<%\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n%>"
    chain = "<%\nx = " + "&".join(["Chr(65)"] * 20000) + "\nExecute x\n%>"
    for page in (doubling, replaces, nested, chain):
        start = time.monotonic()
        result = analyse_asp(page.encode())
        assert time.monotonic() - start < 10
        assert all(layer.size <= MAX_CONST for layer in result.analysis.layers)
