"""The registry of process, library and network checks: ID, ATT&CK refs, severity, why.

Every check is declared once here with ``register``; the detectors build findings only through
``finding()``, so a finding can never carry an undeclared ID. Duplicate IDs are an error.
"""

from __future__ import annotations

from sscguard.attack import ref
from sscguard.checks import CheckInfo
from sscguard.checks import register as register_info
from sscguard.model import Confidence, Evidence, Finding, Location, Severity
from sscguard.model import make_fingerprint as _fingerprint

#: a process check is just its metadata (the logic lives in lineage/libraries/network)
Check = CheckInfo


CHECKS: dict[str, Check] = {}


def register(check: Check) -> Check:
    if check.id in CHECKS:
        raise ValueError(f"duplicate check ID {check.id}")
    check = register_info(check, "processes")
    CHECKS[check.id] = check
    return check


H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW
CH, CM, CL = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW

_CONTAIN = (
    "Steps to take by hand (sscguard performs none of them): preserve evidence first "
    "(`ls -l /proc/{pid}/exe /proc/{pid}/cwd; tr '\\0' ' ' < /proc/{pid}/cmdline; "
    "cp /proc/{pid}/exe /root/ir-{pid}.bin; cat /proc/{pid}/maps > /root/ir-{pid}.maps`), "
    "freeze the process tree with `kill -STOP {pids}`, isolate the host or block its egress, "
    "then end it with `kill -KILL {pids}`."
)

_ROLES = {
    "web": ("SSC-003", "T1505.003", "web server", ("M1042", "M1026", "M1047")),
    "db": ("SSC-001", "T1505.001", "database server", ("M1042", "M1026", "M1047")),
}


def _role_checks(role: str) -> None:
    prefix, technique, what, mitigations = _ROLES[role]
    proc = ref(technique, "DS0009 Process Creation", *mitigations)
    conn = ref(technique, "DS0029 Network Connection Creation", *mitigations)
    flow = ref(technique, "DS0029 Network Traffic Flow", *mitigations)
    source = (
        "Find the request or statement that started it: the worker's working directory and "
        "the access log at the start time for a web server (look for a script under an upload "
        "or cache folder); `pg_stat_activity`, the server log and `COPY ... FROM PROGRAM`, "
        "untrusted-language functions or UDF libraries for a database server. "
        if role == "db"
        else "Find the script that started it: the worker's working directory and the access "
        "log lines around the start time usually name the web shell; remove it and scan the "
        "web root (`sscguard scan`). "
    )
    register(
        Check(
            f"{prefix}-300",
            f"Shell or script interpreter started by a {what}",
            (proc, ref("T1059", "DS0009 Process Creation")),
            H,
            CH,
            f"A {what} process has a shell or interpreter among its descendants; servers do "
            "not need one to serve requests, and it is how a web shell or a command-executing "
            "SQL feature runs operating-system commands.",
            source + _CONTAIN,
        )
    )
    register(
        Check(
            f"{prefix}-301",
            f"Reconnaissance command started by a {what}",
            (proc, ref("T1082", "DS0009 Process Creation")),
            H,
            CH,
            f"Commands such as id, whoami or uname run under a {what} are the first thing an "
            "attacker types into a fresh web shell or SQL command channel.",
            source + _CONTAIN,
        )
    )
    register(
        Check(
            f"{prefix}-302",
            f"Download or tunnel tool started by a {what}",
            (proc, ref("T1105", "DS0009 Process Creation")),
            H,
            CH,
            f"curl, wget, nc, socat and similar tools under a {what} fetch further tools or "
            "open a channel back to the attacker.",
            source + _CONTAIN,
        )
    )
    register(
        Check(
            f"{prefix}-303",
            f"Unexpected program started by a {what} worker",
            (proc,),
            L,
            CL,
            f"A {what} worker started a program that is not part of the server; CGI programs, "
            "piped loggers and mail delivery do this legitimately, a dropped binary does too.",
            "Check the program's path, owner package and command line; if it is not a CGI "
            "program, logger or mailer you configured, treat it as a compromise. " + _CONTAIN,
        )
    )
    register(
        Check(
            f"{prefix}-304",
            f"Network connection from a process started by a {what}",
            (conn, ref("T1059", "DS0029 Network Connection Creation")),
            H,
            CH,
            f"A shell, interpreter or tool started by a {what} holds its own network "
            "connection: the shape of a reverse shell or tunnel.",
            "Record the peer address (`ss -tnp`), block it at the firewall, " + _CONTAIN,
        )
    )
    register(
        Check(
            f"{prefix}-305",
            f"Listening socket opened by a process started by a {what}",
            (flow, ref("T1059", "DS0029 Network Traffic Flow")),
            H,
            CH,
            f"A program started by a {what} listens on its own port: a bind shell or a "
            "tunnel endpoint waiting for the attacker.",
            "Record the port (`ss -tlnp`), firewall it, " + _CONTAIN,
        )
    )
    register(
        Check(
            f"{prefix}-307",
            f"{what.capitalize()} worker listens on a socket its master does not hold",
            (flow,),
            M,
            CM,
            f"{what.capitalize()} workers serve the sockets their master opened; a socket "
            "opened inside a worker is code running in the server (a module, UDF or web "
            "shell) that opened its own door.",
            "Compare with the server's configured listeners, find the module or script that "
            "opened it (maps of the worker, access log), " + _CONTAIN,
        )
    )


_role_checks("web")
_role_checks("db")

