"""Quarantine: move a file into a vault with its metadata; restore it byte for byte.

Nothing is ever deleted. Quarantine copies the file into ``VAULT/<id>/content`` (the vault and
every entry are mode 0700/0600), checks the copy's SHA-256 against the original read through
the same descriptor, records the original path, owner, group, mode and times (nanoseconds) in
``VAULT/<id>/meta.json``, and only then removes the original name. Restore writes the bytes
back under the original path (refusing to overwrite anything that is there now), sets owner,
mode and times, checks the hash, and marks the entry restored; the vault copy stays.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import stat
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from sscguard.errors import SscguardError

DEFAULT_VAULT = "/var/lib/sscguard/quarantine"
_CHUNK = 1 << 20


class QuarantineError(SscguardError):
    """A quarantine or restore that could not be done safely (nothing was changed)."""


@dataclass(frozen=True, slots=True)
class VaultEntry:
    id: str
    original_path: str
    sha256: str
    size: int
    mode: int
    uid: int
    gid: int
    atime_ns: int
    mtime_ns: int
    quarantined_at: str
    quarantined_by: str
    reason: str
    finding: str = ""
    restored_at: str = ""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _user() -> str:
    try:
        return os.environ.get("SUDO_USER") or getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry
        return str(os.getuid())


def _vault_dir(vault: str) -> Path:
    path = Path(vault)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = path.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise QuarantineError(f"vault {vault} is not a directory owned by the current user")
    if st.st_mode & 0o077:
        path.chmod(0o700)
    return path


def _meta_path(vault: Path, entry_id: str) -> Path:
    if not entry_id or "/" in entry_id or entry_id.startswith("."):
        raise QuarantineError(f"not a vault entry id: {entry_id!r}")
    return vault / entry_id / "meta.json"


def quarantine(path: str, vault: str, reason: str, finding: str = "") -> VaultEntry:
    """Move ``path`` (a regular file, not a link) into the vault and return its entry."""
    vault_path = _vault_dir(vault)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise QuarantineError(f"cannot open {path}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise QuarantineError(f"{path} is not a regular file")
        entry_id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:12]}"
        folder = vault_path / entry_id
        folder.mkdir(mode=0o700)
        digest = hashlib.sha256()
        out_fd = os.open(folder / "content", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(out_fd, "wb") as out:
            while chunk := os.read(fd, _CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    finally:
        os.close(fd)
    entry = VaultEntry(
        id=entry_id,
        original_path=os.path.abspath(path),
        sha256=digest.hexdigest(),
        size=st.st_size,
        mode=stat.S_IMODE(st.st_mode),
        uid=st.st_uid,
        gid=st.st_gid,
        atime_ns=st.st_atime_ns,
        mtime_ns=st.st_mtime_ns,
        quarantined_at=_now(),
        quarantined_by=_user(),
        reason=reason,
        finding=finding,
    )
    if _sha256_file(folder / "content") != entry.sha256:
        raise QuarantineError(f"copy of {path} does not match the original; original kept")
    _write_meta(folder / "meta.json", entry)
    try:
        now = os.lstat(path)
    except OSError as exc:
        raise QuarantineError(f"{path} vanished during quarantine: {exc.strerror}") from None
    if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
        raise QuarantineError(f"{path} was replaced during quarantine; nothing removed")
    os.unlink(path)
    return entry


def restore(entry_id: str, vault: str, force: bool = False) -> VaultEntry:
    """Put a quarantined file back exactly as it was; never overwrite without ``force``."""
    vault_path = _vault_dir(vault)
    meta = _meta_path(vault_path, entry_id)
    entry = load_entry(meta)
    content = meta.parent / "content"
    if _sha256_file(content) != entry.sha256:
        raise QuarantineError(f"vault copy of {entry.original_path} is damaged; not restored")
    target = entry.original_path
    if os.path.lexists(target) and not force:
        raise QuarantineError(f"{target} exists; refusing to overwrite (use --force)")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    tmp = f"{target}.sscguard-restore-{uuid.uuid4().hex[:8]}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, content.open("rb") as src:
            while chunk := src.read(_CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chown(tmp, entry.uid, entry.gid, follow_symlinks=False)
        os.chmod(tmp, entry.mode)
        os.utime(tmp, ns=(entry.atime_ns, entry.mtime_ns), follow_symlinks=False)
        os.replace(tmp, target)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    restored = VaultEntry(**{**asdict(entry), "restored_at": _now()})
    _write_meta(meta, restored)
    return restored


def list_entries(vault: str) -> list[VaultEntry]:
    path = Path(vault)
    if not path.is_dir():
        return []
    return [load_entry(p) for p in sorted(path.glob("*/meta.json"))]


def load_entry(meta: Path) -> VaultEntry:
    try:
        data = json.loads(meta.read_text("utf-8"))
        return VaultEntry(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise QuarantineError(f"cannot read vault entry {meta}: {exc}") from None


def _write_meta(path: Path, entry: VaultEntry) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(asdict(entry), out, indent=2)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
