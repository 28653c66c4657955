"""Fixtures for the component audit: the lab builder from examples/ and a hivex guard.

Not a conftest.py: tests import ``conftest`` by name, and a second one would shadow it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(REPO / "examples"))
    spec = importlib.util.spec_from_file_location(name, REPO / "examples" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hivex_available() -> bool:
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import hivex"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return False
    return True


@pytest.fixture(scope="session")
def lab() -> ModuleType:
    if not _hivex_available():
        if os.environ.get("CI") == "true":
            pytest.fail("python3-hivex is missing (listed in .ci/apt/components.txt)")
        pytest.skip("python3-hivex is not installed: cannot generate SYSTEM hives")
    return _load("lab_components")


@pytest.fixture(scope="session")
def hivegen(lab: ModuleType) -> ModuleType:
    return _load("hivegen")


@pytest.fixture(scope="session")
def compromised(lab: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lab-bad")
    lab.build_components_lab(out)
    return out


@pytest.fixture(scope="session")
def clean(lab: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lab-clean")
    lab.build_components_lab(out, clean=True)
    return out
