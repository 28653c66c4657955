"""Hardening checks (ATT&CK mitigations M1042, M1026, M1018): settings and permissions that
make server-component persistence easy, whether or not anything was planted yet."""

from __future__ import annotations

from collections.abc import Iterator

from sscguard.attack import ref
from sscguard.detect.components import Hit, check, setting_hit
from sscguard.extract.configs.tomcat import MANAGER_ROLES
from sscguard.model import Confidence, Evidence, Location, Severity
from sscguard.targets import Account, Inventory, PathFacts

FILE = "DS0022 File Modification"
DANGEROUS_PHP = ("exec", "system", "passthru", "shell_exec", "proc_open", "popen")
_ON = ("1", "on", "true", "yes")


@check(
    "SSC-000-150",
    "PHP can run system commands (no disable_functions)",
    (ref("T1505.003", FILE, "M1042"),),
    Severity.LOW,
    Confidence.HIGH,
    "disable_functions does not list exec, system, passthru, shell_exec, proc_open and "
    "popen, so any web shell that lands gets a command line for free.",
    "Add 'disable_functions = exec,system,passthru,shell_exec,proc_open,popen' to the "
    "server SAPI's php.ini (or php_admin_value[disable_functions] in the FPM pool) unless an "
    "application needs them, then reload PHP.",
)
def php_dangerous_functions(inv: Inventory) -> Iterator[Hit]:
    for server in inv.servers:
        if server.kind not in ("php", "php-fpm") or server.name.endswith("/cli"):
            continue
        found = [
            s for s in inv.settings if s.server == server.name and s.key == "php.disable_functions"
        ]
        disabled = {f.strip().lower() for f in found[-1].value.split(",")} if found else set()
        missing = [f for f in DANGEROUS_PHP if f not in disabled]
        if server.kind == "php-fpm" and not found:
            continue  # a pool without its own value inherits php.ini (checked there)
        if missing:
            at = found[-1].location if found else Location(inv.display(server.config_files[0]))
            yield Hit(
                at,
                (
                    Evidence(
                        "setting",
                        at,
                        f"disable_functions = {found[-1].value if found else ''}",
                        f"enabled: {', '.join(missing)}",
                    ),
                ),
                server.name,
            )


