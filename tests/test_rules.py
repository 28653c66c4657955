"""Every built-in rule fires on its positive samples and not on its benign ones; rule loading
rejects bad metadata with the file and line; users' YARA packs load with LOKI's externals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES
from sscguard.config import ScanConfig
from sscguard.errors import RuleError
from sscguard.model import Severity, SkipCode
from sscguard.rules.yara import RuleSet, RuleSource, builtin_sources, compile_rules
from sscguard.scan import scan

RULE_IDS = sorted(Path(s.name).stem for s in builtin_sources())


def _scan_file(path: Path, ruleset: RuleSet) -> set[str]:
    cfg = ScanConfig(jobs=1, progress=False, min_severity=Severity.INFO)
    doc = scan([str(path)], cfg, ruleset=ruleset)
    assert not doc.skipped, doc.skipped
    return {f.rule_id for f in doc.findings}


def test_rules_exist_and_ids_are_unique(ruleset: RuleSet) -> None:
    assert len(RULE_IDS) >= 30
    assert len({i.id for i in ruleset.infos.values()}) == len(ruleset.infos) == len(RULE_IDS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_has_positive_and_benign_samples(rule_id: str) -> None:
    folder = SAMPLES / "webshell" / rule_id
    assert sorted(folder.glob("positive*")), f"{rule_id} has no positive sample"
    assert sorted(folder.glob("benign*")), f"{rule_id} has no benign sample"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_positive_samples(rule_id: str, ruleset: RuleSet) -> None:
    for sample in sorted((SAMPLES / "webshell" / rule_id).glob("positive*")):
        assert rule_id in _scan_file(sample, ruleset), f"{sample.name} missed by {rule_id}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_stays_quiet_on_benign_samples(rule_id: str, ruleset: RuleSet) -> None:
    for sample in sorted((SAMPLES / "webshell" / rule_id).glob("benign*")):
        assert rule_id not in _scan_file(sample, ruleset), f"{rule_id} fired on {sample.name}"


def test_findings_explain_the_match(ruleset: RuleSet) -> None:
    sample = sorted((SAMPLES / "webshell" / "SSC-003-001").glob("positive*.php"))[0]
    cfg = ScanConfig(jobs=1, progress=False)
    doc = scan([str(sample)], cfg, ruleset=ruleset)
    finding = next(f for f in doc.findings if f.rule_id == "SSC-003-001")
    assert finding.attack[0].technique == "T1505.003"
    assert finding.attack[0].data_component == "DS0022 File Creation"
    assert finding.why.endswith(".") and finding.remediation
    evidence = finding.evidence[0]
    assert evidence.location.line == 1
    assert "eval($_POST" in evidence.excerpt


def test_rules_doc_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "gen_rule_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- loading errors ------------------------------------------------------------------------

GOOD_META = """
        id = "SSC-003-901"
        title = "test rule"
        technique = "T1505.003"
        data_component = "DS0022 File Creation"
        mitigations = "M1047"
        severity = "high"
        confidence = "high"
        language = "php"
        why = "Because."
        remediation = "Remove it."
