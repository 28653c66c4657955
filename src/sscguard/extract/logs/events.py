"""Host event records: EVTX (python-evtx), exported event XML, event JSON, Linux auditd.

Every reader yields :class:`HostEvent` with Sysmon-style field names, whatever the source:
Security 4688 ``NewProcessName`` becomes ``Image``, auditd ``exe`` becomes ``Image`` and the
parent's image is taken from earlier execve records of the parent pid. Records that cannot be
read are counted in :class:`EventStats` with a few sanitized samples.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sscguard.extract.files import display_path
from sscguard.textutil import sanitize

MAX_RECORD = 1 << 20  # bytes of one XML event / JSON line / auditd line
SAMPLES = 5
EVTX_MAGIC = b"ElfFile\x00"


@dataclass(frozen=True, slots=True)
class HostEvent:
    """One normalised event record."""

    source: str
    record: int  # line number (text formats) or record number (EVTX)
    channel: str
    provider: str
    event_id: int
    time: str
    category: str  # process_creation, file_event, registry_set, network_connection, application
    fields: Mapping[str, str]
    product: str = "windows"  # windows or linux

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


@dataclass(slots=True)
class EventStats:
    path: str
    kind: str = ""
    records: int = 0
    unparsed: int = 0
    samples: list[str] = field(default_factory=list)
    error: str = ""

    def bad(self, text: str) -> None:
        self.unparsed += 1
        if len(self.samples) < SAMPLES:
            self.samples.append(sanitize(text, 160))


def sniff_event_file(path: str) -> str | None:
    """ "evtx", "xml", "json", "auditd" or None (not event records: maybe an access log)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if head.startswith(EVTX_MAGIC):
        return "evtx"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<?xml") or text.startswith(b"<Event"):
        return "xml" if b"<Event" in head else None
    if text.startswith(b"type=") or text.startswith(b"node="):
        return "auditd"
    if text.startswith(b"{"):
        first = text.split(b"\n", 1)[0]
        if re.search(rb'"(EventID|event_id|winlog|EventId)"', first):
            return "json"
    return None


# -- normalisation ---------------------------------------------------------------------------

_SYSMON_CATEGORY = {
    1: "process_creation",
    3: "network_connection",
    11: "file_event",
    12: "registry_event",
    13: "registry_set",
    14: "registry_event",
}


def _category(provider: str, channel: str, event_id: int) -> str:
    low = (provider + " " + channel).lower()
    if "sysmon" in low:
        return _SYSMON_CATEGORY.get(event_id, "")
    if event_id == 4688 and "security" in low:
        return "process_creation"
    return "application"


def normalise(
    source: str,
    record: int,
    provider: str,
    channel: str,
    event_id: int,
    time: str,
    data: dict[str, str],
) -> HostEvent:
    fields = dict(data)
    if event_id == 4688 and "security" in (provider + channel).lower():
        fields.setdefault("Image", fields.get("NewProcessName", ""))
        fields.setdefault("ParentImage", fields.get("ParentProcessName", ""))
        fields.setdefault("User", fields.get("SubjectUserName", ""))
        fields.setdefault("ProcessId", fields.get("NewProcessId", ""))
    fields["EventID"] = str(event_id)
    fields["Channel"] = channel
    fields["Provider_Name"] = provider
    return HostEvent(
        source,
        record,
        channel,
        provider,
        event_id,
        time,
        _category(provider, channel, event_id),
        fields,
    )


