"""Tomcat ``server.xml``, ``context.xml``, ``web.xml`` and ``tomcat-users.xml`` (defusedxml).

Only what loads code or grants deployment rights is extracted: ``className`` of valves,
listeners, realms and loaders; ``Host``/``Context`` locations; filter, listener and servlet
classes; users with manager roles. Passwords never leave this module: a user carries only a
class of password (empty, same as the name, a well-known default, or other).
"""

from __future__ import annotations

from dataclasses import dataclass

from sscguard.extract.configs.xmltree import XmlNode, local

# Passwords that ship in examples, tutorials and installers. Lower-cased comparison.
WEAK_PASSWORDS = frozenset(
    {
        "",
        "tomcat",
        "admin",
        "manager",
        "password",
        "changeme",
        "secret",
        "s3cret",
        "123456",
        "root",
        "<must-be-changed>",
        "role1",
        "both",
    }
)
MANAGER_ROLES = frozenset({"manager-gui", "manager-script", "manager-jmx", "admin-gui", "manager"})


@dataclass(frozen=True, slots=True)
class ClassRef:
    """An element naming a Java class the server instantiates."""

    element: str  # Valve, Listener, Realm, Loader, filter, listener, servlet, ...
    class_name: str
    line: int
    scope: str = ""  # Engine/Host/Context name or the servlet/filter name


@dataclass(frozen=True, slots=True)
class HostDef:
    name: str
    app_base: str
    line: int


@dataclass(frozen=True, slots=True)
class ContextDef:
    path: str
    doc_base: str
    line: int
    privileged: bool


@dataclass(frozen=True, slots=True)
class TomcatUser:
    name: str
    roles: tuple[str, ...]
    password_class: str  # "empty", "same-as-name", "default", "other"
    line: int


def class_refs(doc: XmlNode) -> list[ClassRef]:
    """Every ``className`` attribute in server.xml or context.xml, with its enclosing scope."""
    out: list[ClassRef] = []

    def walk(node: XmlNode, scope: str) -> None:
        tag = local(node.tag)
        if tag in ("Engine", "Host", "Service"):
            scope = f"{tag} {node.get('name')}".strip()
        elif tag == "Context":
            scope = f"Context {node.get('path') or node.get('docBase')}".strip()
        name = node.get("className")
        if name:
            out.append(ClassRef(tag, name.strip(), node.line, scope))
        for child in node.children:
            walk(child, scope)

    walk(doc, "")
    return out


def hosts(doc: XmlNode) -> list[HostDef]:
    return [HostDef(n.get("name"), n.get("appBase", "webapps"), n.line) for n in doc.iter("Host")]


def contexts(doc: XmlNode) -> list[ContextDef]:
    return [
        ContextDef(n.get("path"), n.get("docBase"), n.line, n.get("privileged").lower() == "true")
        for n in doc.iter("Context")
    ]


def webxml_classes(doc: XmlNode) -> list[ClassRef]:
    """Filters, listeners and servlets a ``web.xml`` declares."""
    out: list[ClassRef] = []
    for tag, cls_tag, name_tag in (
        ("filter", "filter-class", "filter-name"),
        ("listener", "listener-class", ""),
        ("servlet", "servlet-class", "servlet-name"),
    ):
        for node in doc.iter(tag):
            cls = node.find(cls_tag)
            if cls is not None and cls.text.strip():
                scope = node.child_text(name_tag) if name_tag else ""
                out.append(ClassRef(tag, cls.text.strip(), cls.line, scope))
    return out


def password_class(name: str, password: str) -> str:
    if password == "":
        return "empty"
    if password.lower() == name.lower():
        return "same-as-name"
    if password.lower() in WEAK_PASSWORDS:
        return "default"
    return "other"


def users(doc: XmlNode) -> list[TomcatUser]:
    out = []
    for node in doc.iter("user"):
        name = node.get("username") or node.get("name")
        roles = tuple(r.strip() for r in node.get("roles").split(",") if r.strip())
        out.append(TomcatUser(name, roles, password_class(name, node.get("password")), node.line))
    return out
