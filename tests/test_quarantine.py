"""Quarantine moves a file into the vault with its metadata; restore puts back bytes, mode,
owner and times exactly; nothing is ever deleted."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from sscguard.quarantine import QuarantineError, quarantine, restore

Run = Callable[..., CliResult]
PAYLOAD = b"<?php @eval($_POST['k']); ?>\n\x00\xff binary tail"


def _plant(tmp_path: Path) -> Path:
    target = tmp_path / "www" / "up" / "x.php"
    target.parent.mkdir(parents=True)
    target.write_bytes(PAYLOAD)
    target.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(target, 33, 33)  # www-data on Debian
    os.utime(target, ns=(1_600_000_000_123_456_789, 1_500_000_000_987_654_321))
    return target


def test_round_trip_keeps_bytes_mode_owner_and_times(tmp_path: Path) -> None:
    target = _plant(tmp_path)
    before = target.stat()
    vault = tmp_path / "vault"
    entry = quarantine(str(target), str(vault), reason="web shell")
    assert not target.exists()
    assert (vault / entry.id / "content").read_bytes() == PAYLOAD
    assert (vault.stat().st_mode & 0o777) == 0o700
    assert entry.mode == 0o640 and entry.size == len(PAYLOAD)
    restored = restore(entry.id, str(vault))
    after = target.stat()
    assert target.read_bytes() == PAYLOAD
    assert (after.st_mode & 0o7777, after.st_uid, after.st_gid) == (
        before.st_mode & 0o7777, before.st_uid, before.st_gid)  # fmt: skip
    assert (after.st_atime_ns, after.st_mtime_ns) == (before.st_atime_ns, before.st_mtime_ns)
    assert restored.restored_at
    assert (vault / entry.id / "content").exists()  # the vault copy is never deleted


def test_restore_refuses_to_overwrite(tmp_path: Path) -> None:
    target = _plant(tmp_path)
    vault = tmp_path / "vault"
    entry = quarantine(str(target), str(vault), reason="r")
    target.write_text("new legitimate file")
    with pytest.raises(QuarantineError, match="refusing to overwrite"):
        restore(entry.id, str(vault))
    assert target.read_text() == "new legitimate file"


def test_links_and_damaged_copies_are_refused(tmp_path: Path) -> None:
    target = _plant(tmp_path)
    link = tmp_path / "link.php"
    link.symlink_to(target)
    with pytest.raises(QuarantineError, match="cannot open"):
        quarantine(str(link), str(tmp_path / "vault"), reason="r")
    assert target.exists()
    entry = quarantine(str(target), str(tmp_path / "vault"), reason="r")
    (tmp_path / "vault" / entry.id / "content").write_bytes(b"tampered")
    with pytest.raises(QuarantineError, match="damaged"):
        restore(entry.id, str(tmp_path / "vault"))
    with pytest.raises(QuarantineError, match="not a vault entry id"):
        restore("../etc", str(tmp_path / "vault"))


def test_cli_quarantines_by_finding_fingerprint(tmp_path: Path, run: Run) -> None:
    target = _plant(tmp_path)
    saved = tmp_path / "r.json"
    run("scan", "--format", "json", "-o", str(saved), str(target.parent))
    fingerprint = run("report", str(saved), "--format", "json").json()["findings"][0]["fingerprint"]
    vault = tmp_path / "vault"
    result = run("quarantine", fingerprint, "--from", str(saved), "--vault", str(vault),
                 "--format", "json", "--reason", "shell")  # fmt: skip
    assert result.code == 0, result.err
    entry = result.json()[0]
    assert entry["finding"] == fingerprint and entry["original_path"] == str(target)
    assert not target.exists()
    listed = run("quarantine", "--list", "--vault", str(vault))
    assert entry["id"] in listed.out
    back = run("restore", entry["id"], "--vault", str(vault))
    assert back.code == 0 and target.read_bytes() == PAYLOAD
    assert run("quarantine", "0" * 32, "--vault", str(vault)).code == 2  # needs --from
