"""Every code analyser stays linear on hostile shapes: long runs of one token class are where
a regular expression without an anchor goes quadratic (a Perl handle pattern once took 7 s
on a 68 KB file). CPU time, not wall time, so a busy machine does not fail it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from sscguard.detect.webshell import flow
from sscguard.detect.webshell.detectors import run_detectors

Run = Callable[..., CliResult]

SIZE = 200_000
#: a server-side opening (so every language sniffer says yes) followed by one hostile shape
HEADS = {
    "x.php": b"<?php\n$a = $_GET['a'];\n",
    "x.jsp": b'<%@ page import="java.io.*" %><% String a = request.getParameter("a");\n',
    "x.aspx": b'<%@ Page Language="C#" %><script runat="server">\nstring a = Request["a"];\n',
    "x.asp": b'<%\nDim a : a = Request("a")\n',
    "x.cgi": b"#!/usr/bin/perl\nuse CGI; my $q = CGI->new; my $a = $q->param('a');\n",
    "x.cfm": b"<cfset a = url.a>\n",
    ".htaccess": b"AddType application/x-httpd-php .jpg\n",
    "x.jpg": b"\xff\xd8\xff\xe0<?php ",
    # content sniffing: UTF-16 text, and an ASP.NET page under a PHP name
    "u.php": "<?php $a = $_GET['a'];\n".encode("utf-16"),
    "n.php": b'<%@ Page Language="C#" %><script runat="server">\nstring a = Request["a"];\n',
}
SHAPES = {
    "word": b"A" * SIZE,
    "dollar-words": b"$a" * (SIZE // 2),
    "spaces": b"x" + b" " * SIZE + b"=",
    "parens": b"(" * (SIZE // 2) + b")" * (SIZE // 2),
    "concat": b"'a'." * (SIZE // 4) + b"'a';",
    "assigns": b"$a=$b;" * (SIZE // 6),
    "quotes": b'"' * SIZE,
    "lines": b"a = b\n" * (SIZE // 6),
    # the obfuscation shapes: underscore variables, punctuation XOR, reversed superglobals
    "underscores": b"$_[$__]=$___^$_;" * (SIZE // 16),
    "punctuation": b"('^'^'{').('|'|'$')" * (SIZE // 18),
    "reversed": b"]'a'[TSOP_$(lave" * (SIZE // 16),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("name", sorted(HEADS))
def test_analysers_are_linear_on_hostile_shapes(name: str, shape: str) -> None:
    data = HEADS[name] + SHAPES[shape]
    started = time.process_time()
    run_detectors(name, data, ())
    spent = time.process_time() - started
    assert spent < 3.0, f"{name} + {shape}: {spent:.2f} CPU-s"


def test_a_stopped_analysis_is_reported_not_silent(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When an analyser stops at its CPU bound an ``analysis-bounded`` skip says so, and it
    does not turn the exit code into "incomplete" (every YARA rule still ran)."""
    ticks = iter(range(0, 10**9, 10))  # a clock that jumps 10 s per reading: every bound trips
    monkeypatch.setattr(flow, "clock", lambda: float(next(ticks)))
    page = tmp_path / "x.aspx"
    page.write_bytes(
        b'<%@ Page Language="C#" %><script runat="server">\n'
        b'void Page_Load() { System.Diagnostics.Process.Start("notepad.exe"); }\n</script>\n'
    )
    result = run("scan", "-j", "1", "--format", "json", "--no-progress", str(tmp_path))
    skipped = result.json()["skipped"]
    assert [s["code"] for s in skipped] == ["analysis-bounded"], skipped
    assert "aspx analysis" in skipped[0]["reason"] and "CPU-s" in skipped[0]["reason"]
    assert result.code == 0


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_utf16_text_is_linear_too(shape: str) -> None:
    """A UTF-16 file is transcoded and analysed again: the whole page in UTF-16 (twice the
    bytes) must stay within the same budget."""
    text = (HEADS["x.php"] + SHAPES[shape]).decode("latin-1")
    data = text.encode("utf-16")
    started = time.process_time()
    run_detectors("u.php", data, ())
    spent = time.process_time() - started
    assert spent < 3.0, f"utf-16 + {shape}: {spent:.2f} CPU-s"