"""


def _rule(meta: str = GOOD_META, ident: str = "SSC_003_901", cond: str = "$a") -> str:
    return (
        f'rule {ident}\n{{\n    meta:{meta}    strings:\n        $a = "evil"\n'
        f"    condition:\n        {cond}\n}}\n"
    )


def _compile(*texts: tuple[str, str]) -> RuleSet:
    return compile_rules(sources=[RuleSource(name, text, True) for name, text in texts])


def test_valid_synthetic_rule_loads() -> None:
    ruleset = _compile(("webshell/SSC-003-901.yar", _rule()))
    assert [i.id for i in ruleset.infos.values()] == ["SSC-003-901"]


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (GOOD_META.replace('severity = "high"', 'severity = "urgent"'), "'urgent' is not one of"),
        (GOOD_META.replace('technique = "T1505.003"', 'technique = "T9999"'), "unknown technique"),
        (GOOD_META.replace('        why = "Because."\n', ""), "missing meta: why"),
        (GOOD_META + '        author = "x"\n', "unknown meta key 'author'"),
        (GOOD_META.replace('"M1047"', '"M9999"'), "unknown mitigation"),
    ],
)
def test_bad_metadata_names_file_and_line(meta: str, message: str) -> None:
    source = "// header\n" + _rule(meta)
    with pytest.raises(RuleError) as info:
        _compile(("webshell/SSC-003-901.yar", source))
    assert info.value.source == "webshell/SSC-003-901.yar:2"
    assert message in info.value.message


def test_file_name_must_match_rule_id() -> None:
    with pytest.raises(RuleError, match=r"file name must be SSC-003-901\.yar"):
        _compile(("webshell/other.yar", _rule()))


def test_rule_identifier_must_match_its_id() -> None:
    other = _rule(ident="SSC_003_902").replace('id = "SSC-003-901"', 'id = "SSC-003-901"')
    with pytest.raises(RuleError, match="identifier SSC_003_902 must be SSC_003_901"):
        _compile(("webshell/SSC-003-901.yar", _rule()), ("webshell/SSC-003-902.yar", other))


def test_builtin_rule_that_does_not_compile_is_an_error() -> None:
    with pytest.raises(RuleError, match="does not compile"):
        _compile(("webshell/SSC-003-901.yar", _rule(cond="$a and nothing_declared")))


# -- users' packs --------------------------------------------------------------------------

LOKI_STYLE = """
rule Demo_Shell_Ext {
    meta:
        description = "demo rule using LOKI externals"
        score = 80
    strings:
        $s = "marker-xyzzy"
    condition:
        extension == ".php" and filename matches /^drop/ and $s
}
rule Demo_Zip_Type {
    meta:
        score = 50
    condition:
        filetype == "ZIP" and filepath contains "/pack/"
}
"""


def test_user_pack_with_loki_externals(tmp_path: Path, run: object) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "good.yar").write_text(LOKI_STYLE)
    (rules / "broken.yar").write_text("rule broken { condition: undefined_thing }")
    target = tmp_path / "pack"
    target.mkdir()
    (target / "dropper.php").write_text("<?php // marker-xyzzy\n")
    (target / "dropper.txt").write_text("marker-xyzzy\n")
    (target / "a.zip").write_bytes(b"PK\x03\x04rest")
    ruleset = compile_rules([str(rules)])
    cfg = ScanConfig(jobs=1, progress=False)
    doc = scan([str(target)], cfg, ruleset=ruleset)
    hits = {(f.rule_id, Path(f.subject.path).name, f.severity) for f in doc.findings}
    assert ("YARA:u1_good:Demo_Shell_Ext", "dropper.php", Severity.HIGH) in hits
    assert ("YARA:u1_good:Demo_Zip_Type", "a.zip", Severity.MEDIUM) in hits
    assert not [h for h in hits if h[1] == "dropper.txt"]  # extension external respected
    broken = [s for s in doc.skipped if s.source.endswith("broken.yar")]
    assert broken and broken[0].code is SkipCode.UNSUPPORTED
    assert "undefined_thing" in broken[0].reason


def test_missing_rules_folder_is_a_usage_error(run: object, tmp_path: Path) -> None:
    result = run("scan", "--rules", str(tmp_path / "nope"), str(tmp_path))  # type: ignore[operator]
    assert result.code == 2
    assert "rules path does not exist" in result.err


def test_builtin_rules_and_gates_do_not_read_the_externals(ruleset: RuleSet) -> None:
    """The scanner skips computing filename/filepath/extension/filetype per file unless a
    user's rule is loaded: that is only right while no built-in rule or gate reads them."""
    import yara_x

    from sscguard.rules.yara import Matcher, builtin_sources, gate_sources

    compiler = yara_x.Compiler()  # no define_global: a rule reading one would not compile
    for src in [*builtin_sources(), *gate_sources()]:
        compiler.add_source(src.text, origin=src.name)
    compiler.build()
    assert not Matcher(ruleset).uses_externals


