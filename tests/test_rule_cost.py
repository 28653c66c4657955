"""Cost bounds of the built-in rules and gates keep their verdicts: the per-string match cap
covers every count a condition asks for, and each gate's filesize bound is the size limit of
the analyser that reads its verdict."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from sscguard.detect.webshell import capability, jsp
from sscguard.rules.yara import BUILTIN_MAX_MATCHES, builtin_sources, gate_sources

GATES = Path(str(resources.files("sscguard") / "data" / "gates"))
_COUNT = re.compile(r"#\w+\s*(>=|>|==|<=|<)\s*(\d+)")
_UNITS = {"KB": 1 << 10, "MB": 1 << 20}


def test_no_builtin_condition_counts_more_matches_than_the_cap() -> None:
    counted = 0
    for src in [*builtin_sources(), *gate_sources()]:
        for op, number in _COUNT.findall(src.text):
            needed = int(number) + (1 if op in (">", "<=") else 0)
            assert needed <= BUILTIN_MAX_MATCHES, (src.name, op, number)
            counted += 1
    assert counted >= 2  # SSC-003-008 counts its strings


def _bounds(text: str) -> dict[str, int]:
    """rule name -> its top-level ``filesize <= N`` bound, in bytes."""
    out = {}
    for name, body in re.findall(r"^rule\s+(\w+)\s*\{(.*?)^\}", text, re.M | re.S):
        found = re.search(r"\)?\s*and filesize <= (\d+)(KB|MB)\s*$", body.strip())
        if found:
            out[name] = int(found.group(1)) * _UNITS[found.group(2)]
    return out


def test_gate_bounds_are_the_analysers_size_limits() -> None:
    phpcap = _bounds((GATES / "phpcap.yar").read_text())
    assert phpcap == {
        "phpcap_req": capability.MAX_REQUEST_ROUTE_BYTES,
        "phpcap_act": capability.MAX_REQUEST_ROUTE_BYTES,
        "phpcap_solo": capability.MAX_CAPABILITY_BYTES,
    }
    java = _bounds((GATES / "java.yar").read_text())
    assert java == {"java_source": jsp.MAX_ANALYSED, "java_sink": jsp.MAX_ANALYSED}


def test_gate_verdicts_at_the_size_limits(ruleset) -> None:  # type: ignore[no-untyped-def]
    """A page of exactly the analyser's limit still passes its gate; one byte more is not
    analysed anyway."""
    from sscguard.rules.yara import Matcher

    matcher = Matcher(ruleset)
    route = b"<?php mail($_POST['to'], 's', 'b');"
    page = route + b" " * (capability.MAX_REQUEST_ROUTE_BYTES - len(route))
    matcher.match(page, {})
    assert capability.gate_passes(page, matcher.gates)
    matcher.match(page + b" ", {})
    assert not capability.gate_passes(page + b" ", matcher.gates)
    solo = b"<?php echo file_get_contents('/etc/passwd');"
    page = solo + b" " * (capability.MAX_CAPABILITY_BYTES - len(solo))
    matcher.match(page, {})
    assert capability.gate_passes(page, matcher.gates)
    jsp_page = b'<% String c = request.getParameter("c"); Runtime.getRuntime().exec(c); %>'
    page = jsp_page + b" " * (jsp.MAX_ANALYSED - len(jsp_page))
    matcher.match(page, {})
    assert {"java_source", "java_sink"} <= matcher.gates