# -- Windows event XML -----------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def event_from_xml(elem: ET.Element, source: str, record: int) -> HostEvent | None:
    """One ``<Event>`` element (as EVTX renders it and wevtutil/Get-WinEvent export it)."""
    system = next((c for c in elem if _local(c.tag) == "System"), None)
    if system is None:
        return None
    provider = channel = time = ""
    event_id = -1
    for child in system:
        name = _local(child.tag)
        if name == "Provider":
            provider = child.get("Name", "") or child.get("EventSourceName", "")
        elif name == "EventID":
            try:
                event_id = int((child.text or "").strip())
            except ValueError:
                return None
        elif name == "Channel":
            channel = (child.text or "").strip()
        elif name == "TimeCreated":
            time = child.get("SystemTime", "")
    if event_id < 0:
        return None
    data: dict[str, str] = {}
    unnamed = 0
    for section in elem:
        if _local(section.tag) not in ("EventData", "UserData"):
            continue
        for item in section.iter():
            if item is section:
                continue
            tag = _local(item.tag)
            text = (item.text or "").strip()
            if tag == "Data":
                name = item.get("Name") or ""
                if name:
                    data[name] = text
                else:
                    unnamed += 1
                    data[f"Data{unnamed}"] = text
            elif text and len(list(item)) == 0 and tag != "Binary":
                data.setdefault(tag, text)
    for section in elem:
        if _local(section.tag) == "RenderingInfo":
            msg = next((c for c in section if _local(c.tag) == "Message"), None)
            if msg is not None and msg.text:
                data.setdefault("Message", msg.text.strip())
    return normalise(source, record, provider, channel, event_id, time, data)


def read_event_xml(path: str, stats: EventStats) -> Iterator[HostEvent]:
    """An exported XML file: ``<Events><Event>...`` or a bare sequence of ``<Event>`` elements."""
    source = display_path(path)
    record = 0
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    depth = 0
    fed = 0
    try:
        with open(path, "rb") as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
            handle.seek(0)
            wrapped = not head.startswith(b"<?xml") and head.startswith(b"<Event")
            if wrapped:
                parser.feed(b"<Events>")
            while True:
                chunk = handle.read(1 << 16)
                if not chunk:
                    break
                if wrapped and chunk.lstrip().startswith(b"<?xml"):
                    chunk = re.sub(rb"<\?xml[^>]*\?>", b"", chunk)
                parser.feed(chunk)
                fed += len(chunk)
                for kind, elem in parser.read_events():  # type: ignore[misc]
                    assert isinstance(elem, ET.Element)
                    if kind == "start":
                        depth += 1
                        continue
                    depth -= 1
                    if _local(elem.tag) == "Event":
                        record += 1
                        event = event_from_xml(elem, source, record)
                        if event is None:
                            stats.bad(ET.tostring(elem, "unicode")[:160])
                        else:
                            stats.records += 1
                            yield event
                        elem.clear()
            if wrapped:
                parser.feed(b"</Events>")
            parser.close()
    except ET.ParseError as exc:
        stats.error = f"XML error after {record} event(s): {sanitize(str(exc), 160)}"
    except OSError as exc:
        stats.error = f"cannot read: {sanitize(str(exc), 160)}"


# -- EVTX ------------------------------------------------------------------------------------


def read_evtx(path: str, stats: EventStats) -> Iterator[HostEvent]:
    """Binary EVTX through python-evtx; each record is rendered to XML and parsed as above."""
    source = display_path(path)
    try:
        from Evtx.Evtx import Evtx
    except ImportError:  # pragma: no cover - a declared dependency
        stats.error = "python-evtx is not installed"
        return
    try:
        with Evtx(path) as log:
            for rec in log.records():
                number = 0
                try:
                    number = int(rec.record_num())
                    text = rec.xml()
                    elem = ET.fromstring(text)  # noqa: S314 - expat, no external entities
                    event = event_from_xml(elem, source, number)
                except Exception as exc:  # a corrupt record must not end the file
                    stats.bad(f"record {number}: {exc!r}")
                    continue
                if event is None:
                    stats.bad(f"record {number}: no System/EventID")
                    continue
                stats.records += 1
                yield event
    except Exception as exc:  # python-evtx raises plain exceptions on a corrupt file
        stats.error = f"EVTX error after {stats.records} record(s): {sanitize(repr(exc), 160)}"


# -- JSON ------------------------------------------------------------------------------------


