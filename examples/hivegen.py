"""Generate small Windows registry hives for tests: an empty regf file built here, then keys
and values added with Debian's python3-hivex (a system package: it runs under
/usr/bin/python3 in a subprocess). regipy, the library sscguard uses, reads the result.

The root key's security descriptor is the one every added key shares (hivex copies the
parent's ``sk`` cell): ``admin_only`` gives SYSTEM and Administrators full control and Users
read; ``permissive`` also lets Everyone set values (KEY_SET_VALUE | KEY_CREATE_SUB_KEY).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_MULTI_SZ = 1, 2, 4, 7


def _sid(text: str) -> bytes:
    parts = [int(p) for p in text.split("-")[1:]]
    revision, authority, subs = parts[0], parts[1], parts[2:]
    return (
        bytes([revision, len(subs)])
        + authority.to_bytes(6, "big")
        + struct.pack(f"<{len(subs)}I", *subs)
    )


def security_descriptor(permissive: bool) -> bytes:
    aces = [("S-1-5-18", 0xF003F), ("S-1-5-32-544", 0xF003F), ("S-1-5-32-545", 0x20019)]
    if permissive:
        aces.append(("S-1-1-0", 0x20019 | 0x2 | 0x4))
    body = b""
    for sid, mask in aces:
        raw = _sid(sid)
        body += struct.pack("<BBHI", 0, 0x02, 8 + len(raw), mask) + raw
    acl = struct.pack("<BBHHH", 2, 0, 8 + len(body), len(aces), 0) + body
    owner = _sid("S-1-5-32-544")
    group = _sid("S-1-5-18")
    header = 20
    return (
        struct.pack(
            "<BBHIIII",
            1,
            0,
            0x8004,
            header,
            header + len(owner),
            0,
            header + len(owner) + len(group),
        )
        + owner
        + group
        + acl
    )


def empty_hive(permissive: bool = False, name: str = "SYSTEM") -> bytes:
    """A valid regf file with one hbin, a root key and its security cell."""
    sd = security_descriptor(permissive)
    root_off, sk_off = 0x20, 0x20 + 0x60
    # layout: access(4) parent(4) nsub(4) nvol(4) sublist(4) vollist(4) nval(4) vallist(4)
    # sk(4) class(4) maxsub(4) maxclass(4) maxvname(4) maxvdata(4) workvar(4) = 15 dwords
    nk = bytearray(b"nk" + struct.pack("<H", 0x2C) + b"\0" * 8)
    nk += struct.pack(
        "<15I",
        0,
        0xFFFFFFFF,
        0,
        0,
        0xFFFFFFFF,
        0xFFFFFFFF,
        0,
        0xFFFFFFFF,
        sk_off,
        0xFFFFFFFF,
        0,
        0,
        0,
        0,
        0,
    )
    key_name = b"ROOT"
    nk += struct.pack("<HH", len(key_name), 0) + key_name
    nk_cell = struct.pack("<i", -0x60) + bytes(nk).ljust(0x60 - 4, b"\0")
    sk = b"sk" + struct.pack("<HIIII", 0, sk_off, sk_off, 1, len(sd)) + sd
    sk_size = (4 + len(sk) + 7) & ~7
    sk_cell = struct.pack("<i", -sk_size) + sk.ljust(sk_size - 4, b"\0")
    used = 0x20 + len(nk_cell) + len(sk_cell)
    free = 4096 - used
    hbin = b"hbin" + struct.pack("<III", 0, 4096, 0) + b"\0" * 16
    hbin += nk_cell + sk_cell + struct.pack("<i", free) + b"\0" * (free - 4)
    base = bytearray(4096)
    base[0:4] = b"regf"
    struct.pack_into("<IIQIIIIIII", base, 4, 1, 1, 0, 1, 5, 0, 1, root_off, 4096, 1)
    file_name = name.encode("utf-16-le")[:64]
    base[48 : 48 + len(file_name)] = file_name
    checksum = 0
    for (dword,) in struct.iter_unpack("<I", bytes(base[:508])):
        checksum ^= dword
    struct.pack_into("<I", base, 508, checksum if checksum not in (0, 0xFFFFFFFF) else 1)
    return bytes(base) + hbin


def write_hive(
    path: Path, keys: dict[str, dict[str, list[object]]], permissive: bool = False
) -> Path:
    """Write a hive with ``keys``: {"A\\\\B": {"Name": [type, value]}} (value str or list)."""
    path.write_bytes(empty_hive(permissive))
    spec = path.with_suffix(".json")
    spec.write_text(json.dumps(keys))
    subprocess.run([SYSTEM_PYTHON, __file__, str(path), str(spec)], check=True, timeout=60)
    spec.unlink()
    return path


def _encode(kind: int, value: object) -> bytes:
    if kind == REG_DWORD:
        return struct.pack("<I", int(value))  # type: ignore[call-overload]
    if kind == REG_MULTI_SZ:
        assert isinstance(value, list)
        return "".join(f"{v}\0" for v in value).encode("utf-16-le") + b"\0\0"
    return f"{value}\0".encode("utf-16-le")


def _main(hive_path: str, spec_path: str) -> None:  # runs under /usr/bin/python3
    import hivex

    keys = json.loads(Path(spec_path).read_text())
    h = hivex.Hivex(hive_path, write=True)
    for key, values in keys.items():
        node = h.root()
        for part in key.split("\\"):
            child = h.node_get_child(node, part)
            node = child if child else h.node_add_child(node, part)
        for name, (kind, value) in values.items():
            h.node_set_value(node, {"key": name, "t": kind, "value": _encode(kind, value)})
    h.commit(hive_path)


def system_hive(
    path: Path,
    *,
    service_dll: str = "%SystemRoot%\\System32\\termsrv.dll",
    initial_program: str = "",
    startup: str = "rdpclip",
    permissive: bool = False,
    current: int = 1,
) -> Path:
    """A SYSTEM hive with the Terminal Services keys under ControlSet00<current>."""
    cs = f"ControlSet{current:03d}"
    keys: dict[str, dict[str, list[object]]] = {
        "Select": {"Current": [REG_DWORD, current], "Default": [REG_DWORD, current]},
        f"{cs}\\Services\\TermService": {
            "ImagePath": [REG_EXPAND_SZ, "%SystemRoot%\\System32\\svchost.exe -k NetworkService"]
        },
        f"{cs}\\Services\\TermService\\Parameters": {"ServiceDll": [REG_EXPAND_SZ, service_dll]},
        f"{cs}\\Control\\Terminal Server\\WinStations\\RDP-Tcp": {
            "InitialProgram": [REG_SZ, initial_program]
        },
        f"{cs}\\Control\\Terminal Server\\Wds\\rdpwd": {"StartupPrograms": [REG_SZ, startup]},
    }
    if current != 1:  # a stale, clean ControlSet001 that must not be read
        keys["ControlSet001\\Services\\TermService\\Parameters"] = {
            "ServiceDll": [REG_EXPAND_SZ, "%SystemRoot%\\System32\\termsrv.dll"]
        }
    return write_hive(path, keys, permissive)


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2])
