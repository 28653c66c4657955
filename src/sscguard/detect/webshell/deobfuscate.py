"""Static decoders for the layers web shells wrap themselves in; nothing is ever executed.

Each decoder takes bytes and returns bytes or ``None`` (not decodable); every output is capped
at ``MAX_VALUE_BYTES`` and decompression reads at most that much, so a compression bomb costs
a bounded amount of memory and time. The language analysers call these while folding
constant expressions such as ``gzinflate(base64_decode('...'))``.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import urllib.parse
import zlib
from collections.abc import Callable
from itertools import islice

from sscguard.detect.webshell.flow import MAX_VALUE_BYTES

_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/=_-]")


def b64decode(data: bytes) -> bytes | None:
    """PHP's lenient base64_decode: ignores junk characters and missing padding."""
    clean = _B64_JUNK.sub(b"", data).replace(b"-", b"+").replace(b"_", b"/")
    clean = clean.split(b"=", 1)[0]
    clean = clean[: len(clean) - len(clean) % 4 + (4 if len(clean) % 4 > 1 else 0)]
    if len(clean) % 4:
        clean += b"=" * (4 - len(clean) % 4)
    try:
        return base64.b64decode(clean)[:MAX_VALUE_BYTES]
    except (binascii.Error, ValueError):
        return None


def _inflate(data: bytes, wbits: int) -> bytes | None:
    try:
        inflater = zlib.decompressobj(wbits)
        return inflater.decompress(data, MAX_VALUE_BYTES)
    except zlib.error:
        return None


def gzinflate(data: bytes) -> bytes | None:
    return _inflate(data, -15)


def gzuncompress(data: bytes) -> bytes | None:
    return _inflate(data, 15)


def gzdecode(data: bytes) -> bytes | None:
    return _inflate(data, 31)


def rot13(data: bytes) -> bytes:
    return codecs.encode(data.decode("latin-1"), "rot13").encode("latin-1")


def strrev(data: bytes) -> bytes:
    return data[::-1]


def hex2bin(data: bytes) -> bytes | None:
    try:
        return binascii.unhexlify(data.strip()[: 2 * MAX_VALUE_BYTES])
    except (binascii.Error, ValueError):
        return None


def urldecode(data: bytes) -> bytes:
    return urllib.parse.unquote_to_bytes(data.replace(b"+", b" "))


def rawurldecode(data: bytes) -> bytes:
    return urllib.parse.unquote_to_bytes(data)


def uudecode(data: bytes) -> bytes | None:
    out = bytearray()
    try:
        for line in data.splitlines():
            if line.strip() in (b"", b"`", b"end"):
                continue
            out += binascii.a2b_uu(line)
            if len(out) > MAX_VALUE_BYTES:
                break
    except (binascii.Error, ValueError):
        return None
    return bytes(out[:MAX_VALUE_BYTES])


def xor(data: bytes, key: bytes) -> bytes:
    """Repeat ``key`` over ``data`` (the loop form web shells use)."""
    if not key:
        return data
    data = data[:MAX_VALUE_BYTES]
    size = len(data)
    if not size:
        return b""
    stream = (key * (size // len(key) + 1))[:size]
    # one big-integer XOR runs at C speed (a byte loop in Python cost seconds per corpus)
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(size, "big")


def xor_strings(left: bytes, right: bytes) -> bytes:
    """PHP's ``'abc' ^ 'xyz'``: byte-wise, as long as the shorter operand."""
    size = min(len(left), len(right))
    if not size:
        return b""
    mixed = int.from_bytes(left[:size], "big") ^ int.from_bytes(right[:size], "big")
    return mixed.to_bytes(size, "big")


#: One-argument decoders by PHP function name.
UNARY: dict[str, Callable[[bytes], bytes | None]] = {
    "base64_decode": b64decode,
    "gzinflate": gzinflate,
    "gzuncompress": gzuncompress,
    "gzdecode": gzdecode,
    "str_rot13": rot13,
    "strrev": strrev,
    "hex2bin": hex2bin,
    "urldecode": urldecode,
    "rawurldecode": rawurldecode,
    "convert_uudecode": uudecode,
    "stripslashes": lambda d: re.sub(rb"\\(.)", rb"\1", d),
    "strtolower": bytes.lower,
    "strtoupper": bytes.upper,
    "trim": bytes.strip,
    "ltrim": bytes.lstrip,
    "rtrim": bytes.rstrip,
    "ucfirst": lambda d: d[:1].upper() + d[1:],
}

_CODE_HINT = re.compile(
    rb"(?i)(<\?php|<\?=|\beval\s*\(|\bassert\s*\(|\bsystem\s*\(|\$_(GET|POST|REQUEST|COOKIE|SERVER)"
    rb"|\bfunction\s+\w+\s*\(|\bbase64_decode\s*\(|\bgzinflate\s*\(|\bexec\s*\(|\bpassthru\s*\("
    rb"|\bshell_exec\s*\(|\bcreate_function\s*\(|\bfile_put_contents\s*\(|\$\w+\s*=)"
)


_PRINTABLE = bytes([9, 10, 13, *range(32, 127)])


#: control bytes: no source text has them (tab, newline, form feed, return are not here)
_CONTROL = bytes([*range(0, 9), *range(14, 32), 127])


def mostly_binary(data: bytes) -> bool:
    """More than 5 % of the first 4 KiB are control bytes: random or encrypted data (about
    11 % of uniformly random bytes are), not source text. Bytes above 0x7f do not count:
    PHP identifiers and strings may be any of them (UTF-8 names, mangled names)."""
    sample = data[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls * 20 > len(sample)


def looks_like_code(data: bytes) -> bool:
    """True when a decoded string reads as PHP source rather than random bytes."""
    if len(data) < 8:
        return False
    sample = data[:4096]
    printable = len(sample) - len(sample.translate(None, _PRINTABLE))
    return printable / len(sample) > 0.85 and _CODE_HINT.search(data[:65536]) is not None


_BLOB = re.compile(rb"['\"]([A-Za-z0-9+/=\r\n]{24,})['\"]")
_SHORT_LITERAL = re.compile(rb"['\"]([\x20-\x7e]{1,40})['\"]")


def xor_candidates(source: bytes, limit_blobs: int = 4, limit_keys: int = 24) -> list[bytes]:
    """Try XOR with each short literal in the file on each long encoded blob.

    Covers the common ``for ($i...) $o .= $t[$i] ^ $k[$i % strlen($k)]`` decoder without
    understanding the loop: it is only tried when the file has an XOR operator, and a result
    is kept only when it reads as code. Bounded by the numbers of blobs and keys tried.
    """
    if b"^" not in source:
        return []
    # the first blobs only: the search stops there instead of running through the file
    blobs = [m.group(1) for m in islice(_BLOB.finditer(source[:MAX_VALUE_BYTES]), limit_blobs)]
    if not blobs:
        return []
    keys = []
    for match in _SHORT_LITERAL.finditer(source[:MAX_VALUE_BYTES]):
        key = match.group(1)
        if key not in keys and not key.isdigit():
            keys.append(key)
        if len(keys) >= limit_keys:
            break
    found = []
    for blob in blobs:
        raw = b64decode(blob)
        for data in (raw, blob):
            if not data:
                continue
            for key in keys:
                plain = xor(data[:65536], key)
                for candidate in (plain, gzinflate(plain), gzuncompress(plain)):
                    if candidate and looks_like_code(candidate):
                        found.append(candidate)
                        break
                if found and found[-1] is not None and len(found) >= limit_blobs:
                    return found
    return found
