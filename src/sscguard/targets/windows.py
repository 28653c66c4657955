"""Windows artifacts from an image or a collected folder: IIS, Exchange transport agents and
the Terminal Services values of the SYSTEM hive. The system drive is the root; paths are
matched case-insensitively, as Windows does."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from sscguard.extract.configs import iis as iis_cfg
from sscguard.extract.configs.xmltree import XmlError, XmlNode, parse_xml
from sscguard.extract.hive import read_system_hive
from sscguard.model import Location, SkipCode, Skipped
from sscguard.targets import SIG_MISSING, SIG_NA, SIG_UNVERIFIED, LogSource, Server
from sscguard.targets.discovery import Builder

APPHOST = "/Windows/System32/inetsrv/config/applicationHost.config"
SYSTEM_HIVE = "/Windows/System32/config/SYSTEM"
EXCHANGE_DIRS = (
    "/Program Files/Microsoft/Exchange Server/V15",
    "/Program Files/Microsoft/Exchange Server/V14",
)
_ENV = {
    "windir": "C:\\Windows",
    "systemroot": "C:\\Windows",
    "systemdrive": "C:",
    "programfiles": "C:\\Program Files",
    "programfiles(x86)": "C:\\Program Files (x86)",
    "programw6432": "C:\\Program Files",
    "commonprogramfiles": "C:\\Program Files\\Common Files",
}
_VAR_RE = re.compile(r"%([^%]+)%")


def win_to_unix(text: str, extra: dict[str, str] | None = None) -> str:
    """``%windir%\\System32\\x.dll`` -> ``/Windows/System32/x.dll`` (system drive = root)."""
    env = {**_ENV, **{k.lower(): v for k, v in (extra or {}).items()}}
    value = _VAR_RE.sub(lambda m: env.get(m.group(1).lower(), m.group(0)), text.strip().strip('"'))
    value = value.replace("\\", "/")
    if len(value) >= 2 and value[1] == ":":
        value = value[2:]
    return posixpath.normpath("/" + value.lstrip("/"))


def _map(b: Builder, text: str, extra: dict[str, str] | None = None) -> str:
    unix = win_to_unix(text, extra)
    return b.fs.find_ci(unix) or unix


def _xml(b: Builder, path: str) -> XmlNode | None:
    data = b.fs.read(path)
    if isinstance(data, Skipped):
        b.skipped.append(data)
        return None
    try:
        return parse_xml(data)
    except XmlError as exc:
        b.skip(path, SkipCode.ERROR, f"XML not parsed: {exc}")
        return None


def _state(b: Builder, path: str) -> str:
    """The Authenticode state of a Windows binary: unsigned, signed: NAME, invalid: ...,
    unverifiable: ... (no trust store here), or not-pe: ..."""
    from sscguard.extract.pe_signature import MAX_PE_BYTES, signature_state

    if not b.fs.exists(path):
        return SIG_MISSING
    b.note_path(path)
    data = b.fs.read(path, max_size=MAX_PE_BYTES)
    if isinstance(data, Skipped):
        return SIG_UNVERIFIED
    return signature_state(data)


def find_iis(b: Builder) -> None:
    apphost = b.fs.find_ci(APPHOST)
    if apphost is None:
        return
    doc = _xml(b, apphost)
    if doc is None:
        return
    sites = iis_cfg.iis_sites(doc)
    roots = [(_map(b, p), line) for s in sites for p, line in s.physical_paths]
    logs = tuple(dict.fromkeys(_map(b, s.log_directory) for s in sites if s.log_directory))
    inetsrv = b.fs.find_ci("/Windows/System32/inetsrv") or "/Windows/System32/inetsrv"
    server = Server(
        "iis",
        f"iis:{apphost}",
        "windows",
        None,
        (apphost,),
        tuple(dict.fromkeys(r for r, _ in roots)),
        (inetsrv,),
        tuple(_log_sources(b, logs, apphost)),
        "IIS APPPOOL\\*",
    )
    b.servers.append(server)
    _iis_entries(b, server, apphost, iis_cfg.iis_entries(doc), "applicationHost.config")
    for setting in iis_cfg.iis_settings(doc):
        b.add_setting(server, f"iis.{setting.key}", setting.value, b.loc(apphost, setting.line))
    for root, _ in roots:
        web_config = b.fs.find_ci(f"{root}/web.config")
        if web_config:
            wdoc = _xml(b, web_config)
            if wdoc is not None:
                _iis_entries(b, server, web_config, iis_cfg.iis_entries(wdoc), "web.config")


def _log_sources(b: Builder, dirs: tuple[str, ...], apphost: str) -> list[LogSource]:
    return [LogSource(f"{d}/W3SVC*/u_ex*.log", "w3c", b.loc(apphost)) for d in dirs]


_KIND = {
    "globalModules": "native-module",
    "modules": "managed-module",
    "isapiFilters": "isapi-filter",
    "handlers": "handler",
}


def _iis_entries(
    b: Builder, server: Server, file: str, entries: list[iis_cfg.IisEntry], source: str
) -> None:
    for e in entries:
        detail = {"section": e.section, "source": source, "target": e.target}
        if e.location:
            detail["location"] = e.location
        path: str | None = None
        state = SIG_NA
        if e.section in ("globalModules", "isapiFilters") or (
            e.section == "handlers" and "\\" in e.target
        ):
            path = _map(b, e.target) if e.target else None
            state = _state(b, path) if path else SIG_NA
        b.add_component(
            server,
            _KIND[e.section],
            e.name,
            path,
            b.loc(file, e.line),
            detail,
            check_file=False,
            state=state,
        )


def find_exchange(b: Builder) -> None:
    for install in EXCHANGE_DIRS:
        found = b.fs.find_ci(install)
        if found is None:
            continue
        configs = [
            p
            for p in (
                b.fs.find_ci(f"{found}/TransportRoles/Shared/agents.config"),
                b.fs.find_ci(f"{found}/TransportRoles/Shared/fetagents.config"),
            )
            if p
        ]
        if not configs:
            continue
        server = Server(
            "exchange",
            f"exchange:{found}",
            "windows",
            posixpath.basename(found),
            tuple(configs),
            (),
            (f"{found}/TransportRoles/agents",),
            (),
            "NETWORK SERVICE",
        )
        b.servers.append(server)
        install_win = "C:" + found.replace("/", "\\")
        for config in configs:
            doc = _xml(b, config)
            for agent in iis_cfg.transport_agents(doc) if doc else []:
                path = _map(b, agent.assembly_path, {"ExchangeInstallPath": install_win + "\\"})
                b.add_component(
                    server,
                    "transport-agent",
                    agent.name,
                    path,
                    b.loc(config, agent.line),
                    {
                        "class_factory": agent.class_factory,
                        "base_type": agent.base_type,
                        "enabled": str(agent.enabled).lower(),
                        "assembly_path": agent.assembly_path,
                        "install": found,
                    },
                    check_file=False,
                    state=_state(b, path) if agent.assembly_path else SIG_NA,
                )


def find_termservice(b: Builder) -> None:
    hive_path = b.fs.find_ci(SYSTEM_HIVE)
    if hive_path is None:
        return
    hive = read_system_hive(b.fs, hive_path)
    b.skipped.extend(hive.skipped)
    if not hive.control_set:
        return
    server = Server(
        "termservice",
        f"termservice:{hive_path}",
        "windows",
        None,
        (hive_path,),
        (),
        (b.fs.find_ci("/Windows/System32") or "/Windows/System32",),
        (),
        "NETWORK SERVICE",
    )
    b.servers.append(server)
    for value in hive.values:
        at = Location(value.uri)
        if value.name == "ServiceDll":
            path = _map(b, value.value)
            b.add_component(
                server,
                "service-dll",
                value.key.split("\\")[-2],
                path,
                at,
                {"value": value.value, "key": value.key, "control_set": hive.control_set},
                check_file=False,
                state=_state(b, path),
            )
        else:
            b.add_setting(server, f"rdp.{value.name}", value.value, at, key=value.key)
    for acl in hive.acls:
        for ace in acl.aces:
            if ace.allow and not ace.inherit_only:
                b.add_setting(
                    server,
                    "registry.ace",
                    ace.sid,
                    Location(acl.uri),
                    key=acl.key,
                    mask=f"0x{ace.mask:08x}",
                    owner=acl.owner,
                )


FINDERS: tuple[Callable[[Builder], None], ...] = (find_iis, find_exchange, find_termservice)
