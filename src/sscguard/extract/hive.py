"""The offline SYSTEM hive (regipy): Terminal Services values and their keys' permissions.

There is no ``CurrentControlSet`` on disk: ``Select\\Current`` names the control set in use
(``ControlSet00N``). Values are read with regipy. Key security descriptors are parsed here:
regipy locates each key's ``sk`` cell and decodes owner and ACEs, but its access-mask
decoder keeps only the generic and standard rights and drops the key-specific ones
(``KEY_SET_VALUE`` 0x2, ``KEY_CREATE_SUB_KEY`` 0x4), which are exactly the rights that let
someone repoint ``ServiceDll``; so the descriptor bytes are decoded with ``struct``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from sscguard.extract.rootfs import RootFS
from sscguard.model import SkipCode, Skipped

MAX_HIVE = 512 << 20
REGF_HEADER = 4096

# Keys (below the control set) whose values load code for Remote Desktop.
TS_KEYS = (
    "Services\\TermService",
    "Services\\TermService\\Parameters",
    "Services\\UmRdpService\\Parameters",
    "Control\\Terminal Server\\WinStations\\RDP-Tcp",
    "Control\\Terminal Server\\Wds\\rdpwd",
)
TS_VALUES = (
    ("Services\\TermService\\Parameters", "ServiceDll"),
    ("Services\\TermService", "ImagePath"),
    ("Services\\UmRdpService\\Parameters", "ServiceDll"),
    ("Control\\Terminal Server\\WinStations\\RDP-Tcp", "InitialProgram"),
    ("Control\\Terminal Server\\Wds\\rdpwd", "StartupPrograms"),
)

KEY_WRITE_RIGHTS = {
    0x00000002: "KEY_SET_VALUE",
    0x00000004: "KEY_CREATE_SUB_KEY",
    0x00010000: "DELETE",
    0x00040000: "WRITE_DAC",
    0x00080000: "WRITE_OWNER",
    0x02000000: "MAXIMUM_ALLOWED",
    0x10000000: "GENERIC_ALL",
    0x40000000: "GENERIC_WRITE",
}


@dataclass(frozen=True, slots=True)
class HiveValue:
    key: str  # e.g. ControlSet001\Services\TermService\Parameters
    name: str
    value: str
    uri: str


@dataclass(frozen=True, slots=True)
class Ace:
    allow: bool
    sid: str
    mask: int
    inherit_only: bool


@dataclass(frozen=True, slots=True)
class KeyAcl:
    key: str
    uri: str
    owner: str
    aces: tuple[Ace, ...]


@dataclass(slots=True)
class SystemHive:
    path: str  # in-root path of the hive file
    control_set: str = ""
    values: list[HiveValue] = field(default_factory=list)
    acls: list[KeyAcl] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def uri_for(key: str, name: str = "") -> str:
    tail = key.replace("\\", "/")
    return f"hive://SYSTEM/{tail}" + (f"/{name}" if name else "")


def _sid(data: bytes, offset: int) -> str:
    revision, count = data[offset], data[offset + 1]
    authority = int.from_bytes(data[offset + 2 : offset + 8], "big")
    subs = struct.unpack_from(f"<{count}I", data, offset + 8)
    return "S-" + "-".join(str(x) for x in (revision, authority, *subs))


def parse_security_descriptor(sd: bytes) -> tuple[str, tuple[Ace, ...]]:
    """Owner SID and DACL ACEs of a self-relative security descriptor."""
    _, _, control, owner_off, _, _, dacl_off = struct.unpack_from("<BBHIIII", sd, 0)
    owner = _sid(sd, owner_off) if owner_off else ""
    aces: list[Ace] = []
    if dacl_off and control & 0x0004:
        _, _, _, count, _ = struct.unpack_from("<BBHHH", sd, dacl_off)
        pos = dacl_off + 8
        for _ in range(min(count, 1024)):
            ace_type, flags, size = struct.unpack_from("<BBH", sd, pos)
            if size < 8:
                break
            if ace_type in (0, 1):  # ACCESS_ALLOWED, ACCESS_DENIED
                (mask,) = struct.unpack_from("<I", sd, pos + 4)
                aces.append(Ace(ace_type == 0, _sid(sd, pos + 8), mask, bool(flags & 0x08)))
            pos += size
    return owner, tuple(aces)


def _sk_descriptor(raw: bytes, sk_offset: int) -> bytes:
    base = REGF_HEADER + sk_offset
    if raw[base + 4 : base + 6] != b"sk":
        raise ValueError("no sk cell at the key's security offset")
    (size,) = struct.unpack_from("<I", raw, base + 20)
    return raw[base + 24 : base + 24 + size]


def read_system_hive(rootfs: RootFS, path: str) -> SystemHive:
    """Terminal Services values and key ACLs from a SYSTEM hive under the root."""
    result = SystemHive(path)
    shown = rootfs.display(path)
    raw = rootfs.read(path, MAX_HIVE)
    if isinstance(raw, Skipped):
        result.skipped.append(raw)
        return result
    from regipy.exceptions import NoRegistrySubkeysException, RegistryKeyNotFoundException

    try:
        from regipy.registry import RegistryHive

        hive = _open(RegistryHive, rootfs.host(rootfs.resolve(path) or path))
        current = hive.get_key("\\Select").get_value("Current")
        result.control_set = f"ControlSet{int(current):03d}"
    except Exception as exc:  # regipy raises many kinds on a damaged hive
        result.skipped.append(Skipped(shown, SkipCode.ERROR, f"not a readable hive: {exc}"[:200]))
        return result
    for rel, name in TS_VALUES:
        key = f"{result.control_set}\\{rel}"
        try:
            value = hive.get_key("\\" + key).get_value(name)
        except (RegistryKeyNotFoundException, NoRegistrySubkeysException):
            continue  # not configured on this system
        except Exception as exc:  # a damaged cell
            result.skipped.append(Skipped(uri_for(key, name), SkipCode.ERROR, str(exc)[:200]))
            continue
        if value is not None:
            text = "\x00".join(value) if isinstance(value, list) else str(value)
            result.values.append(HiveValue(key, name, text, uri_for(key, name)))
    for rel in TS_KEYS:
        key = f"{result.control_set}\\{rel}"
        try:
            nk = hive.get_key("\\" + key)
        except (RegistryKeyNotFoundException, NoRegistrySubkeysException):
            continue
        except Exception as exc:  # a damaged cell
            result.skipped.append(Skipped(uri_for(key), SkipCode.ERROR, str(exc)[:200]))
            continue
        try:
            sd = _sk_descriptor(raw, int(nk.header.security_key_offset))
            owner, aces = parse_security_descriptor(sd)
        except (ValueError, struct.error, IndexError) as exc:
            result.skipped.append(
                Skipped(uri_for(key), SkipCode.ERROR, f"security descriptor: {exc}"[:200])
            )
            continue
        result.acls.append(KeyAcl(key, uri_for(key), owner, aces))
    return result


def _open(cls: Any, host_path: str) -> Any:
    return cls(host_path)
