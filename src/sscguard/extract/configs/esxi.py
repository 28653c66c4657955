"""ESXi artifacts: ``esxcli software vib list`` (text, CSV or XML), ``software acceptance
get``, ``system settings kernel list``, VIB descriptor XMLs, ``esxupdate.log`` and
``/etc/rc.local.d/local.sh``. All collected as files; nothing here talks to a host.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sscguard.extract.configs.xmltree import XmlError, local, parse_xml

# Acceptance levels, most trusted first; descriptor XMLs use the short names.
LEVELS = ("VMwareCertified", "VMwareAccepted", "PartnerSupported", "CommunitySupported")
_SHORT = {
    "certified": "VMwareCertified",
    "accepted": "VMwareAccepted",
    "partner": "PartnerSupported",
    "community": "CommunitySupported",
}
# esxupdate.log phrases that mean verification was skipped or failed.
_BYPASS_RE = re.compile(
    r"(no[-_ ]sig[-_ ]check|validation disabled|bypass\w* (?:signing|signature|acceptance)"
    r"|signature (?:verification )?(?:failed|invalid)|force[d]? (?:install|bypass)|--force\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Vib:
    name: str
    version: str
    vendor: str
    acceptance: str  # normalised to LEVELS when recognised
    install_date: str
    line: int  # line in the file it came from (0 when not known)


def normalise_level(text: str) -> str:
    value = text.strip()
    for level in LEVELS:
        if value.lower() == level.lower():
            return level
    return _SHORT.get(value.lower(), value)


def parse_vib_list(text: str) -> list[Vib]:
    """Any of the three ``esxcli software vib list`` output formats."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return _vibs_xml(text)
    first = stripped.splitlines()[0] if stripped else ""
    if "," in first and "Name" in first:
        return _vibs_csv(text)
    return _vibs_table(text)


def _vibs_table(text: str) -> list[Vib]:
    lines = text.splitlines()
    header_at = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("Name ")), None)
    if header_at is None or header_at + 1 >= len(lines):
        return []
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[header_at + 1])]
    header = lines[header_at]
    names = [
        header[s:e].strip() if i < len(spans) - 1 else header[s:].strip()
        for i, (s, e) in enumerate(spans)
    ]
    out: list[Vib] = []
    for number, line in enumerate(lines[header_at + 2 :], header_at + 3):
        if not line.strip():
            continue
        cells = {}
        for i, (start, end) in enumerate(spans):
            cells[names[i]] = (line[start:] if i == len(spans) - 1 else line[start:end]).strip()
        out.append(_vib(cells, number))
    return out


def _vib(cells: dict[str, str], line: int) -> Vib:
    def pick(*keys: str) -> str:
        for key in keys:
            if cells.get(key):
                return cells[key]
        return ""

    return Vib(
        pick("Name"),
        pick("Version"),
        pick("Vendor"),
        normalise_level(pick("Acceptance Level", "AcceptanceLevel")),
        pick("Install Date", "InstallDate"),
        line,
    )


def _vibs_csv(text: str) -> list[Vib]:
    reader = csv.DictReader(io.StringIO(text))
    return [
        _vib({k: (v or "") for k, v in row.items() if k}, n + 2) for n, row in enumerate(reader)
    ]


def _vibs_xml(text: str) -> list[Vib]:
    try:
        doc = parse_xml(text.encode("utf-8", "surrogateescape"))
    except XmlError:
        return []
    out = []
    for node in doc.iter("structure"):
        cells = {}
        for fld in node.findall("field"):
            value = next(iter(fld.children), None)
            cells[fld.get("name")] = value.text.strip() if value is not None else ""
        if cells.get("Name"):
            out.append(_vib(cells, node.line))
    return out


def parse_descriptor(data: bytes) -> Vib | None:
    """A VIB descriptor XML from ``/var/db/esximg/vibs/``."""
    try:
        doc = parse_xml(data)
    except XmlError:
        return None
    if local(doc.tag) != "vib":
        return None
    level = doc.find("acceptance-level")
    return Vib(
        doc.child_text("name"),
        doc.child_text("version"),
        doc.child_text("vendor"),
        normalise_level(doc.child_text("acceptance-level")),
        doc.child_text("release-date"),
        level.line if level is not None else doc.line,
    )


def bypass_lines(text: str, limit: int = 200) -> list[tuple[int, str]]:
    """``esxupdate.log`` lines showing skipped or failed signature/acceptance checks."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if _BYPASS_RE.search(line):
            out.append((number, line))
            if len(out) >= limit:
                break
    return out


def local_sh_commands(text: str) -> list[tuple[int, str]]:
    """Lines of ``local.sh`` that do something (the stock file has only comments and exit 0)."""
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line in ("exit 0", "exit"):
            continue
        out.append((number, line))
    return out


def kernel_setting(text: str, name: str) -> tuple[str, int] | None:
    """The runtime value of a setting in ``esxcli system settings kernel list`` output."""
    for number, line in enumerate(text.splitlines(), 1):
        cells = line.split()
        if cells and cells[0].lower() == name.lower() and len(cells) >= 4:
            # Name  Type  Configured  Runtime  Default  Description
            return cells[3], number
    return None