register(
    Check(
        "SSC-003-306",
        "Outbound connection from a web server worker to an unexpected peer",
        (ref("T1505.003", "DS0029 Network Connection Creation", "M1042", "M1026", "M1047"),),
        M,
        CM,
        "A web or application worker is connected to a peer that is not one of its upstream "
        "services (a local database, cache or FastCGI listener, or --upstream): code running "
        "in the worker (a web shell) may be calling out.",
        "Check whether the application is meant to reach this peer (an API, a proxy "
        "upstream); if not, block it at the firewall and find the script in the worker. "
        + _CONTAIN,
    )
)

_LIB_REMEDIATION = (
    "Find where it is loaded from (LD_PRELOAD in the service unit or its environment file, "
    "/etc/ld.so.preload, a LoadModule/load_module/extension line, a UDF), remove it, restart "
    "the server from a clean configuration and compare its binaries with the packages "
    "(`dpkg --verify`). "
)

register(
    Check(
        "SSC-004-300",
        "Server process started with LD_PRELOAD or LD_AUDIT",
        (ref("T1505.004", "DS0009 Process Creation", "M1047", "M1045", "M1026"),),
        H,
        CM,
        "LD_PRELOAD and LD_AUDIT make the loader inject a library into every program the "
        "server runs; it is a way to hook a server's request handling without touching its "
        "configuration (allocators such as jemalloc are the benign exception).",
        _LIB_REMEDIATION + _CONTAIN,
    )
)
register(
    Check(
        "SSC-004-301",
        "Server maps executable code from outside the system library folders",
        (ref("T1505.004", "DS0022 File Modification", "M1047", "M1045", "M1026"),),
        H,
        CH,
        "A server process runs code from a library under a temporary, home, web or other "
        "non-system folder: how a rogue module or injected library is loaded.",
        _LIB_REMEDIATION + _CONTAIN,
    )
)
register(
    Check(
        "SSC-004-302",
        "Server maps a system library that no package owns",
        (ref("T1505.004", "DS0022 File Modification", "M1047", "M1045"),),
        M,
        CM,
        "A library in a system folder that no installed package lists was put there by hand: "
        "a locally built module at best, a planted server component at worst.",
        "Identify who built and installed it (`ls -l --time-style=full-iso`, build records); "
        "if nobody did, " + _LIB_REMEDIATION.lower(),
    )
)
register(
    Check(
        "SSC-004-303",
        "Deleted executable or library still running in a server",
        (ref("T1505.004", "DS0022 File Modification", "M1047"),),
        H,
        CM,
        "The file a server process (or its child) runs or maps was deleted from disk: an "
        "attacker's way to leave no file behind; an upgrade without restart looks the same "
        "but leaves a new file at the same path.",
        "Copy the running image (`cp /proc/PID/exe` or `/proc/PID/map_files/...`) before "
        "anything else; if a package upgrade replaced the file, restart the service; if not, "
        + _CONTAIN,
    )
)
register(
    Check(
        "SSC-004-304",
        "Executable code mapped from an anonymous memory file (memfd)",
        (
            ref("T1505.004", "DS0022 File Modification", "M1047"),
            ref("T1620", "DS0022 File Modification"),
        ),
        H,
        CM,
        "Code mapped executable from a memfd never existed on disk; fileless loaders and "
        "in-memory implants use it to run inside a server.",
        "Dump the mapping (`/proc/PID/map_files/`) for analysis, then " + _CONTAIN,
    )
)

_FIRST = (
    "If the new behaviour is expected (a new CGI program, upstream or port), record it with "
    "`sscguard processes --baseline DB --learn`; if not, investigate as a compromise. "
)
register(
    Check(
        "SSC-000-300",
        "First-seen parent/child program pair under a server",
        (ref("T1505", "DS0009 Process Creation", "M1047"),),
        M,
        CM,
        "A server started a program it was never seen starting while the baseline was "
        "learned; it catches what no list of suspicious names covers.",
        _FIRST + _CONTAIN,
    )
)
register(
    Check(
        "SSC-000-301",
        "First-seen network peer of a server",
        (ref("T1505", "DS0029 Network Connection Creation", "M1047"),),
        M,
        CL,
        "A server process (or its child) talks to a peer address and port it was never seen "
        "using while the baseline was learned.",
        _FIRST + _CONTAIN,
    )
)
register(
    Check(
        "SSC-000-302",
        "First-seen listening port of a server",
        (ref("T1505", "DS0029 Network Traffic Flow", "M1047"),),
        M,
        CM,
        "A server process (or its child) listens on a port it did not listen on while the "
        "baseline was learned.",
        _FIRST + _CONTAIN,
    )
)


def finding(
    check_id: str,
    subject: str,
    evidence: tuple[Evidence, ...],
    *,
    discriminator: str,
    pids: tuple[int, ...] = (),
    severity: Severity | None = None,
    confidence: Confidence | None = None,
    note: str = "",
    tags: tuple[str, ...] = (),
) -> Finding:
    """A finding for a declared check; ``discriminator`` (e.g. pid and start time) keeps the
    fingerprint stable for the same process across runs and distinct for a new one."""
    check = CHECKS[check_id]
    location = Location(subject)
    pid = pids[0] if pids else 0
    remediation = check.remediation.replace("{pid}", str(pid)).replace(
        "{pids}", " ".join(str(p) for p in pids) or "PID"
    )
    return Finding(
        rule_id=check.id,
        title=check.title,
        subject=location,
        attack=check.attack,
        severity=severity or check.severity,
        confidence=confidence or check.confidence,
        why=check.why + (f" {note}" if note else ""),
        remediation=remediation,
        evidence=evidence,
        tags=("live", "process", *tags),
        fingerprint=_fingerprint(check.id, location, discriminator),
    )
