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
        "phpcap_drop": capability.MAX_REQUEST_ROUTE_BYTES,
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


_META = """
    meta:
        id = "SSC-003-901"
        title = "test rule"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047"
        severity = "high"
        confidence = "high"
        language = "any"
        why = "Because."
        remediation = "Remove it."
"""
_PART = (
    'rule SSC_003_901__small\n{\n    strings:\n        $s = "tiny"\n'
    "    condition:\n        $s and filesize < 64\n}\n"
)
_MAIN = (
    f'rule SSC_003_901\n{{{_META}    strings:\n        $a = "evil"\n'
    "    condition:\n        $a or SSC_003_901__small\n}\n"
)


def _compile_one(text: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    from sscguard.rules.yara import RuleSource, compile_rules

    source = RuleSource("webshell/SSC-003-901.yar", text, True)
    return compile_rules(sources=[source], cache_dir=str(tmp_path))


def test_a_part_rule_is_reported_as_its_main_rule_with_its_strings(tmp_path: Path) -> None:
    from sscguard.rules.yara import Matcher

    ruleset = _compile_one(_PART + "\n" + _MAIN, tmp_path)
    assert [i.id for i in ruleset.infos.values()] == ["SSC-003-901"]  # parts are no rules
    matcher = Matcher(ruleset)
    hits = matcher.match(b"a tiny file", {})
    assert [(h.rule.id, [p.identifier for p in h.patterns]) for h in hits] == [
        ("SSC-003-901", ["$s"])
    ]
    both = matcher.match(b"evil and tiny", {})
    assert [sorted(p.identifier for p in h.patterns) for h in both] == [["$a", "$s"]]
    # the part's bound: its string is neither searched nor reported in a larger file
    big = matcher.match(b"evil and tiny" + b" " * 64, {})
    assert [[p.identifier for p in h.patterns] for h in big] == [["$a"]]
    assert matcher.match(b"tiny" + b" " * 64, {}) == []


def test_part_rules_are_validated(tmp_path: Path) -> None:
    import pytest

    from sscguard.errors import RuleError

    with_meta = _PART.replace("    strings:", '    meta:\n        id = "x"\n    strings:', 1)
    with pytest.raises(RuleError, match="must carry no meta"):
        _compile_one(with_meta + "\n" + _MAIN, tmp_path / "a")
    orphan = _PART.replace("SSC_003_901__small", "SSC_003_902__small")
    main = _MAIN.replace("or SSC_003_901__small", "or SSC_003_902__small")
    with pytest.raises(RuleError, match="without rule SSC_003_902"):
        _compile_one(orphan + "\n" + main, tmp_path / "b")