@check(
    "SSC-000-151",
    "PHP allow_url_include is on",
    (ref("T1505.003", FILE, "M1042"),),
    Severity.MEDIUM,
    Confidence.HIGH,
    "allow_url_include lets include/require load code from URLs and data: streams, turning "
    "any file-inclusion bug into remote code execution.",
    "Set 'allow_url_include = Off' (the default) and reload PHP.",
)
def php_url_include(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key == "php.allow_url_include" and s.value.strip().lower() in _ON:
            yield setting_hit(s, f"set via {s.get('via')}")


def _writable_by(facts: PathFacts, account: Account | None) -> str:
    if facts.mode & 0o002:
        return "everyone"
    if account is None or account.uid == 0:
        return ""
    if facts.uid == account.uid and facts.mode & 0o200:
        return f"{account.name} (owner)"
    if facts.gid in account.gids and facts.mode & 0o020:
        return f"{account.name} (group)"
    return ""


@check(
    "SSC-000-152",
    "Server can write where it loads code from",
    (ref("T1505.004", FILE, "M1026", "M1018"), ref("T1505.003", FILE, "M1026", "M1018")),
    Severity.MEDIUM,
    Confidence.HIGH,
    "A module folder or web root is writable by the account the server runs as (or by "
    "everyone), so one exploited request can plant a component the server will load.",
    "Make the folder owned by root and not writable by the service account "
    "(chown root:root DIR; chmod 755 DIR); give applications a separate upload folder "
    "where scripts cannot run.",
)
def writable_code_dirs(inv: Inventory) -> Iterator[Hit]:
    reported: set[str] = set()
    for server in inv.servers:
        if server.platform != "linux":
            continue
        account = inv.accounts.get(server.user or "")
        for path, is_component in [(p, True) for p in server.component_dirs] + [
            (p, False) for p in server.web_roots
        ]:
            facts = inv.paths.get(path)
            if facts is None or path in reported:
                continue
            who = _writable_by(facts, account)
            if not who:
                continue
            reported.add(path)
            sev = (
                Severity.HIGH
                if who == "everyone" and is_component
                else Severity.MEDIUM
                if is_component or who == "everyone"
                else Severity.LOW
            )
            at = Location(inv.display(path))
            what = "component folder" if is_component else "web root"
            yield Hit(
                at,
                (
                    Evidence(
                        "permissions",
                        at,
                        f"mode {facts.mode:04o} uid {facts.uid} gid {facts.gid}",
                        f"{what} of {server.name} writable by {who}",
                    ),
                ),
                server.name,
                sev,
            )


@check(
    "SSC-000-153",
    "Server configuration writable by a non-root account",
    (ref("T1505.004", FILE, "M1026"),),
    Severity.HIGH,
    Confidence.HIGH,
    "Whoever can write a server's configuration decides which modules it loads; a config "
    "file writable by a service account or other users is a persistence door.",
    "chown root:root the file (root:GROUP with mode 640 if the service must read secrets) "
    "and remove group/other write: chmod go-w FILE.",
)
def writable_configs(inv: Inventory) -> Iterator[Hit]:
    accounts_by_uid = {a.uid: a.name for a in inv.accounts.values()}
    seen: set[str] = set()
    for server in inv.servers:
        if server.platform != "linux":
            continue
        for path in server.config_files:
            facts = inv.paths.get(path)
            if facts is None or path in seen:
                continue
            seen.add(path)
            who = ""
            if facts.mode & 0o002:
                who = "everyone"
            elif facts.uid != 0 and facts.mode & 0o200:
                who = f"owner {accounts_by_uid.get(facts.uid, facts.uid)}"
            elif facts.gid != 0 and facts.mode & 0o020:
                who = f"group {facts.gid}"
            if who:
                at = Location(inv.display(path))
                yield Hit(
                    at,
                    (
                        Evidence(
                            "permissions",
                            at,
                            f"mode {facts.mode:04o} uid {facts.uid} gid {facts.gid}",
                            f"writable by {who}",
                        ),
                    ),
                    path,
                )


@check(
    "SSC-000-154",
    "Tomcat manager user with a default or weak password",
    (ref("T1505.003", FILE, "M1018", "M1042"),),
    Severity.HIGH,
    Confidence.HIGH,
    "A user with a manager role has an empty, default or same-as-name password, so anyone "
    "can deploy a WAR with a JSP shell through /manager.",
    "Set a strong password (or remove the user) in tomcat-users.xml, restrict the manager "
    "to localhost with the RemoteAddrValve, or uninstall the manager application.",
)
def tomcat_weak_manager(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key != "tomcat.user":
            continue
        roles = set(s.get("roles").split(","))
        if roles & MANAGER_ROLES and s.get("password") in ("empty", "same-as-name", "default"):
            yield setting_hit(s, f"roles {s.get('roles')}; password is {s.get('password')}")


@check(
    "SSC-000-155",
    "IIS runs ISAPI or CGI binaries that are not listed",
    (ref("T1505.004", FILE, "M1042"),),
    Severity.MEDIUM,
    Confidence.HIGH,
    "notListedIsapisAllowed or notListedCgisAllowed is true, so any ISAPI DLL or CGI "
    "program dropped on the server can be run, not only the ones an administrator allowed.",
    "Set notListedIsapisAllowed and notListedCgisAllowed to false in "
    "system.webServer/security/isapiCgiRestriction and list the binaries you use.",
)
def iis_not_listed(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key.startswith("iis.isapiCgiRestriction.") and s.value.strip().lower() == "true":
            yield setting_hit(s, "isapiCgiRestriction")
