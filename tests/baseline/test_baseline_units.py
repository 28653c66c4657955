"""Pure parts: PE certificate tables and Authenticode state, component locations, the check
registry and its docs."""

from __future__ import annotations

import datetime
import struct
from pathlib import Path

import pytest

from sscguard.baseline import checks
from sscguard.baseline.locations import (
    ComponentLocation,
    default_locations,
    explicit_locations,
    resolve_in_root,
    walk_roots,
)
from sscguard.extract import pe_signature

REPO = Path(__file__).resolve().parents[2]


def _pe(cert: bytes | None) -> bytes:
    """A minimal PE32+ image: DOS header, PE signature, COFF header, optional header with 16
    data directories, and (optionally) a WIN_CERTIFICATE at the end."""
    head = bytearray(0x40)
    head[:2] = b"MZ"
    struct.pack_into("<I", head, 0x3C, 0x40)
    coff = b"PE\0\0" + struct.pack("<HHIIIHH", 0x8664, 0, 0, 0, 0, 240, 0x2022)
    opt = bytearray(240)
    struct.pack_into("<H", opt, 0, 0x20B)
    struct.pack_into("<I", opt, 108, 16)
    body = bytes(head) + coff
    image_len = len(body) + len(opt)
    if cert is not None:
        entry = struct.pack("<IHH", 8 + len(cert), 0x0200, 0x0002) + cert
        struct.pack_into("<II", opt, 112 + 8 * 4, image_len, len(entry))
        return body + bytes(opt) + entry
    return body + bytes(opt)


def _pkcs7(common_name: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(4242)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(b"not an authenticode digest")
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [])
    )


def test_unsigned_pe() -> None:
    assert pe_signature.signature_state(_pe(None)) == "unsigned"


def test_signed_pe_names_its_claimed_signer_and_never_crashes() -> None:
    state = pe_signature.signature_state(_pe(_pkcs7("Contoso Transport Agent Ltd")))
    # Here signify cannot import (oscrypto vs OpenSSL 3.0.x): "unverifiable"; where it can,
    # this self-made signature is "invalid". Either way the claimed signer is named.
    assert state.startswith(("unverifiable:", "invalid:")), state
    assert "Contoso Transport Agent Ltd" in state


def test_signify_import_failure_is_a_state_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cls, reason = pe_signature._signify.__wrapped__()  # the real import, uncached: no raise
    assert cls is not None or "signify unavailable" in str(reason)
    monkeypatch.setattr(
        pe_signature, "_signify", lambda: (None, "signify unavailable: libcrypto version")
    )
    state = pe_signature.signature_state(_pe(_pkcs7("Fabrikam")))
    assert state.startswith("unverifiable: signify unavailable")


def test_malformed_pe_and_garbage_signature() -> None:
    assert pe_signature.signature_state(b"MZ" + b"\0" * 10).startswith("not-pe:")
    state = pe_signature.signature_state(_pe(b"\x30\x03garbage"))
    assert "claimed signer unknown" in state


def test_signature_reasons_map_to_checks() -> None:
    assert checks._signature_reason("unsigned").check == "SSC-000-120"  # type: ignore[union-attr]
    assert checks._signature_reason("invalid: x").check == "SSC-000-121"  # type: ignore[union-attr]
    assert checks._signature_reason("signed: Microsoft") is None


def test_default_locations_stay_inside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "img"
    (root / "var" / "www" / "html").mkdir(parents=True)
    (root / "usr" / "lib" / "apache2" / "modules").mkdir(parents=True)
    (root / "usr" / "lib" / "php" / "20220829").mkdir(parents=True)
    (root / "real-etc" / "nginx").mkdir(parents=True)
    (root / "etc").symlink_to("/real-etc")  # absolute link inside an image: resolved in it
    (root / "srv").symlink_to("../../../../..")  # tries to climb out
    found = {loc.path: loc.kind for loc in default_locations(str(root))}
    assert found["/var/www"] == "webroot"
    assert found["/usr/lib/apache2/modules"] == "modules"
    assert found["/usr/lib/php/20220829"] == "modules"
    assert found["/real-etc/nginx"] == "config"
    assert resolve_in_root(str(root), "/srv/www") is None  # /srv -> "/" inside the root
    explicit = explicit_locations(
        str(root), ["/usr/lib/apache2/modules/x", "/opt/app"], default_locations(str(root))
    )
    assert [(e.path, e.kind) for e in explicit] == [
        ("/usr/lib/apache2/modules/x", "modules"),
        ("/opt/app", "extra"),
    ]


def test_walk_roots_are_not_nested() -> None:
    locs = [
        ComponentLocation("/var/www/html", "webroot"),
        ComponentLocation("/var/www", "webroot"),
        ComponentLocation("/var/www2", "webroot"),
        ComponentLocation("/etc", "config"),
    ]
    assert walk_roots(locs) == ["/etc", "/var/www", "/var/www2"]


def test_every_check_is_documented() -> None:
    text = (REPO / "docs" / "baseline.md").read_text()
    for check_id, check in checks.CHECKS.items():
        assert f"| {check_id} |" in text, check_id
        assert check.why and check.remediation


def test_duplicate_check_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        checks._register(checks.CHECKS["SSC-000-100"])
