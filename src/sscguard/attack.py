"""The bundled slice of MITRE ATT&CK (Enterprise) that sscguard reports against.

Server Software Component (T1505) and its sub-techniques, the data components its detections
use, and the mitigations ATT&CK lists for it. Summaries are written for this tool; the IDs and
names are ATT&CK's. Nothing is downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sscguard.model import AttackRef

ATTACK_URL = "https://attack.mitre.org"


@dataclass(frozen=True, slots=True)
class Technique:
    id: str
    name: str
    summary: str

    @property
    def url(self) -> str:
        return f"{ATTACK_URL}/techniques/{self.id.replace('.', '/')}/"


@dataclass(frozen=True, slots=True)
class DataSource:
    id: str
    name: str
    components: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"{ATTACK_URL}/datasources/{self.id}/"


@dataclass(frozen=True, slots=True)
class Mitigation:
    id: str
    name: str
    summary: str

    @property
    def url(self) -> str:
        return f"{ATTACK_URL}/mitigations/{self.id}/"


TACTIC = "TA0003 Persistence"

TECHNIQUES: dict[str, Technique] = {
    t.id: t
    for t in (
        Technique(
            "T1505",
            "Server Software Component",
            "Adversaries add a component that a server loads and runs, so that the server "
            "itself keeps their access.",
        ),
        Technique(
            "T1505.001",
            "SQL Stored Procedures",
            "Stored procedures, user-defined functions, extensions or CLR assemblies that run "
            "commands for the adversary inside a database server.",
        ),
        Technique(
            "T1505.002",
            "Transport Agent",
            "A Microsoft Exchange transport agent that sees, changes or copies mail and can "
            "act on commands hidden in messages.",
        ),
        Technique(
            "T1505.003",
            "Web Shell",
            "A script placed where a web server runs it, giving remote command execution over "
            "ordinary web requests.",
        ),
        Technique(
            "T1505.004",
            "IIS Components",
            "Native or managed IIS modules and ISAPI filters (and their kin: Apache and nginx "
            "modules, PHP extensions and prepend files, Tomcat valves and filters) loaded into "
            "the server process.",
        ),
        Technique(
            "T1505.005",
            "Terminal Services DLL",
            "A replacement or added DLL loaded by the Terminal Services (RDP) service through "
            "its ServiceDll or related registry values.",
        ),
        Technique(
            "T1505.006",
            "vSphere Installation Bundles",
            "A VIB installed on an ESXi hypervisor, often at CommunitySupported acceptance or "
            "with signature checks bypassed, that survives reboots.",
        ),
    )
}

# Techniques a T1505 finding is often seen together with; rules may name them after the
# T1505 sub-technique to say what the component does once loaded.
RELATED_TECHNIQUES: dict[str, Technique] = {
    t.id: t
    for t in (
        Technique(
            "T1027",
            "Obfuscated Files or Information",
            "The payload is encoded or obfuscated to hide what it does.",
        ),
        Technique("T1012", "Query Registry", "It reads the registry to learn about the host."),
        Technique("T1036", "Masquerading", "The component poses as something legitimate."),
        Technique("T1040", "Network Sniffing", "It captures traffic passing the host."),
        Technique(
            "T1059", "Command and Scripting Interpreter", "It runs shell or script commands."
        ),
        Technique("T1082", "System Information Discovery", "It gathers facts about the host."),
        Technique(
            "T1090",
            "Proxy",
            "It relays traffic into the network (a tunnel through the web server).",
        ),
        Technique("T1083", "File and Directory Discovery", "It lists and reads files and folders."),
        Technique("T1105", "Ingress Tool Transfer", "It brings further files onto the host."),
        Technique("T1213", "Data from Information Repositories", "It reads data out of databases."),
        Technique("T1046", "Network Service Discovery", "It scans hosts and ports."),
        Technique(
            "T1552", "Unsecured Credentials", "It collects passwords stored in files or settings."
        ),
        Technique("T1136", "Create Account", "It creates an account to keep access."),
        Technique("T1491", "Defacement", "It replaces the site's pages."),
        Technique("T1486", "Data Encrypted for Impact", "It encrypts files and asks a ransom."),
        Technique("T1499", "Endpoint Denial of Service", "It floods a host or exhausts it."),
        Technique("T1566", "Phishing", "It sends mail in bulk or collects typed-in secrets."),
        Technique(
            "T1048", "Exfiltration Over Alternative Protocol", "It sends stolen data out by mail."
        ),
        Technique("T1572", "Protocol Tunneling", "It carries another protocol inside HTTP."),
        Technique("T1573", "Encrypted Channel", "Its traffic is encrypted to hide commands."),
        Technique(
            "T1620",
            "Reflective Code Loading",
            "It loads code into memory without writing it to disk.",
        ),
    )
}

DATA_SOURCES: dict[str, DataSource] = {
    d.id: d
    for d in (
        DataSource("DS0015", "Application Log", ("Application Log Content",)),
        DataSource("DS0022", "File", ("File Creation", "File Modification")),
        DataSource(
            "DS0029",
            "Network Traffic",
            ("Network Traffic Content", "Network Traffic Flow", "Network Connection Creation"),
        ),
        DataSource("DS0009", "Process", ("Process Creation",)),
        # Used by the component audits: configuration and registry state read at rest.
        DataSource("DS0024", "Windows Registry", ("Windows Registry Key Modification",)),
        DataSource("DS0017", "Command", ("Command Execution",)),
    )
}

MITIGATIONS: dict[str, Mitigation] = {
    m.id: m
    for m in (
        Mitigation(
            "M1047",
            "Audit",
            "Regularly check server component locations for unexpected changes.",
        ),
        Mitigation(
            "M1045",
            "Code Signing",
            "Require components to be signed by their expected developer and verify it.",
        ),
        Mitigation(
            "M1042",
            "Disable or Remove Feature or Program",
            "Turn off server features that run code or commands and that are not needed.",
        ),
        Mitigation(
            "M1026",
            "Privileged Account Management",
            "Do not let the accounts servers run as install or change their own components.",
        ),
        Mitigation(
            "M1024",
            "Restrict Registry Permissions",
            "Allow only administrators to change the registry keys that load service DLLs.",
        ),
        Mitigation(
            "M1018",
            "User Account Management",
            "Limit which users and service accounts can write where servers load code from.",
        ),
    )
}


def data_component_ok(value: str) -> bool:
    """True for values of the form ``DS0022 File Creation`` that name a known component."""
    ds_id, _, component = value.partition(" ")
    source = DATA_SOURCES.get(ds_id)
    return source is not None and component in source.components


def validate_ref(ref: AttackRef) -> list[str]:
    """Problems with an ATT&CK reference; empty when it names known catalogue entries."""
    problems = []
    if ref.technique not in TECHNIQUES and ref.technique not in RELATED_TECHNIQUES:
        problems.append(f"unknown technique {ref.technique!r}")
    if not data_component_ok(ref.data_component):
        problems.append(f"unknown data component {ref.data_component!r}")
    problems.extend(f"unknown mitigation {m!r}" for m in ref.mitigations if m not in MITIGATIONS)
    return problems


def ref(technique: str, data_component: str, *mitigations: str) -> AttackRef:
    """Build a validated ``AttackRef``; raises ``ValueError`` on an unknown ID (a coding error)."""
    result = AttackRef(technique, data_component, tuple(mitigations))
    problems = validate_ref(result)
    if problems:
        raise ValueError("; ".join(problems))
    return result
