"""Core model and ATT&CK catalogue behaviour."""

from __future__ import annotations

import pytest

from sscguard import attack
from sscguard.config import parse_size
from sscguard.errors import ConfigError
from sscguard.model import Confidence, Location, Severity, make_fingerprint
from sscguard.textutil import excerpt_at, line_of, sanitize


def test_severity_and_confidence_are_ordered() -> None:
    assert Severity.INFO < Severity.LOW < Severity.MEDIUM < Severity.HIGH < Severity.CRITICAL
    assert Confidence.LOW < Confidence.HIGH
    assert Severity.parse(" High ") is Severity.HIGH
    with pytest.raises(ValueError, match="not one of"):
        Severity.parse("severe")


def test_fingerprint_ignores_line_but_not_rule_or_path() -> None:
    a = make_fingerprint("SSC-003-001", Location("/w/x.php", line=3))
    assert a == make_fingerprint("SSC-003-001", Location("/w/x.php", line=90))
    assert a != make_fingerprint("SSC-003-002", Location("/w/x.php"))
    assert a != make_fingerprint("SSC-003-001", Location("/w/y.php"))
    assert len(a) == 32


def test_catalogue_covers_t1505_and_named_mitigations() -> None:
    assert {"T1505", *(f"T1505.00{i}" for i in range(1, 7))} <= set(attack.TECHNIQUES)
    assert {"M1047", "M1045", "M1042", "M1026", "M1024", "M1018"} <= set(attack.MITIGATIONS)
    for ds in ("DS0015", "DS0022", "DS0029", "DS0009"):
        assert attack.DATA_SOURCES[ds].components
    assert attack.data_component_ok("DS0009 Process Creation")
    assert not attack.data_component_ok("DS0009 File Creation")
    assert attack.TECHNIQUES["T1505.003"].url.endswith("/techniques/T1505/003/")
    with pytest.raises(ValueError, match="unknown mitigation"):
        attack.ref("T1505.003", "DS0022 File Creation", "M0000")


def test_sanitize_makes_one_safe_line() -> None:
    text = sanitize("a\x1b[2Jb\nc\u202ed\x00" + "x" * 500, limit=50)
    assert "\x1b" not in text and "\u202e" not in text and "\n" not in text
    assert text.startswith("a\\x1b[2Jb c\\u202ed\\x00") and len(text) == 50


def test_excerpt_and_line() -> None:
    data = b"line one\n  eval($_POST[1]);  \nline three"
    offset = data.index(b"eval")
    assert line_of(data, offset) == 2
    assert excerpt_at(data, offset, 4) == "eval($_POST[1]);"


@pytest.mark.parametrize(
    ("text", "value"), [(1024, 1024), ("512k", 512 << 10), ("32MiB", 32 << 20), ("1G", 1 << 30)]
)
def test_parse_size(text: object, value: int) -> None:
    assert parse_size(text) == value


@pytest.mark.parametrize("text", ["", "-1", "12 parsecs", True, 0])
def test_parse_size_rejects(text: object) -> None:
    with pytest.raises(ConfigError):
        parse_size(text)


def test_model_types_pickle_round_trip_compactly() -> None:
    """Worker processes send findings to the parent by pickle: every field must survive."""
    import pickle

    from sscguard.model import (
        AttackRef,
        Confidence,
        Evidence,
        Finding,
        Location,
        Severity,
        SkipCode,
        Skipped,
    )

    subject = Location("/srv/www/a.php", line=3, column=7, offset=40)
    finding = Finding(
        rule_id="SSC-000-001",
        title="t",
        subject=subject,
        attack=(AttackRef("T1505.003", "DS0022 File Modification", ("M1047",)),),
        severity=Severity.HIGH,
        confidence=Confidence.LOW,
        why="w",
        remediation="r",
        evidence=(Evidence("yara", Location("/srv/www/a.php"), "x", "d", "2026-01-01T00:00:00Z"),),
        tags=("a", "b"),
        fingerprint="f" * 32,
    )
    skipped = Skipped("/srv/www/b.php", SkipCode.BOUNDED, "bounded")
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps((finding, skipped), protocol=protocol))
        assert back == (finding, skipped)
        assert back[0].fingerprint == finding.fingerprint
        assert type(back[0].subject) is Location
    # the default fingerprint is recomputed identically, not lost
    plain = Finding("SSC-000-002", "t", subject, (), Severity.LOW, Confidence.LOW, "w", "r")
    assert pickle.loads(pickle.dumps(plain)).fingerprint == plain.fingerprint
