"""Every check ID in the project is unique across areas, well-formed, and documented."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import REPO
from sscguard.checks import claim, load_all
from sscguard.rules.yara import RuleSet


def test_ids_are_unique_across_areas_and_rules(ruleset: RuleSet) -> None:
    owners = load_all()
    assert len(owners) > 100
    rule_ids = {info.id for info in ruleset.infos.values() if info.builtin}
    assert not rule_ids & set(owners), "a YARA rule ID is also a check ID"


def test_a_second_claim_is_refused() -> None:
    owners = load_all()
    taken = next(iter(owners))
    with pytest.raises(ValueError, match="duplicate check ID"):
        claim(taken, "someone-else")
    with pytest.raises(ValueError, match="not of the form"):
        claim("SSC-3-1", "someone-else")


def _shipped_ids() -> set[str]:
    """The IDs the package claims on its own (other tests register throwaway checks)."""
    code = "from sscguard.checks import load_all; print('\\n'.join(load_all()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {line for line in out.stdout.split() if line.startswith("SSC-")}


def test_every_id_has_a_docs_line(ruleset: RuleSet) -> None:
    docs = "\n".join(p.read_text() for p in (REPO / "docs").glob("*.md"))
    documented = set(re.findall(r"SSC-00[0-6]-\d{3}", docs))
    ids = _shipped_ids()
    ids |= {info.id for info in ruleset.infos.values() if info.builtin}
    assert not ids - documented, sorted(ids - documented)


def test_every_claimed_check_has_valid_shared_metadata() -> None:
    """One ``CheckInfo`` per claimed ID, with ATT&CK refs the catalogue knows."""
    from sscguard.attack import validate_ref
    from sscguard.checks import catalogue

    owners = load_all()
    infos = {i.id: i for i in catalogue()}
    for check_id in _shipped_ids():  # other tests register throwaway checks in this process
        area = owners[check_id]
        info = infos[check_id]
        assert info.area == area, check_id
        assert info.attack and not [p for a in info.attack for p in validate_ref(a)], check_id
        assert info.why.endswith(".") and info.remediation.strip() and info.title, check_id
