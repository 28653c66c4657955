"""Package ownership and digests from dpkg's own database, on real Debian packages."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import by_subject

MODULES = Path("/usr/lib/apache2/modules")
DOC = Path("/usr/share/doc/apache2")


def _need(path: Path, what: str) -> None:
    ok = path.exists() and shutil.which("gcc") is not None
    if not ok:
        message = f"{what} needs {path} (Debian package apache2) and gcc"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    if os.geteuid() != 0:
        pytest.skip("writes into a package's folder: needs root")


@pytest.mark.integration
def test_module_built_here_is_owned_by_no_package(
    tmp_path: Path, init: Callable[..., Any], verify: Any
) -> None:
    _need(MODULES, "the rogue module test")
    source = tmp_path / "mod.c"
    source.write_text("int sscguard_test_module(void) { return 42; }\n")
    module = MODULES / "mod_sscguard_test.so"
    assert not module.exists()
    try:
        clean = init(MODULES).json()
        assert clean["findings"] == []  # every stock module is owned and intact
        subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(module), str(source)], check=True)
        result = verify()
        assert result.code == 1
        finding = by_subject(result.json())[str(module)]
        assert finding["rule_id"] == "SSC-000-111"
        assert finding["severity"] == "high"
        assert finding["attack"][0]["technique"] == "T1505.004"
        assert {"SSC-000-100", "SSC-000-111"} <= set(finding["tags"])
        # A baseline taken with the module present reports it too.
        again = by_subject(init(MODULES).json())
        assert again[str(module)]["rule_id"] == "SSC-000-111"
        assert str(MODULES / "mod_alias.so") not in again  # benign: a packaged module
    finally:
        module.unlink(missing_ok=True)


@pytest.mark.integration
def test_package_file_modified_after_install(init: Callable[..., Any], verify: Any) -> None:
    _need(DOC, "the modified package file test")
    target = DOC / "NOTICE"
    original = target.read_bytes()
    st = target.stat()
    try:
        assert init(DOC).json()["findings"] == []
        with target.open("ab") as handle:
            handle.write(b"\n# changed after install\n")
        finding = by_subject(verify().json())[str(target)]
        assert finding["rule_id"] == "SSC-000-102"
        assert "integrity:SSC-000-110" in [e["kind"] for e in finding["evidence"]]
        assert any("package apache2" in e["detail"] for e in finding["evidence"])
        at_init = by_subject(init(DOC).json())[str(target)]
        assert at_init["rule_id"] == "SSC-000-110"
        assert "M1045" in at_init["attack"][0]["mitigations"]
    finally:
        target.write_bytes(original)
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
