"""Host event checks: server processes starting shells and tools, first-seen children, scripts
written into web roots, and the server-component traces Windows servers log (MSSQL option
changes and audit records, Exchange transport-agent installs, IIS module changes).

Pure: :class:`HostAnalyzer` takes :class:`HostEvent` facts one at a time (bounded state) and
``finish()`` returns findings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sscguard.detect.logs import checks
from sscguard.extract.logs.events import WEB_USERS, HostEvent
from sscguard.model import Confidence, Evidence, Finding, Location, Severity
from sscguard.textutil import iso_time, sanitize

SERVER_IMAGES = frozenset(
    {
        "w3wp",
        "httpd",
        "apache",
        "apache2",
        "nginx",
        "php-fpm",
        "php-cgi",
        "lighttpd",
        "caddy",
        "tomcat",
        "tomcat9",
        "tomcat10",
        "tomcat8",
        "sqlservr",
        "edgetransport",
        "postgres",
        "postmaster",
        "mysqld",
        "mariadbd",
        "umworkerprocess",
        "httpd.worker",
    }
)
JAVA_SERVER_HINTS = ("catalina", "tomcat", "jboss", "wildfly", "weblogic", "jetty", "websphere")
SHELLS = frozenset(
    {
        "cmd",
        "powershell",
        "pwsh",
        "sh",
        "bash",
        "dash",
        "zsh",
        "ksh",
        "csh",
        "tcsh",
        "ash",
        "busybox",
        "python",
        "python2",
        "python3",
        "perl",
        "ruby",
        "lua",
        "wscript",
        "cscript",
        "mshta",
        "rundll32",
        "regsvr32",
        "php",
        "node",
    }
)
RECON = frozenset(
    {
        "whoami",
        "id",
        "uname",
        "hostname",
        "ifconfig",
        "ipconfig",
        "ip",
        "netstat",
        "ss",
        "net",
        "net1",
        "nltest",
        "systeminfo",
        "tasklist",
        "quser",
        "qwinsta",
        "curl",
        "wget",
        "certutil",
        "bitsadmin",
        "nc",
        "ncat",
        "netcat",
        "socat",
        "nslookup",
        "arp",
        "route",
        "getent",
        "ps",
        "dsquery",
        "adfind",
        "klist",
        "wmic",
        "reg",
        "sc",
        "schtasks",
        "at",
        "crontab",
        "useradd",
        "usermod",
        "passwd",
        "chpasswd",
        "find",
        "tftp",
    }
)
# Children servers start as part of their normal work (first-seen does not report these).
ROUTINE_CHILDREN = frozenset(
    {
        "conhost",
        "csc",
        "vbc",
        "cvtres",
        "werfault",
        "sendmail",
        "postdrop",
        "php-fpm",
        "httpd",
        "apache2",
        "nginx",
        "postgres",
        "rotatelogs",
        "logger",
        "suexec",
        "htcacheclean",
    }
)
SCRIPT_EXT = re.compile(
    r"\.(?:php\d?|phtml|phar|aspx?|ashx|asmx|asa|cer|jspx?|jspf|war|cfm|pl|cgi|py|sh)$", re.I
)
WEBROOT_HINTS = re.compile(
    r"(?i)[\\/](?:inetpub[\\/]wwwroot|wwwroot|htdocs|public_html|webapps|www)[\\/]"
    r"|[\\/]var[\\/]www[\\/]|[\\/]FrontEnd[\\/]HttpProxy[\\/]|[\\/]ClientAccess[\\/]"
)
MSSQL_RISKY = {
    "xp_cmdshell": "1",
    "clr enabled": "1",
    "ole automation procedures": "1",
    "external scripts enabled": "1",
    "scan for startup procs": "1",
    "clr strict security": "0",
    "ad hoc distributed queries": "1",
}
MSSQL_STATEMENTS = re.compile(
    r"(?i)xp_cmdshell|create\s+assembly|sp_addextendedproc|sp_procoption|sp_oacreate"
    r"|sp_configure\s*'?(?:xp_cmdshell|clr|ole|external)|permission_set\s*=\s*unsafe"
)
MSSQL_STOCK_DLLS = frozenset(
    {
        "xpstar.dll",
        "xplog70.dll",
        "xpsqlbot.dll",
        "odsole70.dll",
        "xprepl.dll",
        "xpstar90.dll",
        "xpsql.dll",
        "xpweb70.dll",
        "xpstar80.dll",
        "xpsqlbot90.dll",
    }
)
IIS_MODULE_SECTIONS = re.compile(
    r"(?i)globalModules|system\.webServer/modules|/modules\b|isapiFilters|system\.webServer/handlers"
)
MODULE_COMMANDS = re.compile(
    r"(?i)appcmd(?:\.exe)?\"?\s+(?:install|add)\s+module|appcmd(?:\.exe)?\"?\s+set\s+config"
    r".*globalModules|\ba2enmod\b|gacutil(?:\.exe)?\"?\s+/i"
)
TRANSPORT_COMMANDS = re.compile(r"(?i)\b(?:install|enable)-transportagent\b")


def image_name(path: str) -> str:
    """``C:\\Windows\\System32\\cmd.exe`` -> ``cmd``; ``/usr/sbin/php-fpm8.2`` -> ``php-fpm``."""
    name = re.split(r"[\\/]", path.strip().strip('"'))[-1].lower()
    if name.endswith(".exe"):
        name = name[:-4]
    name = re.sub(r"[0-9.]+$", "", name) or name
    return name


def _basename(path: str) -> str:
    return re.split(r"[\\/]", path.strip().strip('"'))[-1].lower()


def is_server(image: str, command_line: str = "", user: str = "") -> bool:
    name = image_name(image)
    if name in SERVER_IMAGES or name.startswith("php-fpm") or name.startswith("httpd"):
        return True
    if name == "java":
        text = command_line.lower()
        return any(h in text for h in JAVA_SERVER_HINTS) or user.lower().startswith("tomcat")
    return False


def _loc(ev: HostEvent) -> Location:
    return Location(ev.source, line=ev.record if ev.record > 0 else None)


def _ev(kind: str, ev: HostEvent, excerpt: str, detail: str) -> Evidence:
    return Evidence(
        kind, _loc(ev), sanitize(excerpt, 200), sanitize(detail, 300), iso_time(ev.time)
    )


@dataclass(slots=True)
class _Pair:
    count: int
    first: HostEvent


@dataclass(slots=True)
class HostAnalyzer:
    """Feed events in time order; ``finish()`` returns the findings."""

    webroots: tuple[str, ...] = ()
    max_pairs: int = 10_000
    findings: list[Finding] = field(default_factory=list)
    children: dict[tuple[str, str], _Pair] = field(default_factory=dict)
    server_children: list[HostEvent] = field(default_factory=list)  # for correlation
    events: int = 0

    def feed(self, ev: HostEvent) -> None:
        self.events += 1
        if ev.category == "process_creation":
            self._process(ev)
        elif ev.category == "file_event":
            self._file(ev)
        elif ev.category == "application":
            self._application(ev)

    # -- process creation ----------------------------------------------------------------------

    def _process(self, ev: HostEvent) -> None:
        image, parent = ev.get("Image"), ev.get("ParentImage")
        cmd, user = ev.get("CommandLine"), ev.get("User")
        child = image_name(image)
        server = is_server(parent, ev.get("ParentCommandLine"), user)
        web_user = ev.product == "linux" and not parent and user.lower() in WEB_USERS
        if MODULE_COMMANDS.search(cmd):
            self.findings.append(
                checks.finding(
                    checks.MODULE_INSTALL_CMD,
                    _loc(ev),
                    (_ev("process", ev, cmd, f"{image} run by {user or 'unknown user'}"),),
                    discriminator=f"{ev.record}",
                )
            )
        if TRANSPORT_COMMANDS.search(cmd):
            self.findings.append(
                checks.finding(
                    checks.TRANSPORT_AGENT,
                    _loc(ev),
                    (_ev("process", ev, cmd, f"{image} run by {user or 'unknown user'}"),),
                    discriminator=f"{ev.record}",
                )
            )
        if not (server or web_user):
            return
        parent_desc = (
            parent or f"a process of web-server user {user} (pid {ev.get('ParentProcessId')})"
        )
        if len(self.server_children) < 1000:
            self.server_children.append(ev)
        evidence = (
            _ev(
                "process",
                ev,
                cmd or image,
                f"parent {parent_desc}; child {image}; user {user or '?'}; at {ev.time}",
            ),
        )
        if child in SHELLS:
            self.findings.append(
                checks.finding(
                    checks.SERVER_SHELL,
                    _loc(ev),
                    evidence,
                    discriminator=f"{ev.record}",
                    title=sanitize(f"{image_name(parent) or user} started {child}: {cmd}", 200),
                )
            )
            return
        if child in RECON:
            self.findings.append(
                checks.finding(
                    checks.SERVER_RECON,
                    _loc(ev),
                    evidence,
                    discriminator=f"{ev.record}",
                    title=sanitize(f"{image_name(parent) or user} ran {child}: {cmd}", 200),
                )
            )
            return
        key = (image_name(parent) or f"user:{user}", child)
        pair = self.children.get(key)
        if pair is not None:
            pair.count += 1
        elif len(self.children) < self.max_pairs:
            self.children[key] = _Pair(1, ev)

    # -- files -------------------------------------------------------------------------------

    def _in_webroot(self, path: str) -> bool:
        norm = path.replace("\\", "/").lower()
        for root in self.webroots:
            r = root.replace("\\", "/").lower().rstrip("/") + "/"
            if norm.startswith(r):
                return True
        return bool(WEBROOT_HINTS.search(path))

    def _file(self, ev: HostEvent) -> None:
        target = ev.get("TargetFilename")
        if not target or not SCRIPT_EXT.search(target) or not self._in_webroot(target):
            return
        writer = ev.get("Image")
        by_server = is_server(writer, "", ev.get("User"))
        self.findings.append(
            checks.finding(
                checks.SCRIPT_WRITTEN,
                _loc(ev),
                (_ev("file", ev, target, f"written by {writer or '?'} at {ev.time}"),),
                discriminator=target.lower(),
                severity=Severity.HIGH if by_server else None,
                confidence=Confidence.HIGH if by_server else None,
                title=sanitize(f"Script written into web root: {target}", 200),
            )
        )

    # -- application events -----------------------------------------------------------------

    def _text(self, ev: HostEvent) -> str:
        return " ".join(v for k, v in ev.fields.items() if k not in ("Channel", "Provider_Name"))

    def _application(self, ev: HostEvent) -> None:
        provider, eid = ev.provider.lower(), ev.event_id
        mssql = "mssql" in provider or "sqlserver" in provider
        if mssql and eid == 15457:
            self._mssql_option(ev)
        elif mssql and eid == 33205:
            text = self._text(ev)
            m = MSSQL_STATEMENTS.search(text)
            if m:
                stmt = re.search(r"statement:(.*?)(?:\s+\w+:|$)", text, re.S)
                self.findings.append(
                    checks.finding(
                        checks.MSSQL_AUDIT,
                        _loc(ev),
                        (
                            _ev(
                                "audit",
                                ev,
                                (stmt.group(1) if stmt else text).strip(),
                                f"matched {m.group(0)!r} at {ev.time}",
                            ),
                        ),
                        discriminator=f"{ev.record}",
                    )
                )
        elif mssql and eid == 8128:
            dlls = [v for v in ev.fields.values() if v.lower().endswith(".dll")]
            unknown = [d for d in dlls if _basename(d) not in MSSQL_STOCK_DLLS]
            if unknown:
                self.findings.append(
                    checks.finding(
                        checks.MSSQL_XP_DLL,
                        _loc(ev),
                        (_ev("event", ev, unknown[0], f"extended procedure DLL at {ev.time}"),),
                        discriminator=unknown[0].lower(),
                    )
                )
        elif "exchange" in provider and eid == 6:
            text = self._text(ev)
            if TRANSPORT_COMMANDS.search(text):
                self.findings.append(
                    checks.finding(
                        checks.TRANSPORT_AGENT,
                        _loc(ev),
                        (_ev("event", ev, text, f"MSExchange Management event 6 at {ev.time}"),),
                        discriminator=f"{ev.record}",
                    )
                )
        elif "iis-configuration" in provider and eid == 29:
            text = self._text(ev)
            if IIS_MODULE_SECTIONS.search(text):
                self.findings.append(
                    checks.finding(
                        checks.IIS_MODULE_CONFIG,
                        _loc(ev),
                        (_ev("event", ev, text, f"IIS configuration change at {ev.time}"),),
                        discriminator=f"{ev.record}",
                    )
                )
        elif eid == 2282 and ("iis" in provider or "w3svc" in provider):
            text = self._text(ev)
            dll = next((v for v in ev.fields.values() if v.lower().endswith(".dll")), text)
            self.findings.append(
                checks.finding(
                    checks.IIS_MODULE_FAILED,
                    _loc(ev),
                    (_ev("event", ev, dll, f"module load failure at {ev.time}"),),
                    discriminator=dll.lower(),
                )
            )

    def _mssql_option(self, ev: HostEvent) -> None:
        values = [v for k, v in sorted(ev.fields.items()) if k.startswith("Data")]
        option = old = new = ""
        if len(values) >= 3:
            option, old, new = values[0], values[1], values[2]
        else:
            m = re.search(r"option '([^']+)' changed from (\d+) to (\d+)", ev.get("Message"), re.I)
            if m:
                option, old, new = m.groups()
        wanted = MSSQL_RISKY.get(option.strip().lower())
        if wanted is None or new.strip() != wanted or old.strip() == new.strip():
            return
        self.findings.append(
            checks.finding(
                checks.MSSQL_OPTION,
                _loc(ev),
                (_ev("event", ev, f"{option}: {old} -> {new}", f"event 15457 at {ev.time}"),),
                discriminator=f"{option.lower()}:{ev.record}",
                title=sanitize(f"MSSQL option '{option}' changed from {old} to {new}", 200),
            )
        )

    # -- end -----------------------------------------------------------------------------------

    def finish(self) -> list[Finding]:
        out = list(self.findings)
        for (parent, child), pair in self.children.items():
            if child in ROUTINE_CHILDREN or pair.count > 2:
                continue
            ev = pair.first
            out.append(
                checks.finding(
                    checks.FIRST_SEEN_CHILD,
                    _loc(ev),
                    (
                        _ev(
                            "process",
                            ev,
                            ev.get("CommandLine") or ev.get("Image"),
                            f"{parent} -> {child} seen {pair.count} time(s) in these records; "
                            f"first at {ev.time}",
                        ),
                    ),
                    discriminator=f"{parent}->{child}",
                    title=sanitize(f"First-seen child of {parent}: {child}", 200),
                )
            )
        return out


def server_children_of(events: Sequence[HostEvent]) -> list[str]:
    return [sanitize(e.get("CommandLine") or e.get("Image"), 120) for e in events[:5]]
