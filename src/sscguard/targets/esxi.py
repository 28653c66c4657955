"""ESXi: a copy of the host's files (``/etc``, ``/var/db/esximg``, logs) plus esxcli outputs
saved under ``<root>/esxcli/`` (see docs/components.md for the collection commands)."""

from __future__ import annotations

from collections.abc import Callable

from sscguard.extract.configs import esxi as esxi_cfg
from sscguard.model import Skipped
from sscguard.targets import SIG_NA, Server
from sscguard.targets.discovery import Builder

MARKERS = ("/etc/vmware/esx.conf", "/var/db/esximg", "/esxcli")
VIB_LISTS = (
    "/esxcli/software_vib_list.txt",
    "/esxcli/software_vib_list.csv",
    "/esxcli/software_vib_list.xml",
)
LOGS = ("/var/log/esxupdate.log", "/var/run/log/esxupdate.log", "/scratch/log/esxupdate.log")


def find_esxi(b: Builder) -> None:
    if not any(b.fs.exists(m) for m in MARKERS):
        return
    files = [p for p in (*VIB_LISTS, "/etc/rc.local.d/local.sh") if b.fs.is_file(p)]
    server = Server(
        "esxi",
        "esxi:/",
        "esxi",
        None,
        tuple(files),
        (),
        ("/var/db/esximg/vibs",),
        (),
        "root",
    )
    b.servers.append(server)
    seen: set[str] = set()
    for path in VIB_LISTS:
        text = b.fs.read_text(path)
        if isinstance(text, Skipped):
            continue
        for vib in esxi_cfg.parse_vib_list(text):
            seen.add(vib.name)
            _vib(b, server, vib, path)
    for name in b.fs.listdir("/var/db/esximg/vibs"):
        path = f"/var/db/esximg/vibs/{name}"
        data = b.fs.read(path)
        if isinstance(data, Skipped):
            b.skipped.append(data)
            continue
        desc = esxi_cfg.parse_descriptor(data)
        if desc is not None and desc.name not in seen:
            seen.add(desc.name)
            _vib(b, server, desc, path)
    text = b.fs.read_text("/esxcli/software_acceptance_get.txt")
    if not isinstance(text, Skipped) and text.strip():
        level = esxi_cfg.normalise_level(text.strip().splitlines()[-1])
        b.add_setting(
            server, "esxi.acceptance", level, b.loc("/esxcli/software_acceptance_get.txt", 1)
        )
    text = b.fs.read_text("/esxcli/system_settings_kernel_list.txt")
    if not isinstance(text, Skipped):
        found = esxi_cfg.kernel_setting(text, "execInstalledOnly")
        if found:
            b.add_setting(
                server,
                "esxi.execInstalledOnly",
                found[0],
                b.loc("/esxcli/system_settings_kernel_list.txt", found[1]),
            )
    for log in LOGS:
        text = b.fs.read_text(log, 64 << 20)
        if isinstance(text, Skipped):
            continue
        for number, line in esxi_cfg.bypass_lines(text):
            b.add_setting(server, "esxi.install_bypass", line.strip()[:300], b.loc(log, number))
    text = b.fs.read_text("/etc/rc.local.d/local.sh")
    if not isinstance(text, Skipped):
        for number, line in esxi_cfg.local_sh_commands(text):
            b.add_setting(
                server, "esxi.local_sh", line[:300], b.loc("/etc/rc.local.d/local.sh", number)
            )


def _vib(b: Builder, server: Server, vib: esxi_cfg.Vib, path: str) -> None:
    b.add_component(
        server,
        "vib",
        vib.name,
        None,
        b.loc(path, vib.line or None),
        {
            "version": vib.version,
            "vendor": vib.vendor,
            "acceptance": vib.acceptance,
            "install_date": vib.install_date,
        },
        check_file=False,
        state=SIG_NA,
    )


FINDERS: tuple[Callable[[Builder], None], ...] = (find_esxi,)
