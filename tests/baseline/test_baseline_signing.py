"""Signed baselines: a good signature passes, a tampered baseline or a wrong key is refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture()
def signed(
    tmp_path: Path, www: Path, db: Path, init: Callable[..., Any], run: Callable[..., Any]
) -> tuple[Path, Path]:
    init(www)
    private, public = tmp_path / "key.pem", tmp_path / "key.pub"
    result = run("baseline", "keygen", "--private", str(private), "--public", str(public))
    assert result.code == 0, result.err
    assert private.stat().st_mode & 0o077 == 0  # the private key is owner-only
    result = run("baseline", "sign", "--db", str(db), "--key", str(private))
    assert result.code == 0, result.err
    return private, public


def test_good_signature_verifies(signed: tuple[Path, Path], verify: Any) -> None:
    _, public = signed
    result = verify("--pubkey", str(public))
    assert result.code == 0, result.err


def test_tampered_baseline_is_refused(
    signed: tuple[Path, Path], db: Path, www: Path, verify: Any
) -> None:
    _, public = signed
    # An attacker hides a dropped file by adding it to the baseline.
    conn = sqlite3.connect(db)
    conn.execute("UPDATE files SET sha256 = ? WHERE sha256 IS NOT NULL", ("00" * 32,))
    conn.commit()
    conn.close()
    result = verify("--pubkey", str(public))
    assert result.code == 2
    assert "does not match its signature" in result.err
    assert result.out == ""  # nothing analysed against a forged baseline


def test_wrong_key_and_missing_signature_are_refused(
    signed: tuple[Path, Path], tmp_path: Path, db: Path, run: Callable[..., Any], verify: Any
) -> None:
    other_priv, other_pub = tmp_path / "other.pem", tmp_path / "other.pub"
    run("baseline", "keygen", "--private", str(other_priv), "--public", str(other_pub))
    result = verify("--pubkey", str(other_pub))
    assert result.code == 2
    assert "does not verify with public key" in result.err
    Path(str(db) + ".sig").unlink()
    result = verify("--pubkey", str(signed[1]))
    assert result.code == 2
    assert "missing" in result.err


def test_signature_covers_content_not_file_layout(
    signed: tuple[Path, Path], db: Path, verify: Any
) -> None:
    conn = sqlite3.connect(db)
    conn.execute("VACUUM")  # rewrites every page; the rows stay the same
    conn.close()
    assert verify("--pubkey", str(signed[1])).code == 0


def test_keygen_never_overwrites_a_private_key(
    signed: tuple[Path, Path], tmp_path: Path, run: Callable[..., Any]
) -> None:
    private, _ = signed
    result = run("baseline", "keygen", "--private", str(private), "--public", str(tmp_path / "x"))
    assert result.code == 2
