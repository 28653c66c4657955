"""Gate shapes tested in Python instead of YARA-X (their only atoms are frequent bytes, so
the scanner verified them everywhere) keep each gate's verdict: the phpcap gate with its
Python-tested shape equals the gate rules with the shape put back as a YARA-X string."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from sscguard.detect.webshell import capability as cap
from sscguard.rules.yara import Matcher, compile_rules

GATES = Path(str(resources.files("sscguard") / "data" / "gates"))


@cache
def _matcher() -> Matcher:
    return Matcher(compile_rules())


@cache
def _original_phpcap() -> Callable[[bytes], bool]:
    """phpcap.yar with the shapes listed in its header note put back into phpcap_act."""
    import yara_x

    text = (GATES / "phpcap.yar").read_text()
    shapes = re.findall(r"^//\s+act:\s+(/.*)$", text, re.M)
    assert shapes, "the note in phpcap.yar lists the Python-tested shapes"
    extra = "".join(
        f"rule phpcap_act_extra{i} {{ strings: $a = {body} condition: $a }}\n"
        for i, body in enumerate(shapes)
    )
    rules = yara_x.compile(text + extra)

    def gate(data: bytes) -> bool:
        names = {r.identifier.split("_extra")[0] for r in rules.scan(data).matching_rules}
        return cap.gate_passes(data, frozenset(names))

    return gate


def _current(data: bytes) -> bool:
    matcher = _matcher()
    matcher.match(data, {})
    return cap.gate_passes(data, matcher.gates)


def test_phpcap_python_shape_keeps_the_original_gate() -> None:
    samples = [p.read_bytes() for p in sorted(Path(SAMPLES).rglob("*")) if p.is_file()]
    samples += [
        b"<?php if (md5($_GET['p']) == '0123456789abcdef0123456789ABCDEF') { echo 1; }",
        b"<?php if (md5($_POST['p']) === \"0123456789abcdef0123456789abcdef\") { echo 1; }",
        b"<?php $h = '0123456789abcdef0123456789abcde'; echo $_GET['x'];",  # 31 digits
        b"<?php $h = '0123456789abcdef0123456789abcdefg'; echo $_GET['x'];",
    ]
    verdicts = [_current(d) for d in samples]
    assert verdicts == [_original_phpcap()(d) for d in samples]
    assert verdicts[-4:] == [True, True, False, False]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b"'", b'"', b"0123456789abcdef", b"ABCDEF", b"9", b"$_GET['a']", b" ", b"x"]
        ),
        max_size=12,
    ),
    st.booleans(),
)
def test_phpcap_python_shape_keeps_the_original_gate_fuzzed(parts: list[bytes], big: bool) -> None:
    data = b"<?php " + b"".join(parts) + (b" " * (cap.MAX_REQUEST_ROUTE_BYTES if big else 0))
    assert _current(data) == _original_phpcap()(data)
