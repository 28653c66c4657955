"""Component audit on the generated lab: every check fires on its planted case (positive),
none fires on the clean layout (benign), and every finding is complete."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import labfixtures
import pytest

from conftest import REPO
from sscguard.attack import validate_ref
from sscguard.audit import run_audit
from sscguard.detect.components import all_checks, audit
from sscguard.targets import discover

# The lab fixtures, shared through a plain module (see labfixtures.py).
lab = labfixtures.lab
hivegen = labfixtures.hivegen
compromised = labfixtures.compromised
clean = labfixtures.clean

ROOTS = ("linux-host", "windows-host", "esxi-host")


@pytest.mark.parametrize("host", ROOTS)
def test_compromised_layout_triggers_exactly_the_planted_checks(
    compromised: Path, lab: ModuleType, host: str
) -> None:
    findings = audit(discover(str(compromised / host)))
    assert {f.rule_id for f in findings} == set(lab.EXPECTED[host])


@pytest.mark.parametrize("host", ROOTS)
def test_clean_layout_triggers_only_stock_hardening_notes(
    clean: Path, lab: ModuleType, host: str
) -> None:
    findings = audit(discover(str(clean / host)))
    assert {f.rule_id for f in findings} == set(lab.CLEAN_EXPECTED[host])
    assert all(f.severity.value == "low" for f in findings)


def test_every_check_has_a_planted_positive_and_a_docs_line(lab: ModuleType) -> None:
    checks = all_checks()
    planted = {i for ids in lab.EXPECTED.values() for i in ids}
    assert planted == set(checks)
    docs = (REPO / "docs" / "components.md").read_text()
    for check_id, check in checks.items():
        c = check.info
        assert f"| {check_id} |" in docs, check_id
        assert c.why.endswith(".") and c.remediation and c.attack
        assert all(not validate_ref(a) for a in c.attack)


def test_findings_carry_location_attack_and_remediation(compromised: Path) -> None:
    for host in ROOTS:
        for f in audit(discover(str(compromised / host))):
            assert f.attack and f.remediation and f.why
            assert f.evidence
            for e in f.evidence:
                loc = e.location
                assert loc.path.startswith(("hive://", str(compromised))), loc
                if e.kind in ("configured-at", "setting") and not loc.path.startswith("hive://"):
                    assert (
                        loc.line is not None
                        or Path(loc.path).name.endswith(
                            (".jpg", ".so", ".dll", ".war", ".groovy", ".php")
                        )
                        or Path(loc.path).is_file()
                    ), loc


def test_termservice_reads_the_current_control_set_only(compromised: Path) -> None:
    inv = discover(str(compromised / "windows-host"))
    dlls = [c for c in inv.components if c.kind == "service-dll"]
    assert [c.get("control_set") for c in dlls] == ["ControlSet002"]
    assert dlls[0].get("value") == "C:\\Windows\\Temp\\tsvc.dll"
    assert dlls[0].configured_at.path.startswith("hive://SYSTEM/ControlSet002/")


def test_registry_acl_finding_names_everyone_and_key_set_value(compromised: Path) -> None:
    findings = [
        f for f in audit(discover(str(compromised / "windows-host"))) if f.rule_id == "SSC-000-157"
    ]
    assert findings
    detail = findings[0].evidence[0].detail
    assert "Everyone (S-1-1-0)" in detail and "0x0002001f" in detail


def test_audit_command_json_and_exit_code(compromised: Path, run: Callable[..., Any]) -> None:
    result = run("audit", "--root", str(compromised / "esxi-host"), "--format", "json")
    assert result.code == 1
    doc = result.json()
    assert doc["command"].startswith("sscguard")
    assert {f["rule_id"] for f in doc["findings"]} >= {"SSC-006-001", "SSC-006-004"}


def test_audit_clean_exits_zero_and_sarif_renders(clean: Path, run: Callable[..., Any]) -> None:
    assert run("audit", "--root", str(clean / "windows-host")).code == 0
    sarif = run("audit", "--root", str(clean / "linux-host"), "--format", "sarif")
    assert sarif.code == 0 and json.loads(sarif.out)["version"] == "2.1.0"


def test_inventory_json_is_stable_and_lists_components(
    compromised: Path, run: Callable[..., Any]
) -> None:
    result = run("inventory", "--root", str(compromised / "linux-host"), "--format", "json")
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["schema_version"] == "1.0" and doc["kind"] == "sscguard-inventory"
    kinds = {s["kind"] for s in doc["servers"]}
    assert {"apache", "nginx", "php", "php-fpm", "tomcat", "jenkins"} <= kinds
    apache = next(s for s in doc["servers"] if s["kind"] == "apache")
    assert set(apache) >= {
        "name",
        "version",
        "user",
        "config_files",
        "web_roots",
        "component_dirs",
        "log_files",
        "components",
    }
    rogue = next(c for c in apache["components"] if c["name"] == "authz_cache_module")
    assert rogue["path"] == "/tmp/.cache/mod_authz_cache.so"
    assert rogue["signature_state"] == "unowned"
    assert rogue["configured_at"]["line"] == 1
    assert apache["log_files"][0]["format"].startswith("%h %l %u %t")
    table = run("inventory", "--root", str(compromised / "linux-host"))
    assert "authz_cache_module" in table.out and re.search(r"package-modified", table.out)


def test_inventory_rejects_sarif_and_missing_root(run: Callable[..., Any], tmp_path: Path) -> None:
    assert run("inventory", "--format", "sarif", "--root", str(tmp_path)).code == 2
    assert run("audit", "--root", str(tmp_path / "nope")).code == 2


def test_empty_root_finds_nothing(tmp_path: Path) -> None:
    doc = run_audit(str(tmp_path))
    assert not doc.findings and not doc.skipped and doc.stats["servers"] == 0
