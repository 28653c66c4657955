"""The log and event-record checks: IDs, ATT&CK references, severities and the text they show.

One explicit registry (:data:`CHECKS`); ``docs/logs.md`` lists every entry and a test keeps
the two in step. Detectors build findings through :func:`finding` so that every finding of a
check carries the same references, why and remediation.
"""

from __future__ import annotations

from sscguard.attack import ref
from sscguard.checks import CheckInfo, register
from sscguard.model import (
    AttackRef,
    Confidence,
    Evidence,
    Finding,
    Location,
    Severity,
    make_fingerprint,
)

DS_APP = "DS0015 Application Log Content"
DS_NET = "DS0029 Network Traffic Content"
DS_PROC = "DS0009 Process Creation"
DS_FILE = "DS0022 File Creation"
DS_REG = "DS0024 Windows Registry Key Modification"


#: a log check is just its metadata (the logic lives in detect/logs)
Check = CheckInfo


CHECKS: dict[str, Check] = {}


def _check(
    id: str,
    title: str,
    attack: tuple[AttackRef, ...],
    severity: Severity,
    confidence: Confidence,
    why: str,
    remediation: str,
) -> Check:
    if id in CHECKS:
        raise ValueError(f"duplicate check ID {id}")
    check = register(Check(id, title, attack, severity, confidence, why, remediation), "logs")
    CHECKS[id] = check
    return check


_WEB = (ref("T1505.003", DS_APP, "M1047", "M1042"), ref("T1505.003", DS_NET, "M1047"))
_H, _M, _L, _I = Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO
_CH, _CM, _CL = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW

