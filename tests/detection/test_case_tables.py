"""The positive and benign case tables of the full-scan-path test modules, run through one
pair of tests: each positive must be reported under its rule at its module's ``FLAGGED_AT``
or above, each benign counterpart must give nothing at medium or above. The modules keep
their tables and the tests specific to them."""

from __future__ import annotations

from types import ModuleType

import pytest
import test_detection_python
import test_detection_round9
import test_detection_writers_interpreters

from conftest import ScanPath, assert_flagged, assert_not_flagged, findings_in
from sscguard.model import Severity

TABLES: tuple[ModuleType, ...] = (
    test_detection_writers_interpreters,
    test_detection_python,
    test_detection_round9,
)


def _cases(table: str) -> list[tuple[ModuleType, str]]:
    return [(m, case) for m in TABLES for case in sorted(getattr(m, table))]


def _id(item: object) -> str:
    if isinstance(item, ModuleType):
        return item.__name__.removeprefix("test_detection_")
    return str(item)


@pytest.mark.parametrize(("module", "case"), _cases("POSITIVES"), ids=_id)
def test_positive_case_is_flagged(module: ModuleType, case: str, scan_path: ScanPath) -> None:
    name, text, rule = module.POSITIVES[case]
    found = findings_in(scan_path, module.PREFIX + name, text)
    assert_flagged(found, rule, case, module.FLAGGED_AT)


@pytest.mark.parametrize(("module", "case"), _cases("BENIGN"), ids=_id)
def test_benign_case_is_not_flagged(module: ModuleType, case: str, scan_path: ScanPath) -> None:
    name, text = module.BENIGN[case]
    found = findings_in(scan_path, module.PREFIX + name, text)
    assert_not_flagged(found, case, Severity.MEDIUM)
