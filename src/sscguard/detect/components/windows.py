"""Checks on Windows artifacts: IIS modules and filters, Exchange transport agents, and the
Terminal Services DLL values of the SYSTEM hive."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sscguard.attack import ref
from sscguard.detect.components import Hit, check, component_hit, setting_hit, under
from sscguard.model import Confidence, Severity
from sscguard.targets import Inventory

FILE = "DS0022 File Modification"
REG = "DS0024 Windows Registry Key Modification"

# IIS 10 native modules as installed by Windows features (name -> DLL in inetsrv).
STOCK_IIS_NATIVE = {
    "uricachemodule": "cachuri.dll",
    "filecachemodule": "cachfile.dll",
    "tokencachemodule": "cachtokn.dll",
    "httpcachemodule": "cachhttp.dll",
    "dynamiccompressionmodule": "compdyn.dll",
    "staticcompressionmodule": "compstat.dll",
    "defaultdocumentmodule": "defdoc.dll",
    "directorylistingmodule": "dirlist.dll",
    "protocolsupportmodule": "protsup.dll",
    "httpredirectionmodule": "redirect.dll",
    "serversideincludemodule": "iis_ssi.dll",
    "staticfilemodule": "static.dll",
    "anonymousauthenticationmodule": "authanon.dll",
    "certificatemappingauthenticationmodule": "authcert.dll",
    "urlauthorizationmodule": "urlauthz.dll",
    "basicauthenticationmodule": "authbas.dll",
    "windowsauthenticationmodule": "authsspi.dll",
    "digestauthenticationmodule": "authmd5.dll",
    "iiscertificatemappingauthenticationmodule": "authmap.dll",
    "iprestrictionmodule": "iprestr.dll",
    "dynamiciprestrictionmodule": "diprestr.dll",
    "requestfilteringmodule": "modrqflt.dll",
    "customloggingmodule": "logcust.dll",
    "customerrormodule": "custerr.dll",
    "httploggingmodule": "loghttp.dll",
    "tracingmodule": "iisetw.dll",
    "failedrequeststracingmodule": "iisfreb.dll",
    "requestmonitormodule": "iisreqs.dll",
    "isapimodule": "isapi.dll",
    "isapifiltermodule": "filter.dll",
    "cgimodule": "cgi.dll",
    "fastcgimodule": "iisfcgi.dll",
    "configurationvalidationmodule": "validcfg.dll",
    "websocketmodule": "iiswsock.dll",
    "applicationinitializationmodule": "warmup.dll",
    "webdavmodule": "webdav.dll",
    "rewritemodule": "rewrite.dll",
    "httpplatformhandler": "httpplatformhandler.dll",
    "aspnetcoremodule": "aspnetcore.dll",
}
# Folders where Microsoft installs IIS native code (in-root, lower case).
IIS_SYSTEM_DIRS = (
    "/windows/system32/inetsrv",
    "/windows/syswow64/inetsrv",
    "/windows/microsoft.net/framework",
    "/windows/microsoft.net/framework64",
    "/program files/iis",
    "/program files (x86)/iis",
)
MANAGED_STOCK_PREFIXES = ("system.web.", "system.servicemodel.", "microsoft.")

STOCK_AGENTS = (
    "Transport Rule Agent",
    "DLP Policy Agent",
    "Retention Policy Agent",
    "Supervisory Review Agent",
    "Malware Agent",
    "Text Messaging Routing Agent",
    "Text Messaging Delivery Agent",
    "System Probe Drop Smtp Agent",
    "System Probe Drop Routing Agent",
    "Connection Filtering Agent",
    "Content Filter Agent",
    "Sender Id Agent",
    "Sender Filter Agent",
    "Recipient Filter Agent",
    "Protocol Analysis Agent",
    "Address Rewriting Inbound Agent",
    "Address Rewriting Outbound Agent",
    "Journaling Agent",
    "Journal Report Decryption Agent",
    "Prelicensing Agent",
    "Rms Encryption Agent",
    "Rms Decryption Agent",
    "Rms Protocol Decryption Agent",
    "Mailbox Rules Agent",
    "Antispam Agent",
    "Conversations Processing Agent",
    "Meeting Forward Notification Agent",
)
_STOCK_AGENT_KEYS = {re.sub(r"[^a-z0-9]", "", a.lower()): a for a in STOCK_AGENTS}

EXPECTED_SERVICE_DLL = {"TermService": "termsrv.dll", "UmRdpService": "umrdp.dll"}
ADMIN_SIDS = frozenset({"S-1-5-18", "S-1-5-32-544", "S-1-3-0", "S-1-5-19", "S-1-5-20"})
WRITE_MASK = 0x2 | 0x4 | 0x10000 | 0x40000 | 0x80000 | 0x2000000 | 0x10000000 | 0x40000000
SID_NAMES = {
    "S-1-1-0": "Everyone",
    "S-1-5-11": "Authenticated Users",
    "S-1-5-32-545": "Users",
    "S-1-5-4": "INTERACTIVE",
    "S-1-5-32-547": "Power Users",
    "S-1-5-7": "ANONYMOUS LOGON",
}


def _lower(path: str | None) -> str:
    return (path or "").lower()


@check(
    "SSC-004-020",
    "IIS native module loaded from outside the system folders",
    (ref("T1505.004", FILE, "M1047", "M1045"),),
    Severity.HIGH,
    Confidence.HIGH,
    "applicationHost.config loads a native module DLL from a folder where Windows and "
    "Microsoft add-ons never install IIS modules; native backdoor modules are planted so.",
    "Run 'appcmd uninstall module NAME' (or remove the globalModules and modules entries), "
    "preserve the DLL, recycle the application pools, and look for how it was installed.",
)
def iis_native_outside(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind in ("native-module",) and c.path and not under(_lower(c.path), IIS_SYSTEM_DIRS):
            yield component_hit(inv, c, f"image {c.get('target')}")


@check(
    "SSC-004-024",
    "IIS module or ISAPI filter DLL without a valid Authenticode signature",
    (ref("T1505.004", FILE, "M1045", "M1047"),),
    Severity.HIGH,
    Confidence.MEDIUM,
    "The DLL IIS loads into its worker processes carries no Authenticode signature (or a "
    "broken one); the modules Windows and Microsoft products install are all signed, and "
    "backdoor modules usually are not.",
    "Verify the DLL's origin (sigcheck -a, the vendor), and if no product accounts for it "
    "uninstall the module, preserve the DLL and recycle the application pools.",
)
def iis_unsigned(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind not in ("native-module", "isapi-filter", "isapi-handler") or not c.path:
            continue
        state = c.signature_state or ""
        if state == "unsigned" or state.startswith("invalid:"):
            yield component_hit(inv, c, f"Authenticode: {state}")


@check(
    "SSC-004-021",
    "IIS native module that is not a stock module",
    (ref("T1505.004", FILE, "M1047", "M1045"),),
    Severity.HIGH,
    Confidence.MEDIUM,
    "A global module sits in the IIS system folder but its name or DLL is not one Windows "
    "installs; backdoor modules hide there under names that look like built-in ones.",
    "Check the DLL's signature and origin (sigcheck, the product that installed it); "
    "uninstall the module if no product accounts for it.",
)
def iis_native_nonstock(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind != "native-module" or not c.path:
            continue
        lowered = _lower(c.path)
        if not under(lowered, IIS_SYSTEM_DIRS[:2]):
            continue  # other folders: SSC-004-020 or a Microsoft add-on folder
        dll = lowered.rsplit("/", 1)[-1]
        expected = STOCK_IIS_NATIVE.get(c.name.lower())
        if expected != dll:
            why = f"Module {c.name!r} should load {expected}, not {dll}." if expected else None
            yield component_hit(inv, c, f"{c.name} -> {dll}", why=why)


@check(
    "SSC-004-022",
    "IIS managed module type outside the .NET framework",
    (ref("T1505.004", FILE, "M1047"),),
    Severity.MEDIUM,
    Confidence.MEDIUM,
    "A managed module that is not a System.Web or Microsoft type runs in every request of "
    "the sites it is enabled for; managed IIS backdoors register exactly this way.",
    "Identify the assembly behind the type (bin folder or GAC); remove the <modules> entry "
    "if the application's vendor does not ship it.",
)
def iis_managed_nonstock(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        target = c.get("target")
        if (
            c.kind == "managed-module"
            and target
            and not target.lower().startswith(MANAGED_STOCK_PREFIXES)
        ):
            sev = Severity.HIGH if c.get("source") == "web.config" else None
            yield component_hit(inv, c, f"type {target} in {c.get('source')}", severity=sev)


@check(
    "SSC-004-023",
    "ISAPI filter or handler DLL outside the system folders",
    (ref("T1505.004", FILE, "M1047", "M1045"),),
    Severity.HIGH,
    Confidence.MEDIUM,
    "An ISAPI filter or script processor is loaded from outside Windows' IIS and .NET "
    "folders; ISAPI filters see every request and response on the server.",
    "Remove the isapiFilters/handlers entry unless a product you run documents it, and "
    "preserve the DLL for analysis.",
)
def iis_isapi_outside(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if (
            c.kind in ("isapi-filter", "handler")
            and c.path
            and not under(_lower(c.path), IIS_SYSTEM_DIRS)
        ):
            sev = Severity.MEDIUM if c.kind == "handler" else None
            yield component_hit(inv, c, f"{c.get('section')} {c.get('target')}", severity=sev)


@check(
    "SSC-002-001",
    "Exchange transport agent loaded from outside the agents folder",
    (ref("T1505.002", FILE, "M1047", "M1045"),),
    Severity.HIGH,
    Confidence.HIGH,
    "A transport agent's assembly lives outside Exchange's TransportRoles\\agents folder; "
    "malicious agents are dropped into bin or elsewhere and registered in agents.config.",
    "Run Get-TransportAgent, then Disable-TransportAgent and Uninstall-TransportAgent for "
    "the agent, preserve the DLL, and restart MSExchangeTransport.",
)
def agent_outside(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind == "transport-agent" and c.path:
            agents = c.get("install").rstrip("/") + "/TransportRoles/agents"
            if not under(_lower(c.path), (agents.lower(),)):
                yield component_hit(inv, c, f"assemblyPath {c.get('assembly_path')}")


def _agent_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("0", "o").replace("1", "l"))


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@check(
    "SSC-002-002",
    "Transport agent name imitates a built-in agent",
    (ref("T1505.002", FILE, "M1047"), ref("T1036", FILE)),
    Severity.HIGH,
    Confidence.MEDIUM,
    "An agent's name is almost, but not exactly, the name of an agent Exchange ships, which "
    "is how rogue agents blend into Get-TransportAgent output.",
    "Compare the agent with a clean Exchange server of the same build; uninstall it "
    "(Uninstall-TransportAgent) if it is not genuine.",
)
def agent_lookalike(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind != "transport-agent" or c.name in STOCK_AGENTS:
            continue
        key = _agent_key(c.name)
        for stock_key, stock in _STOCK_AGENT_KEYS.items():
            if key == stock_key or _distance(key, stock_key) <= 2:
                yield component_hit(
                    inv,
                    c,
                    f"looks like {stock!r}",
                    why=f"The agent {c.name!r} imitates the built-in {stock!r}.",
                )
                break


@check(
    "SSC-002-003",
    "Third-party transport agent",
    (ref("T1505.002", FILE, "M1047"),),
    Severity.MEDIUM,
    Confidence.LOW,
    "A transport agent that Exchange does not ship, from a class outside Microsoft's "
    "namespace, sees every message the server handles.",
    "Confirm the agent belongs to a product you run (anti-spam, disclaimers, archiving); "
    "uninstall it otherwise.",
)
def agent_third_party(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if (
            c.kind == "transport-agent"
            and c.name not in STOCK_AGENTS
            and not c.get("class_factory").startswith("Microsoft.Exchange.")
        ):
            yield component_hit(inv, c, f"classFactory {c.get('class_factory')}")


@check(
    "SSC-005-001",
    "Terminal Services ServiceDll is not the system DLL",
    (ref("T1505.005", REG, "M1024"),),
    Severity.CRITICAL,
    Confidence.HIGH,
    "The Remote Desktop service loads its DLL from the ServiceDll value; anything other than "
    "%SystemRoot%\\System32\\termsrv.dll (umrdp.dll for UmRdpService) runs attacker code as "
    "NETWORK SERVICE on every RDP start.",
    "Set ServiceDll back to %SystemRoot%\\System32\\termsrv.dll (REG_EXPAND_SZ), preserve "
    "the foreign DLL, restart TermService and review who changed the key (event 4657).",
)
def service_dll(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind != "service-dll":
            continue
        expected = EXPECTED_SERVICE_DLL.get(c.name)
        value = c.get("value").strip().lower().replace("/", "\\")
        allowed = {
            f"%systemroot%\\system32\\{expected}",
            f"c:\\windows\\system32\\{expected}",
            f"%windir%\\system32\\{expected}",
        }
        if expected and value not in allowed:
            yield component_hit(inv, c, f"ServiceDll = {c.get('value')}")


@check(
    "SSC-005-002",
    "RDP InitialProgram is set",
    (ref("T1505.005", REG, "M1024"),),
    Severity.MEDIUM,
    Confidence.MEDIUM,
    "RDP-Tcp InitialProgram runs a program at every Remote Desktop logon in place of the "
    "shell; it is empty on a default server.",
    "Clear the InitialProgram value unless a documented kiosk or published-app setup uses it.",
)
def initial_program(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key == "rdp.InitialProgram" and s.value.strip():
            yield setting_hit(s, f"key {s.get('key')}")


@check(
    "SSC-005-003",
    "RDP StartupPrograms runs more than rdpclip",
    (ref("T1505.005", REG, "M1024"),),
    Severity.HIGH,
    Confidence.MEDIUM,
    "Wds\\rdpwd\\StartupPrograms lists programs started in every RDP session; Windows sets "
    "it to rdpclip only.",
    "Set StartupPrograms back to 'rdpclip' and preserve whatever else was listed.",
)
def startup_programs(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key == "rdp.StartupPrograms":
            extra = [
                p
                for p in re.split(r"[,\x00]", s.value)
                if p.strip() and p.strip().lower() not in ("rdpclip", "rdpclip.exe")
            ]
            if extra:
                yield setting_hit(s, f"extra: {', '.join(extra)}")


@check(
    "SSC-000-157",
    "Non-administrators may change Remote Desktop service keys",
    (ref("T1505.005", REG, "M1024"),),
    Severity.HIGH,
    Confidence.HIGH,
    "The key's security descriptor gives a non-administrative group write access, so any "
    "such user can point Remote Desktop at their own DLL.",
    "Reset the key's permissions to the Windows default (Administrators and SYSTEM full "
    "control, Users read) with regedit or Set-Acl, and audit who changed them.",
)
def registry_acl(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key != "registry.ace":
            continue
        sid = s.value
        mask = int(s.get("mask", "0"), 16)
        if sid in ADMIN_SIDS or sid.startswith("S-1-5-80-") or not mask & WRITE_MASK:
            continue
        if sid.startswith("S-1-5-21-") and sid.endswith("-500"):
            continue  # the built-in Administrator account
        name = SID_NAMES.get(sid, sid)
        yield setting_hit(s, f"{name} ({sid}) has access mask {s.get('mask')} on {s.get('key')}")
