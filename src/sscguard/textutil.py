"""Small pure helpers for turning untrusted bytes into safe, short, printable text."""

from __future__ import annotations

import re

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str, limit: int = 200) -> str:
    """Replace control, bidi and zero-width characters with ``\\xNN``/``\\uNNNN`` and cap length.

    Newlines and tabs become spaces: an excerpt is always one line. The result is safe to print
    to a terminal (no escape sequences survive) but still needs HTML escaping for HTML.
    """
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    text = _CONTROL_RE.sub(_escape_char, text)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line_of(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset."""
    return data.count(b"\n", 0, max(0, offset)) + 1


def excerpt_at(data: bytes, offset: int, length: int, context: int = 60, limit: int = 200) -> str:
    """The matched bytes with a little context on the same line, sanitized."""
    start = max(0, offset - context)
    newline = data.rfind(b"\n", start, offset)
    if newline != -1:
        start = newline + 1
    end = min(len(data), offset + max(length, 1) + context)
    newline = data.find(b"\n", offset + max(length, 1), end)
    if newline != -1:
        end = newline
    snippet = data[start:end].decode("utf-8", "replace").strip()
    return sanitize(snippet, limit)


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_CLF_TIME = re.compile(r"(\d{1,2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-]\d{4}))?")


def parse_log_time(value: bytes | str) -> float | None:
    """Apache/nginx ``10/Oct/2024:13:55:36 +0000``, ISO 8601 or IIS ``2024-10-10 13:55:36``
    as a POSIX timestamp; None when the text is none of these."""
    import datetime as dt

    text = (value.decode("ascii", "replace") if isinstance(value, bytes) else value).strip("[]")
    m = _CLF_TIME.match(text)
    try:
        if m:
            day, mon, year, hh, mm, ss, zone = m.groups()
            tz = dt.UTC
            if zone:
                sign = 1 if zone[0] == "+" else -1
                tz = dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:])))
            stamp = dt.datetime(
                int(year), _MONTHS[mon.lower()], int(day), int(hh), int(mm), int(ss), tzinfo=tz
            )
            return stamp.timestamp()
        iso = dt.datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
        if iso.tzinfo is None:
            iso = iso.replace(tzinfo=dt.UTC)
        return iso.timestamp()
    except (ValueError, KeyError, OverflowError):
        return None


def iso_time(value: bytes | str) -> str:
    """A log or event time as ISO 8601 UTC (``2026-11-18T10:00:00Z``), or "" if unparsable."""
    import datetime as dt

    stamp = parse_log_time(value)
    if stamp is None:
        return ""
    try:
        moment = dt.datetime.fromtimestamp(stamp, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return ""
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