def test_match_cap_for_builtin_rules_only(tmp_path: Path, ruleset: RuleSet) -> None:
    """Built-in rules and gates scan with a per-string match cap (memory on hostile files);
    a user's rule that counts more matches than the cap still works."""
    from sscguard.rules.yara import BUILTIN_MAX_MATCHES, Matcher

    data = b"<%\n" + b"x = Eval(y) : " * (BUILTIN_MAX_MATCHES * 5)
    builtin = Matcher(ruleset)
    builtin.match(data, {})
    assert {"asp_code", "asp_capability"} <= builtin.gates
    user_dir = tmp_path / "rules"
    user_dir.mkdir()
    (user_dir / "many.yar").write_text(
        f'rule many_evals {{ strings: $e = "Eval(" condition: #e > {BUILTIN_MAX_MATCHES * 4} }}\n'
    )
    with_user = Matcher(compile_rules([str(user_dir)], cache_dir=str(tmp_path / "cache")))
    assert any(h.rule.id.endswith(":many_evals") for h in with_user.match(data, {}))


def test_cache_hit_lists_the_same_rules_without_loading_them(tmp_path: Path) -> None:
    """The second compile reads the rule listing from the cache's side file (the calling
    process never loads the compiled rules); it must describe exactly the same rules."""
    import json

    user_dir = tmp_path / "rules"
    user_dir.mkdir()
    (user_dir / "mine.yar").write_text(
        'rule escaped { meta: note = "tab\\there" score = 7 strings: $a = "zqx" condition: $a }\n'
    )
    cache = tmp_path / "cache"
    first = compile_rules([str(user_dir)], cache_dir=str(cache))
    sides = list(cache.glob("sscguard/*.json"))
    assert len(sides) == 1
    listed = json.loads(sides[0].read_text())["rules"]
    assert any(ident == "escaped" for _, ident, _ in listed)
    second = compile_rules([str(user_dir)], cache_dir=str(cache))
    assert second.infos == first.infos and second.parts == first.parts
    assert second.compiled_blob == first.compiled_blob


def test_cache_side_file_of_an_older_format_is_a_miss(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = compile_rules(cache_dir=str(cache))
    (side,) = cache.glob("sscguard/*.json")
    side.write_text("[]")  # the first format: only the list of skips
    again = compile_rules(cache_dir=str(cache))
    assert again.infos == first.infos
    assert "rules" in side.read_text()  # rewritten in the current format


def test_scan_without_code_analysis_leaves_the_gates_out(tmp_path: Path) -> None:
    from sscguard.rules.yara import Matcher

    data = b'<%\n x = Eval(Request("c")) %>'
    with_gates = Matcher(compile_rules(cache_dir=str(tmp_path)))
    with_gates.match(data, {})
    assert "asp_code" in with_gates.gates
    bare = compile_rules(cache_dir=str(tmp_path), gates=False)
    without = Matcher(bare)
    hits = without.match(data, {})
    assert without.gates == frozenset()
    assert len(bare.infos) == len(compile_rules(cache_dir=str(tmp_path)).infos)
    assert {h.rule.id for h in hits} == {h.rule.id for h in with_gates.match(data, {})}


def test_cache_listing_that_does_not_fit_the_sources_is_a_miss(tmp_path: Path) -> None:
    import json

    cache = tmp_path / "cache"
    first = compile_rules(cache_dir=str(cache))
    (side,) = cache.glob("sscguard/*.json")
    doc = json.loads(side.read_text())
    doc["rules"].append(["u9_elsewhere", "stray", []])
    side.write_text(json.dumps(doc))
    assert compile_rules(cache_dir=str(cache)).infos == first.infos
    assert "u9_elsewhere" not in side.read_text()
