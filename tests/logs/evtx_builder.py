"""Write a minimal, structurally real EVTX file (one chunk, one record per event) for tests.

Each record holds a resident template whose element tree carries the event's values as literal
value nodes, with element and attribute names stored inline (resident name strings): the
smallest binary-XML layout Windows' format allows and python-evtx reads. Checksums are filled
in (CRC32) as Windows writes them.
"""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
import zlib

CHUNK_SIZE = 0x10000
FILE_HEADER_SIZE = 0x1000
RECORDS_START = 0x200


def _name(text: str) -> bytes:
    data = text.encode("utf-16-le")
    return struct.pack("<IHH", 0, 0, len(text)) + data + b"\0\0"


def _value(text: str) -> bytes:
    return b"\x05\x01" + struct.pack("<H", len(text)) + text.encode("utf-16-le")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Encoder:
    def __init__(self, base: int) -> None:
        self.base = base  # chunk-relative offset of the first byte written
        self.out = bytearray()

    @property
    def here(self) -> int:
        return self.base + len(self.out)

    def element(self, elem: ET.Element) -> None:
        attrs = dict(elem.attrib)
        if "}" in elem.tag and elem.tag.startswith("{"):
            attrs = {"xmlns": elem.tag[1:].split("}", 1)[0], **attrs}
        token = 0x41 if attrs else 0x01
        header_len = 11 + (4 if attrs else 0)
        name_offset = self.here + header_len
        self.out += struct.pack("<BHII", token, 0xFFFF, 0, name_offset)
        if attrs:
            self.out += struct.pack("<I", 0)  # attribute list size (not checked by readers)
        self.out += _name(_local(elem.tag))
        for key, value in attrs.items():
            self.out += struct.pack("<BI", 0x06, self.here + 5)
            self.out += _name(key)
            self.out += _value(value)
        children = list(elem)
        text = (elem.text or "").strip()
        if not children and not text:
            self.out += b"\x03"  # close empty element
            return
        self.out += b"\x02"  # close start element
        if text:
            self.out += _value(text)
        for child in children:
            self.element(child)
        self.out += b"\x04"  # close element


def _record(event_xml: str, number: int, chunk_offset: int) -> bytes:
    root = ET.fromstring(event_xml)
    # record header (0x18) + fragment header (4) + template instance (10) + template header (0x18)
    data_start = chunk_offset + 0x18 + 4 + 10 + 0x18
    enc = _Encoder(data_start + 4)
    enc.element(root)
    template_data = b"\x0f\x01\x01\x00" + bytes(enc.out) + b"\x00"
    template_offset = chunk_offset + 0x18 + 4 + 10
    template = struct.pack("<I", 0) + struct.pack("<I", number) + b"\0" * 12
    template += struct.pack("<I", len(template_data)) + template_data
    body = b"\x0f\x01\x01\x00"
    body += struct.pack("<BBII", 0x0C, 0x01, number, template_offset) + template
    body += struct.pack("<I", 0)  # no substitutions
    size = 0x18 + len(body) + 4
    filetime = 133_000_000_000_000_000 + number * 10_000_000
    head = struct.pack("<IIQQ", 0x00002A2A, size, number, filetime)
    return head + body + struct.pack("<I", size)


def build_evtx(events: list[str]) -> bytes:
    """An EVTX file holding one record per event XML string."""
    chunk = bytearray(CHUNK_SIZE)
    offset = RECORDS_START
    last = offset
    for number, xml in enumerate(events, 1):
        rec = _record(xml, number, offset)
        if offset + len(rec) > CHUNK_SIZE:
            raise ValueError("events do not fit in one chunk")
        chunk[offset : offset + len(rec)] = rec
        last = offset
        offset += len(rec)
    count = len(events)
    header = struct.pack("<8sQQQQIIII", b"ElfChnk\0", 1, count, 1, count, 0x80, last, offset, 0)
    chunk[: len(header)] = header
    data_crc = zlib.crc32(bytes(chunk[RECORDS_START:offset])) & 0xFFFFFFFF
    struct.pack_into("<I", chunk, 0x34, data_crc)
    header_crc = zlib.crc32(bytes(chunk[:0x78]) + bytes(chunk[0x80:0x200])) & 0xFFFFFFFF
    struct.pack_into("<I", chunk, 0x7C, header_crc)
    fh = bytearray(FILE_HEADER_SIZE)
    struct.pack_into("<8sQQQIHHHH", fh, 0, b"ElfFile\0", 0, 0, count + 1, 0x80, 1, 3, 0x1000, 1)
    struct.pack_into("<I", fh, 0x78, 0)  # flags: clean
    struct.pack_into("<I", fh, 0x7C, zlib.crc32(bytes(fh[:0x78])) & 0xFFFFFFFF)
    return bytes(fh) + bytes(chunk)
