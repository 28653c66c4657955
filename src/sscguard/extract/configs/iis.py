"""IIS ``applicationHost.config`` / ``web.config`` and Exchange ``agents.config`` (defusedxml).

Extracts what the servers load: native global modules (``image``), managed modules
(``type``), ISAPI filters, handlers with a script processor, Exchange transport agents;
plus site physical paths, log folders and the ISAPI/CGI restriction switches.
"""

from __future__ import annotations

from dataclasses import dataclass

from sscguard.extract.configs.xmltree import XmlNode


@dataclass(frozen=True, slots=True)
class IisEntry:
    section: str  # globalModules, modules, isapiFilters, handlers
    name: str
    target: str  # image / type / path / scriptProcessor ("" for a reference to a native module)
    line: int
    location: str = ""  # <location path="..."> it sits in, if any


@dataclass(frozen=True, slots=True)
class IisSite:
    name: str
    physical_paths: tuple[tuple[str, int], ...]  # (path, line)
    log_directory: str


@dataclass(frozen=True, slots=True)
class IisSetting:
    key: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class TransportAgent:
    name: str
    base_type: str
    class_factory: str
    assembly_path: str
    enabled: bool
    line: int


def _locations(doc: XmlNode) -> list[tuple[XmlNode, str]]:
    """The document and each ``<location path>`` element, with that path."""
    out = [(doc, "")]
    out.extend((loc, loc.get("path")) for loc in doc.iter("location"))
    return out


def iis_entries(doc: XmlNode) -> list[IisEntry]:
    out: list[IisEntry] = []
    for scope, where in _locations(doc):
        for web in scope.findall("system.webServer"):
            for node in web.path("globalModules", "add"):
                out.append(
                    IisEntry("globalModules", node.get("name"), node.get("image"), node.line, where)
                )
            for node in web.path("modules", "add"):
                out.append(
                    IisEntry("modules", node.get("name"), node.get("type"), node.line, where)
                )
            for node in web.path("isapiFilters", "filter"):
                out.append(
                    IisEntry("isapiFilters", node.get("name"), node.get("path"), node.line, where)
                )
            for node in web.path("handlers", "add"):
                target = node.get("scriptProcessor") or node.get("type")
                out.append(IisEntry("handlers", node.get("name"), target, node.line, where))
    return out


def iis_sites(doc: XmlNode) -> list[IisSite]:
    defaults = ""
    for node in doc.iter("siteDefaults"):
        log = node.find("logFile")
        if log is not None:
            defaults = log.get("directory")
    sites = []
    for site in doc.iter("site"):
        paths = tuple(
            (vd.get("physicalPath"), vd.line)
            for app in site.findall("application")
            for vd in app.findall("virtualDirectory")
            if vd.get("physicalPath")
        )
        log = site.find("logFile")
        sites.append(IisSite(site.get("name"), paths, log.get("directory") if log else defaults))
    return sites


def iis_settings(doc: XmlNode) -> list[IisSetting]:
    out = []
    for node in doc.iter("isapiCgiRestriction"):
        for attr in ("notListedIsapisAllowed", "notListedCgisAllowed"):
            if attr in node.attrib:
                out.append(IisSetting(f"isapiCgiRestriction.{attr}", node.get(attr), node.line))
    return out


def transport_agents(doc: XmlNode) -> list[TransportAgent]:
    return [
        TransportAgent(
            node.get("name"),
            node.get("baseType"),
            node.get("classFactory"),
            node.get("assemblyPath"),
            node.get("enabled", "true").lower() != "false",
            node.line,
        )
        for node in doc.iter("agent")
    ]
