"""The speed-ups keep results identical: each fast path is checked against the plain form it
replaced (regular expressions with ``(?i)`` and a leading look-behind, ``Node.parent`` climbs,
``json.dumps(indent=2)``, the whole-chunk reader of ``parse_bounded``)."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell import php
from sscguard.detect.webshell.flow import Budget, parse_bounded
from sscguard.report.json_report import dump_indented, write_indented

# The patterns as they were before they ran on the lower-cased text (see php._fast_words).
_KEYWORD_SINK = re.compile(
    rb"(?i)(?<![\w$>:])(include|require)(_once)?\b|`|\bnew\s+\\?Reflection"
    rb"|->\s*invoke(args)?\s*\("
)
_DECODER_CALL = re.compile(
    rb"(?i)(?<![\w$>:])(base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin"
    rb"|convert_uudecode|urldecode|rawurldecode)\s*\("
)
_IMPORTERS = re.compile(
    rb"(?i)(?<![\w$>:])(extract|parse_str|mb_parse_str|import_request_variables)\s*\("
    rb"|\$\$\w+\s*=[^=]|\$\{[^}\n]{1,80}\}\s*=[^=]"
)

_WORDS = [
    b"include", b"REQUIRE_once", b"new \\Reflection", b"->Invoke (", b"->invokeArgs(", b"`",
    b"base64_decode", b"GzInflate", b"rawurldecode", b"urldecode", b"mb_parse_str",
    b"parse_str", b"extract", b"$$k = 1", b"${'a'} = 2", b"$$a=", b"${b}=", b"=", b"$", b"{",
    b"myfunc", b"MyFunc", b"Function",
    b"function &",
]  # fmt: skip
_GLUE = [
    b"",
    b" ",
    b"(",
    b"x",
    b"$",
    b">",
    b":",
    b"_",
    b"\n",
    b"=",
    b"/*c*/",
    b"\\",
    b"::",
    b"]",
    b"}",
]
_TEXT = st.lists(st.sampled_from(_WORDS + _GLUE), max_size=40).map(b"".join)


def _spans(rx: re.Pattern[bytes], text: bytes) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_literal_first_patterns_match_where_the_case_blind_ones_did(text: bytes) -> None:
    lower = text.lower()
    assert php._keyword_sites(lower) == [m.start() for m in _KEYWORD_SINK.finditer(text)]
    assert _spans(php._DECODER_CALL, lower) == _spans(_DECODER_CALL, text)
    importers = re.compile(
        rb"("
        + php._fast_words(
            (b"extract", b"parse_str", b"mb_parse_str", b"import_request_variables"), rb"[\w$>:]"
        )
        + rb")\s*\(|\$\$\w+\s*=[^=]|\$\{[^}\n]{1,80}\}\s*=[^=]"
    )
    assert _spans(importers, lower) == _spans(_IMPORTERS, text)
    for limit in (1, 2, 64):
        assert (
            php._importer_sites(lower, limit)
            == [(m.start(), m.group(1)) for m in importers.finditer(lower)][:limit]
        )
    assert _spans(php._DYNAMIC_CALL, text) == _spans(re.compile(rb"\$\w+\s*\(|[\]}]\s*\("), text)
    func_def = re.compile(rb"(?i)\bfunction\s+&?\s*(\w+)\s*\(")
    assert [m.span(1) for m in php._FUNC_DEF.finditer(lower)] == [
        m.span(1) for m in func_def.finditer(text)
    ]
    calls = re.compile(php._fast_words((b"myfunc",), rb"[\w$>]") + rb"\s*\(")
    assert _spans(calls, lower) == _spans(re.compile(rb"(?i)(?<![\w$>])myfunc\s*\("), text)


def _plain_scope(node: Any) -> int:
    parent = node.parent
    hops = 0
    while parent is not None and hops < 400:
        if parent.type in ("function_definition", "method_declaration"):
            return int(parent.id)
        parent = parent.parent
        hops += 1
    return 0


def _all_nodes(root: Any) -> list[Any]:
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children)
    return out


def test_remembered_scopes_equal_the_plain_parent_climb() -> None:
    deep = b"$x = " + b"(" * 402 + b"1" + b")" * 402 + b";"
    source = (
        b"<?php\nfunction outer($a) {\n  $f = function($b) { return system($b); };\n"
        b"  class K { function m($c) { if ($c) { eval($c . '" + b"x" * 10 + b"'); } } }\n"
        b"  return " + b"'a' . " * 405 + b"'b';\n}\n" + deep + b"\nfunction inner() { "
        + deep + b" }\n"
    )  # fmt: skip
    tree = parse_bounded(php.php_parser(), source)
    assert tree is not None
    analyser = php.PhpAnalyser(source, Budget())
    analyser.root = tree.root_node
    nodes = _all_nodes(tree.root_node)
    # in two orders, so that both cold climbs and remembered ones are compared
    for node in nodes[::13] + nodes[::3]:
        assert analyser.scope_of(node) == _plain_scope(node)
    # inside inner(): near the top its own id, deep in the parentheses past the bound, 0
    start = source.index(b"function inner")
    inside = {analyser.scope_of(n) for n in nodes[::3] if n.start_byte > start + 20}
    assert 0 in inside and len(inside) == 2


def test_node_text_through_the_growing_reader_is_the_source() -> None:
    source = b"<?php\n$a = '" + b"y" * 200_000 + b"';\necho strrev('abc');\n" * 3
    tree = parse_bounded(php.php_parser(), source)
    assert tree is not None
    for node in _all_nodes(tree.root_node)[:2000]:
        assert node.text == source[node.start_byte : node.end_byte]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_indented_json_is_the_json_modules_text(value: Any) -> None:
    assert dump_indented(value) == json.dumps(value, ensure_ascii=True, indent=2)


def test_indented_json_leaves_unusual_keys_to_the_json_module() -> None:
    value = {"a": {1: [1.5, None], None: True}, "b": [{"c": {2: {"d": [1, 2]}}}]}
    assert dump_indented(value) == json.dumps(value, ensure_ascii=True, indent=2)


def test_streamed_json_is_the_same_text_written_in_batches() -> None:
    import io

    class Counting(io.StringIO):
        writes = 0

        def write(self, text: str) -> int:
            Counting.writes += 1
            return super().write(text)

    value = {
        "findings": [
            {"id": i, "path": f"/srv/www/\u00e9{i}.php", "lines": [i, i + 1]} for i in range(3000)
        ],
        "n": 3000,
    }
    out = Counting()
    write_indented(value, out)
    assert out.getvalue() == json.dumps(value, ensure_ascii=True, indent=2)
    assert Counting.writes > 5  # written in batches, not as one string


@settings(max_examples=100, deadline=None)
@given(_JSON)
def test_streamed_json_equals_the_json_module(value: Any) -> None:
    import io

    out = io.StringIO()
    write_indented(value, out)
    assert out.getvalue() == json.dumps(value, ensure_ascii=True, indent=2)


_SITE_TEXT = st.lists(
    st.sampled_from([b"$a", b"$ab", b"a", b"ab", b"->a", b"->", b"::", b"$", b"(", b" ", b"\n",
                     b"_", b"x", b">", b"-", b"\xe9", b"9"]),
    max_size=30,
).map(b"".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_SITE_TEXT, st.sampled_from([b"a", b"ab", b"", b"\xe9"]), st.integers(1, 5))
def test_found_name_sites_are_the_regex_matches(text: bytes, name: bytes, limit: int) -> None:
    for needle, boundary, tail in ((b"$" + name, False, rb"(?!\w)"), (b"->" + name, True, rb"\b")):
        expected = [m.start() for m in re.finditer(re.escape(needle) + tail, text)][:limit]
        assert php._name_sites(text, needle, boundary, limit) == expected


@settings(max_examples=500, deadline=None)
@given(_SITE_TEXT, st.sampled_from([b"a", b"ab", b"x"]), st.integers(1, 5))
def test_found_call_sites_are_the_regex_matches(text: bytes, name: bytes, limit: int) -> None:
    function = re.compile(rb"(?<![\w$>])" + name + rb"\s*\(")
    method = re.compile(rb"(->|::)\s*" + name + rb"\s*\(")
    for rx, is_method in ((function, False), (method, True)):
        expected = [m.end() - 1 for m in rx.finditer(text)][:limit]
        assert php._call_sites(text, name, is_method, limit) == expected


def test_one_parse_is_shared_for_the_same_bytes_only() -> None:
    page = b"<?php system($_GET['c']);"
    first = php.parse_php(page, share=True)
    assert php.parse_php(bytes(bytearray(page)), share=True) is first  # equal bytes: reused
    assert php.parse_php(page + b" ", share=True) is not first
    assert php.parse_php(page) is not php.parse_php(page)  # not shared unless asked
    big = b"<?php\n" + b"$a = 1;\n" * 40_000  # above what the capability model parses
    assert php.parse_php(big, share=True) is not php.parse_php(big, share=True)


def test_reported_paths_do_not_depend_on_the_hash_seed() -> None:
    """Set iteration order follows PYTHONHASHSEED; the sink search order must not, or the
    evidence of the same file changes from run to run."""
    import subprocess
    import sys

    program = (
        "from sscguard.detect.webshell.php import analyse_php\n"
        'src = b\'<?php $c = $_GET["c"]; system($c); exec($c); passthru($c); eval($c);'
        ' assert($c); shell_exec($c); popen($c, "r"); file_put_contents($c, $c);\'\n'
        "a = analyse_php(src)\n"
        "print([(p.sink, [(s.line, s.label) for s in p.steps]) for p in a.paths])\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert "system" in outputs.pop()


@settings(max_examples=500, deadline=None)
@given(_SITE_TEXT, st.sampled_from([b"a", b"ab", b"x", b"_9"]))
def test_indexed_name_sites_are_the_regex_matches(text: bytes, name: bytes) -> None:
    analyser = php.PhpAnalyser(text, Budget())
    for needle, member, tail in ((b"$" + name, False, rb"(?!\w)"), (b"->" + name, True, rb"\b")):
        expected = [m.start() for m in re.finditer(re.escape(needle) + tail, text)]
        assert analyser._name_index(member).get(name, []) == expected


# The marker and hint patterns as they were before each branch opened with a literal.
_PERL_MARKERS_PLAIN = re.compile(
    rb"\buse\s+(?:strict|warnings|CGI|Socket|IO::Socket|POSIX)\b|\bmy\s*[\$@%]\w|\bsub\s+\w+\s*\{"
    rb"|\$ENV\{|\bprint\s+\"Content-type|=~\s*(?:s|tr|m)?/|\bchomp\s*\(|\bforeach\s+(?:my\s+)?\$"
)
_JSP_HINT_PLAIN = re.compile(
    rb"<%@\s*page\b|<jsp:(scriptlet|declaration|expression|directive)|<%!|"
    rb"\brequest\.getParameter\s*\(|\bimport\s+java\.|\bjava\.(io|lang|net|util)\.[A-Z]"
)
_ASP_CODE_PLAIN = re.compile(rb"<%|(?i:runat\s*=\s*[\"']?server)")
_MARKER_WORDS = [
    b"use strict", b"use CGI", b"xuse POSIX", b"my $a", b"my@b", b"_my %c", b"sub f {",
    b"$ENV{", b'print "Content-type', b"=~ s/", b"=~/", b"chomp(", b"foreach my $x",
    b"foreach $", b"request.getParameter(", b"_request.getParameter (", b"import java.",
    b"java.io.F", b"java.util.x", b"<%@ page", b"<jsp:scriptlet", b"<%!", b"<%", b"RUNAT='server",
    b"runat = server", b"\xff", b" ", b"\n", b"a", b"_", b"$", b".",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_MARKER_WORDS) | st.binary(max_size=6), max_size=24))
def test_literal_led_patterns_equal_the_plain_ones(parts: list[bytes]) -> None:
    from sscguard.detect.webshell import asp_detect, jsp, perl

    text = b"".join(parts)
    fast = [m.group(0) for m in perl._PERL_MARKERS.finditer(text)]
    assert fast == [m.group(0) for m in _PERL_MARKERS_PLAIN.finditer(text)]
    assert (jsp._JSP_HINT.search(text) is None) == (_JSP_HINT_PLAIN.search(text) is None)
    assert asp_detect._has_code(text) == (_ASP_CODE_PLAIN.search(text) is not None)


def test_bounded_parses_do_not_keep_their_chunks() -> None:
    """py-tree-sitter 0.26 keeps a reference to every object a read callback returns during
    a parse; parse_bounded returns one refilled bytearray, so 300 parses of a 40 KB page must
    not keep 300 copies of it (12 MB) alive."""
    import gc
    import tracemalloc

    page = b"<?php\n" + b"$v = strtoupper('" + b"q" * 40_000 + b"');\necho $v;\n"
    parser = php.php_parser()
    assert parse_bounded(parser, page) is not None
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(300):
            tree = parse_bounded(parser, page)
            assert tree is not None and tree.root_node.text == page
        del tree
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 1_000_000, f"{grown} bytes kept after 300 parses"


def test_binary_decoded_layers_are_not_parsed(monkeypatch: Any) -> None:
    """An encrypted blob decoded and executed is not PHP: the analyser records nothing from
    it and does not hand random bytes to the parser (its slowest case); a decoded layer of
    code with non-ASCII names is still parsed."""
    import base64
    import random

    from sscguard.detect.webshell import deobfuscate

    noise = random.Random(7).randbytes(3000)
    assert deobfuscate.mostly_binary(noise)
    named = "EvAl($\ufffd\u6719\u8da3\ufffd\u4246\ufffd\ufffd);".encode() * 3
    assert not deobfuscate.mostly_binary(named)
    assert not deobfuscate.mostly_binary(b"")

    parsed: list[int] = []
    real = php.parse_bounded

    def counting(parser: Any, data: bytes, *args: Any) -> Any:
        parsed.append(len(data))
        return real(parser, data, *args)

    monkeypatch.setattr(php, "parse_bounded", counting)
    blob = base64.b64encode(noise).decode()
    page = f"<?php\neval(base64_decode('{blob}'));\n".encode()
    result = php.analyse_php(page)
    assert parsed == [len(page)]
    assert not result.layers and not result.paths

    parsed.clear()
    code = base64.b64encode(b"system($_GET['c']);").decode()
    result = php.analyse_php(f"<?php\neval(base64_decode('{code}'));\n".encode())
    assert len(parsed) == 2 and result.layers and result.paths
