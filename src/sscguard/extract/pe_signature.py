"""Authenticode state of Windows PE files (IIS modules, transport agents, ServiceDll targets).

Verification is offline: ``signify`` checks the embedded signature against its bundled
Microsoft trust store. signify depends on oscrypto, whose 1.3.0 release cannot import under
OpenSSL 3.0.x with a two-digit patch level (its version check fails to parse
``OpenSSL 3.0.19``). That failure, or any other import failure, is caught once: the state then
reads ``unverifiable: <reason>`` and still names the signer the file *claims*, parsed here from
the PE certificate table with asn1crypto (pure Python). Nothing in the file is executed.

States: ``unsigned``; ``signed: <signer>`` (verified); ``invalid: <reason> (claimed signer
<signer>)``; ``unverifiable: <reason> (claimed signer <signer>)``; ``not-pe: <reason>``.
"""

from __future__ import annotations

import functools
import logging
import struct
from typing import Any

log = logging.getLogger(__name__)

MAX_PE_BYTES = 256 << 20
_SECURITY_DIR = 4
_WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002

UNSIGNED = "unsigned"


def is_pe(head: bytes) -> bool:
    return head[:2] == b"MZ"


def certificate_table(data: bytes) -> bytes | str | None:
    """The PKCS#7 blob of the first WIN_CERTIFICATE, ``None`` when unsigned, or a parse error."""
    if len(data) < 0x40 or data[:2] != b"MZ":
        return "no MZ header"
    (pe_off,) = struct.unpack_from("<I", data, 0x3C)
    if pe_off + 24 > len(data) or data[pe_off : pe_off + 4] != b"PE\0\0":
        return "no PE signature"
    opt = pe_off + 24
    (magic,) = struct.unpack_from("<H", data, opt)
    if magic == 0x10B:
        dirs, count_off = opt + 96, opt + 92
    elif magic == 0x20B:
        dirs, count_off = opt + 112, opt + 108
    else:
        return f"unknown optional header magic {magic:#x}"
    if count_off + 4 > len(data):
        return "truncated optional header"
    (count,) = struct.unpack_from("<I", data, count_off)
    if count <= _SECURITY_DIR:
        return None
    entry = dirs + 8 * _SECURITY_DIR
    if entry + 8 > len(data):
        return "truncated data directories"
    offset, size = struct.unpack_from("<II", data, entry)
    if offset == 0 or size == 0:
        return None
    if offset + 8 > len(data) or size < 8:
        return "certificate table outside the file"
    length, _revision, cert_type = struct.unpack_from("<IHH", data, offset)
    if cert_type != _WIN_CERT_TYPE_PKCS_SIGNED_DATA:
        return f"certificate type {cert_type:#x} is not PKCS#7 signed data"
    end = min(offset + length, offset + size, len(data))
    if end <= offset + 8:
        return "empty certificate entry"
    return data[offset + 8 : end]


def claimed_signer(pkcs7: bytes) -> str:
    """The subject of the certificate the first SignerInfo names (not verified)."""
    try:
        from asn1crypto import cms

        content: Any = cms.ContentInfo.load(pkcs7)
        signed = content["content"]
        sid = signed["signer_infos"][0]["sid"]
        if sid.name != "issuer_and_serial_number":
            return "unknown (signer identified by key id)"
        serial = sid.chosen["serial_number"].native
        for choice in signed["certificates"]:
            cert = choice.chosen
            if cert.serial_number == serial:
                return str(cert.subject.human_friendly)
        return "unknown (signer certificate not embedded)"
    except Exception as exc:  # malformed input must never end the run
        return f"unknown (unparsable signature: {type(exc).__name__})"


@functools.lru_cache(maxsize=1)
def _signify() -> tuple[Any, str | None]:
    """signify's AuthenticodeFile class, or the reason it cannot be used."""
    try:
        from signify.authenticode import AuthenticodeFile

        return AuthenticodeFile, None
    except Exception as exc:  # ImportError, oscrypto's LibraryNotFoundError, OSError ...
        name = type(exc).__name__
        reason = f"signify unavailable ({name}: {exc})"
        if "libcrypto" in str(exc):
            reason = (
                "signify unavailable: oscrypto cannot detect the OpenSSL 3.0.x libcrypto version "
                f"({name})"
            )
        log.info("Authenticode verification disabled: %s", reason)
        return None, reason


def signature_state(data: bytes, truncated: bool = False) -> str:
    """The Authenticode state of a PE file's bytes."""
    table = certificate_table(data)
    if isinstance(table, str):
        return f"not-pe: {table}"
    if table is None:
        return UNSIGNED
    signer = claimed_signer(table)
    if truncated:
        return f"unverifiable: file larger than {MAX_PE_BYTES} bytes (claimed signer {signer})"
    cls, reason = _signify()
    if cls is None:
        return f"unverifiable: {reason} (claimed signer {signer})"
    import io

    try:
        pe = cls.from_stream(io.BytesIO(data))
        result, exc = pe.explain_verify()
    except Exception as err:
        return f"invalid: {type(err).__name__}: {err} (claimed signer {signer})"
    name = getattr(result, "name", str(result))
    if name == "OK":
        return f"signed: {signer}"
    if name == "NOT_SIGNED":
        return UNSIGNED
    detail = f"{name}: {exc}" if exc else name
    return f"invalid: {detail} (claimed signer {signer})"
