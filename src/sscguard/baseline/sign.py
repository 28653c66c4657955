"""Ed25519 detached signatures over a baseline's canonical content.

The signature does not cover the database *file* (its page layout changes with SQLite versions,
VACUUM or journal mode) but its *content*: SHA-256 over a deterministic dump of every row of
``meta`` (by key), ``files`` (by key) and ``audit`` (by id), each row one line of compact JSON
with bytes as hex. The signed message is ``sscguard-baseline-v1\\0`` + that digest, so the key
cannot be tricked into signing something else.

The signature file (``<db>.sig`` by default) is JSON: format, algorithm, digest, signature
(base64), key id (first 16 hex digits of SHA-256 over the raw public key) and signing time.
The private key can stay off the host: copy the database out, sign it, copy the .sig back.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from datetime import UTC, datetime
from typing import Any

from sscguard.baseline.store import BaselineError, BaselineReader

FORMAT = "sscguard-baseline-signature/1"
_DOMAIN = b"sscguard-baseline-v1\0"


class SignatureError(BaselineError):
    """The baseline's signature is missing, malformed or does not verify."""


def _value(v: Any) -> Any:
    if isinstance(v, bytes | bytearray | memoryview):
        return {"hex": bytes(v).hex()}
    return v


def canonical_digest(reader: BaselineReader) -> bytes:
    """SHA-256 over the deterministic dump of the baseline's rows."""
    digest = hashlib.sha256(b"sscguard-baseline-canonical-v1\n")
    for table, order in (("meta", "key"), ("files", "key"), ("audit", "id")):
        digest.update(f"#{table}\n".encode())
        for row in reader.raw_rows(table, order):
            line = json.dumps([_value(v) for v in row], separators=(",", ":"), ensure_ascii=True)
            digest.update(line.encode("ascii"))
            digest.update(b"\n")
    return digest.digest()


def _key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def generate_keypair(private_path: str, public_path: str) -> str:
    """Write a new Ed25519 key pair (PEM, private key mode 0600); return the key id."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_pem)
    with open(public_path, "wb") as handle:
        handle.write(public_pem)
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _key_id(raw)


def _load_private(path: str) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        with open(path, "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SignatureError(f"cannot load private key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(f"{path} is not an Ed25519 private key")
    return key


def _load_public(path: str) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        with open(path, "rb") as handle:
            key = serialization.load_pem_public_key(handle.read())
    except (OSError, ValueError, TypeError) as exc:
        raise SignatureError(f"cannot load public key {path}: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SignatureError(f"{path} is not an Ed25519 public key")
    return key


def sign(db_path: str, private_key: str, sig_path: str) -> dict[str, str]:
    """Sign a baseline's canonical content and write the detached signature file."""
    from cryptography.hazmat.primitives import serialization

    key = _load_private(private_key)
    with BaselineReader(db_path) as reader:
        digest = canonical_digest(reader)
    signature = key.sign(_DOMAIN + digest)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    doc = {
        "format": FORMAT,
        "algorithm": "ed25519",
        "digest": "sha256:" + digest.hex(),
        "signature": base64.b64encode(signature).decode("ascii"),
        "key_id": _key_id(raw),
        "signed_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
    tmp = f"{sig_path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(doc, handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, sig_path)
    return doc


def verify_signature(reader: BaselineReader, public_key: str, sig_path: str) -> str:
    """Check the detached signature; return the key id, raise ``SignatureError`` if it fails."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization

    key = _load_public(public_key)
    try:
        with open(sig_path, encoding="utf-8") as handle:
            doc = json.load(handle)
        if doc.get("format") != FORMAT or doc.get("algorithm") != "ed25519":
            raise ValueError("unknown signature format")
        signature = base64.b64decode(doc["signature"], validate=True)
        claimed = str(doc["digest"])
    except FileNotFoundError:
        raise SignatureError(
            f"baseline signature {sig_path} is missing: refusing an unsigned baseline "
            "(sign it with: sscguard baseline sign --key PRIVATE.pem)"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SignatureError(f"baseline signature {sig_path} is unreadable: {exc}") from None
    digest = canonical_digest(reader)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if claimed != "sha256:" + digest.hex():
        raise SignatureError(
            f"baseline {reader.path} does not match its signature {sig_path}: its content "
            "changed after signing (tampered with, or accepted without re-signing); "
            "refusing to use it"
        )
    try:
        key.verify(signature, _DOMAIN + digest)
    except InvalidSignature:
        raise SignatureError(
            f"baseline signature {sig_path} does not verify with public key {public_key} "
            f"(key id {_key_id(raw)}): refusing to use the baseline"
        ) from None
    return _key_id(raw)