RANKED_URI = _check(
    "SSC-003-200",
    "Web-shell candidate URI (ranked)",
    _WEB,
    _M,
    _CL,
    "The URI is requested the way web shells are: by few clients, without referers, often by "
    "POST, to a script that appeared late; each part of the score is listed.",
    "Look at the file behind this URI and at the clients that requested it; if it is not part "
    "of the site, take it out of the web root, keep a copy for analysis and block the clients.",
)
COMMAND_PARAMS = _check(
    "SSC-003-201",
    "Command-like request parameters to a script",
    (*_WEB, ref("T1059", DS_APP)),
    _H,
    _CM,
    "Requests carried operating-system commands (whoami, /etc/passwd, cmd.exe ...) in their "
    "parameters, which is how web shells and command injection are driven.",
    "Check the script for command execution; if it runs what it is given, remove it and "
    "review everything the clients sending these requests did.",
)
MANAGER_DEPLOY = _check(
    "SSC-003-202",
    "Tomcat manager deploy",
    (ref("T1505.003", DS_APP, "M1042", "M1026"), ref("T1505.003", DS_NET, "M1042")),
    _M,
    _CM,
    "A web application was deployed through Tomcat's manager, the usual way a WAR web shell "
    "is installed once manager credentials are known.",
    "Confirm the deploy was planned; otherwise undeploy the application, change the manager "
    "passwords, and restrict the manager to localhost (RemoteAddrValve) or remove it.",
)
UPLOAD_THEN_SCRIPT = _check(
    "SSC-003-203",
    "Upload followed by requests to a new script",
    _WEB,
    _H,
    _CM,
    "A client uploaded something and then requested a script nobody had requested before: "
    "the pattern of a web shell planted through an upload form.",
    "Find the uploaded file in the web root, remove it if it is a script, and stop the upload "
    "handler from storing executable files where the server runs them.",
)
CORRELATED_FILE = _check(
    "SSC-003-210",
    "Requested script file is a web shell or newly appeared",
    (ref("T1505.003", DS_APP, "M1047"), ref("T1505.003", DS_FILE, "M1047")),
    _H,
    _CH,
    "A file in the web root that sscguard flagged (or that appeared while the log ran) was also "
    "requested over the web, so it was probably used.",
    "Take the file out of the web root, keep a copy, and review every request to it and every "
    "process the web server started after the first one.",
)
SERVER_SHELL = _check(
    "SSC-003-250",
    "Server process started a shell or interpreter",
    (ref("T1505.003", DS_PROC, "M1047", "M1026"), ref("T1059", DS_PROC)),
    _H,
    _CM,
    "A web or database server process started a command shell or script interpreter, which "
    "is what a web shell or rogue server component does when it runs commands.",
    "Find the request or query that caused it (the access log at that time), remove the "
    "component behind it, and run the server under an account that cannot start shells.",
)
SERVER_RECON = _check(
    "SSC-003-251",
    "Server process started a recon or download tool",
    (ref("T1505.003", DS_PROC, "M1047", "M1026"), ref("T1082", DS_PROC)),
    _H,
    _CM,
    "A server process ran a discovery or download tool (whoami, id, uname, net, curl, "
    "certutil ...) that servers never need to run on their own.",
    "Treat the host as compromised: find the component that ran it, remove it, and review "
    "what was downloaded or learned.",
)
SCRIPT_WRITTEN = _check(
    "SSC-003-252",
    "Script file written into a web root",
    (ref("T1505.003", DS_FILE, "M1047", "M1018"),),
    _M,
    _CM,
    "A script file the web server will run was created in a web root; when the writer is the "
    "server itself this is how web shells arrive.",
    "Check the new file; if it is not part of a deployment, remove it, and make web roots "
    "read-only for the account the server runs as.",
)
FIRST_SEEN_CHILD = _check(
    "SSC-000-200",
    "First-seen child process of a server",
    (ref("T1505", DS_PROC, "M1047"),),
    _M,
    _CL,
    "A server process started a program it had not started before in these records; a new "
    "parent/child pair catches what no list of tools names (w3wp starting notepad).",
    "Check whether the child belongs to a known job of the server; if not, find the "
    "component that started it.",
)
MSSQL_OPTION = _check(
    "SSC-001-200",
    "MSSQL risky option enabled (event 15457)",
    (ref("T1505.001", DS_APP, "M1042", "M1047"),),
    _H,
    _CH,
    "An SQL Server option that lets the server run operating-system code (xp_cmdshell, CLR, "
    "OLE Automation, external scripts) was turned on.",
    "Turn the option off again with sp_configure and RECONFIGURE unless it is documented as "
    "needed, and find who changed it.",
)
MSSQL_AUDIT = _check(
    "SSC-001-201",
    "MSSQL audit record of a persistence statement (event 33205)",
    (ref("T1505.001", DS_APP, "M1047"),),
    _H,
    _CM,
    "An audited statement ran xp_cmdshell, created an assembly or extended procedure, or made "
    "a procedure run at startup: the ways SQL Server is made to run attacker code.",
    "Review the statement and the principal that ran it; drop the object it created and "
    "revoke the rights that allowed it.",
)
MSSQL_XP_DLL = _check(
    "SSC-001-202",
    "MSSQL extended-procedure DLL loaded (event 8128)",
    (ref("T1505.001", DS_APP, "M1047", "M1045"),),
    _M,
    _CM,
    "SQL Server loaded an extended stored procedure DLL that is not one of its own; a rogue "
    "extended procedure runs code inside the server.",
    "Check the DLL's signature and owner; drop the extended procedure (sp_dropextendedproc) "
    "if it is not known.",
)
TRANSPORT_AGENT = _check(
    "SSC-002-200",
    "Exchange transport agent installed or enabled (Management event 6)",
    (ref("T1505.002", DS_APP, "M1047", "M1045"),),
    _H,
    _CM,
    "Install-TransportAgent or Enable-TransportAgent ran; a transport agent sees every message "
    "and is a known way to persist in Exchange.",
    "Compare the agent with Get-TransportAgent and the vendor's list; disable and uninstall "
    "an unknown one and remove its DLL.",
)
IIS_MODULE_CONFIG = _check(
    "SSC-004-200",
    "IIS module or handler added (IIS-Configuration event 29)",
    (ref("T1505.004", DS_APP, "M1047", "M1045"),),
    _H,
    _CM,
    "The IIS configuration changed globalModules, modules, isapiFilters or handlers: where "
    "native and managed IIS backdoors are registered.",
    "Check the module's DLL or type against the installed features; remove it with appcmd "
    "uninstall module and delete the file if unknown.",
)
IIS_MODULE_FAILED = _check(
    "SSC-004-201",
    "IIS module failed to load (Application event 2282)",
    (ref("T1505.004", DS_APP, "M1047"),),
    _M,
    _CL,
    "IIS could not load a module DLL; broken or half-removed backdoor modules show up this "
    "way, as do legitimate modules after a bad update.",
    "Look at the DLL named in the event: if it is not an installed product's, remove its "
    "globalModules entry and the file.",
)
MODULE_INSTALL_CMD = _check(
    "SSC-004-202",
    "Server module installed from the command line",
    (ref("T1505.004", DS_PROC, "M1047", "M1026"),),
    _H,
    _CM,
    "A process ran appcmd install module, gacutil into an IIS site, or a2enmod: the commands "
    "that add a module to a web server.",
    "Check the module it added and who ran the command; remove the module if it is not part "
    "of a planned change.",
)
SIGMA_HIT = _check(
    "SIGMA",
    "Sigma rule matched",
    (ref("T1505", DS_APP, "M1047"),),
    _M,
    _CM,
    "A Sigma rule you supplied matched an event.",
    "Follow the rule's own guidance; the rule's title, ID and level are in the finding.",
)


def finding(
    check: Check,
    subject: Location,
    evidence: tuple[Evidence, ...],
    *,
    discriminator: str = "",
    title: str | None = None,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
    why: str | None = None,
    rule_id: str | None = None,
    tags: tuple[str, ...] = (),
) -> Finding:
    rid = rule_id or check.id
    return Finding(
        rule_id=rid,
        title=title or check.title,
        subject=subject,
        attack=check.attack,
        severity=severity or check.severity,
        confidence=confidence or check.confidence,
        why=why or check.why,
        remediation=check.remediation,
        evidence=evidence,
        tags=tags,
        fingerprint=make_fingerprint(rid, subject, discriminator),
    )