def _flat_str(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def event_from_json(obj: Mapping[str, object], source: str, record: int) -> HostEvent | None:
    """Flat (``{"EventID": 1, "Image": ...}``) or winlogbeat-style (``{"winlog": {...}}``)."""
    winlog = obj.get("winlog")
    if isinstance(winlog, dict):
        raw = winlog.get("event_data") or {}
        data = {str(k): _flat_str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        provider = _flat_str(winlog.get("provider_name"))
        channel = _flat_str(winlog.get("channel"))
        event_id = winlog.get("event_id")
        time = _flat_str(obj.get("@timestamp"))
    else:
        data = {str(k): _flat_str(v) for k, v in obj.items() if not isinstance(v, dict | list)}
        inner = obj.get("EventData")
        if isinstance(inner, dict):
            data.update({str(k): _flat_str(v) for k, v in inner.items()})
        provider = data.pop("Provider_Name", "") or data.pop("ProviderName", "")
        channel = data.pop("Channel", "")
        event_id = obj.get("EventID", obj.get("EventId"))
        time = data.pop("TimeCreated", "") or data.pop("UtcTime", "")
    try:
        number = int(str(event_id))
    except ValueError:
        return None
    data.pop("EventID", None)
    return normalise(source, record, provider, channel, number, time, data)


def read_event_json(path: str, stats: EventStats) -> Iterator[HostEvent]:
    source = display_path(path)
    try:
        with open(path, "rb") as handle:
            for number, line in enumerate(_bounded_lines(handle, stats), 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except (ValueError, RecursionError):
                    obj = None
                event = event_from_json(obj, source, number) if isinstance(obj, dict) else None
                if event is None:
                    stats.bad(line.decode("utf-8", "replace"))
                    continue
                stats.records += 1
                yield event
    except OSError as exc:
        stats.error = f"cannot read: {sanitize(str(exc), 160)}"


def _bounded_lines(handle: object, stats: EventStats) -> Iterator[bytes]:
    readline = handle.readline  # type: ignore[attr-defined]
    while True:
        line: bytes = readline(MAX_RECORD)
        if not line:
            return
        if len(line) >= MAX_RECORD and not line.endswith(b"\n"):
            stats.bad(line[:160].decode("utf-8", "replace") + "...")
            while True:
                rest: bytes = readline(MAX_RECORD)
                if not rest or rest.endswith(b"\n"):
                    break
            yield b""
            continue
        yield line.rstrip(b"\r\n")


# -- auditd ----------------------------------------------------------------------------------

_AUDIT_HEAD = re.compile(
    r"^(?:node=\S+ )?type=(?P<type>[A-Z_]+) "
    r"msg=audit\((?P<ts>[0-9.]+):(?P<serial>\d+)\): ?(?P<rest>.*)$"
)
_KV = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')
_HEX = re.compile(r"^(?:[0-9A-F]{2})+$")
WEB_USERS = frozenset(
    {
        "www-data",
        "apache",
        "nginx",
        "http",
        "httpd",
        "tomcat",
        "tomcat9",
        "tomcat10",
        "wwwrun",
        "lighttpd",
        "caddy",
        "iis",
        "postgres",
        "mysql",
    }
)


def _audit_value(raw: str, hexed: bool) -> str:
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        return raw[1:-1]
    if hexed and _HEX.match(raw):
        try:
            return bytes.fromhex(raw).decode("utf-8", "replace").replace("\x00", " ")
        except ValueError:
            return raw
    return raw


def _parse_audit_line(line: str) -> tuple[str, str, str, dict[str, str], dict[str, str]] | None:
    enriched = ""
    if "\x1d" in line:
        line, _, enriched = line.partition("\x1d")
    m = _AUDIT_HEAD.match(line)
    if m is None:
        return None
    hexed = m["type"] in ("EXECVE", "PROCTITLE")
    values = {k: _audit_value(v, hexed) for k, v in _KV.findall(m["rest"])}
    names = {k: _audit_value(v, False) for k, v in _KV.findall(enriched)}
    return m["type"], m["ts"], m["serial"], values, names


def read_auditd(path: str, stats: EventStats) -> Iterator[HostEvent]:
    """execve records (SYSCALL + EXECVE [+ CWD]) become process-creation events.

    The parent's image is not in the record; it is taken from an earlier execve of the parent
    pid in the same file (auditd logs are read oldest first). User names come from the
    enriched format (``UID="www-data"``) when present, else stay numeric.
    """
    source = display_path(path)
    images: dict[str, tuple[str, str]] = {}  # pid -> (exe, command line)
    pending: dict[str, dict[str, object]] = {}

    def flush(serial: str) -> HostEvent | None:
        rec = pending.pop(serial, None)
        if rec is None or "syscall" not in rec:
            return None
        sc: dict[str, str] = rec["syscall"]  # type: ignore[assignment]
        names: dict[str, str] = rec.get("names", {})  # type: ignore[assignment]
        if sc.get("syscall") not in ("59", "322", "execve", "execveat"):
            return None
        argv: list[str] = rec.get("argv", [])  # type: ignore[assignment]
        exe = sc.get("exe", "")
        cmd = " ".join(argv) if argv else sc.get("comm", "")
        pid, ppid = sc.get("pid", ""), sc.get("ppid", "")
        parent_exe, parent_cmd = images.get(ppid, ("", ""))
        if len(images) < 100_000:
            images[pid] = (exe, cmd)
        euid = sc.get("euid", "")
        user = names.get("EUID") or names.get("UID") or euid
        fields = {
            "Image": exe,
            "CommandLine": cmd,
            "ParentImage": parent_exe,
            "ParentCommandLine": parent_cmd,
            "ProcessId": pid,
            "ParentProcessId": ppid,
            "User": user,
            "euid": euid,
            "uid": sc.get("uid", ""),
            "comm": sc.get("comm", ""),
            "CurrentDirectory": str(rec.get("cwd", "")),
            "type": "EXECVE",
            "key": sc.get("key", ""),
        }
        return HostEvent(
            source,
            int(str(rec.get("line", 0))),
            "auditd",
            "auditd",
            59,
            str(rec.get("ts", "")),
            "process_creation",
            fields,
            product="linux",
        )

    try:
        with open(path, "rb") as handle:
            for number, raw in enumerate(_bounded_lines(handle, stats), 1):
                if not raw.strip():
                    continue
                parsed = _parse_audit_line(raw.decode("utf-8", "replace"))
                if parsed is None:
                    stats.bad(raw.decode("utf-8", "replace"))
                    continue
                kind, ts, serial, values, names = parsed
                stats.records += 1
                if kind == "EOE":
                    event = flush(serial)
                    if event:
                        yield event
                    continue
                rec = pending.setdefault(serial, {"line": number, "ts": ts})
                if kind == "SYSCALL":
                    rec["syscall"] = values
                    rec["names"] = names
                elif kind == "EXECVE":
                    argc = (
                        int(values.get("argc", "0") or 0) if values.get("argc", "").isdigit() else 0
                    )
                    rec["argv"] = [values.get(f"a{i}", "") for i in range(min(argc, 256))]
                elif kind == "CWD":
                    rec["cwd"] = values.get("cwd", "")
                if len(pending) > 1000:  # records without EOE: flush the oldest
                    oldest = next(iter(pending))
                    event = flush(oldest)
                    if event:
                        yield event
            for serial in list(pending):
                event = flush(serial)
                if event:
                    yield event
    except OSError as exc:
        stats.error = f"cannot read: {sanitize(str(exc), 160)}"


def read_events(path: str, kind: str, stats: EventStats) -> Iterator[HostEvent]:
    stats.kind = kind
    readers = {
        "evtx": read_evtx,
        "xml": read_event_xml,
        "json": read_event_json,
        "auditd": read_auditd,
    }
    reader = readers.get(kind)
    if reader is None:
        stats.error = f"unknown event format {kind!r}"
        return iter(())
    return reader(path, stats)
