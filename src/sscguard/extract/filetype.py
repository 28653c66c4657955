"""File type by magic bytes, in the spirit of LOKI's ``filetype`` external variable."""

from __future__ import annotations

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"BM", "BMP"),
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x7fELF", "ELF"),
    (b"MZ", "EXE"),
    (b"\x1f\x8b", "GZIP"),
    (b"<?php", "PHP"),
    (b"<?PHP", "PHP"),
    (b"<%@", "ASP"),
)


def filetype(head: bytes) -> str:
    """An upper-case type name for the first bytes of a file, or an empty string."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return ""


def extension(name: str) -> str:
    """LOKI's convention: lower-case, with the leading dot (``.php``), empty if none."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""
