"""Microsoft SQL Server: query pack, rows -> facts, checks (SSC-001-040 .. SSC-001-059)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sscguard import attack
from sscguard.model import Confidence, Severity, Skipped
from sscguard.sql.base import (
    CATALOG_COMPONENT,
    REGISTRY,
    Hit,
    Query,
    QueryPack,
    RawCatalog,
    Server,
    excerpt,
    extract_rows,
    flag,
    ms_ident,
    number,
    sql_literal,
    text,
)

ENGINE = "mssql"
T = "T1505.001"

OPTIONS = (
    "xp_cmdshell",
    "clr enabled",
    "clr strict security",
    "Ole Automation Procedures",
    "external scripts enabled",
    "scan for startup procs",
)

PACK = QueryPack(
    ENGINE,
    (
        Query(
            "ms_server",
            "SELECT CAST(SERVERPROPERTY('ServerName') AS nvarchar(256)) AS server, "
            "CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(64)) AS version, "
            "SUSER_SNAME() AS login, IS_SRVROLEMEMBER('sysadmin') AS is_sysadmin",
            ("server", "version", "login", "is_sysadmin"),
            "who ran the pack, where",
        ),
        Query(
            "ms_config",
            "SELECT name, CAST(value AS int) AS value, CAST(value_in_use AS int) AS "
            "value_in_use FROM sys.configurations WHERE name IN ("
            + ", ".join(sql_literal(o) for o in OPTIONS)
            + ")",
            ("name", "value", "value_in_use"),
            "server options that run code or commands",
        ),
        Query(
            "ms_startup_procs",
            "SELECT SCHEMA_NAME(p.schema_id) AS [schema], p.name, "
            "CONVERT(varchar(33), p.modify_date, 126) AS modified, "
            "LEFT(m.definition, 2000) AS definition FROM master.sys.procedures p "
            "LEFT JOIN master.sys.sql_modules m ON m.object_id = p.object_id "
            "WHERE p.is_auto_executed = 1",
            ("schema", "name", "modified", "definition"),
            "procedures that run when the server starts",
        ),
        Query(
            "ms_databases",
            "SELECT name, is_trustworthy_on AS trustworthy FROM sys.databases WHERE state = 0",
            ("name", "trustworthy"),
            "online databases (the per-database queries run in each)",
        ),
        Query(
            "ms_assemblies",
            "SELECT DB_NAME() AS db, a.name, a.permission_set_desc AS permission_set, "
            "a.clr_name, CONVERT(varchar(33), a.create_date, 126) AS created "
            "FROM sys.assemblies a WHERE a.is_user_defined = 1",
            ("db", "name", "permission_set", "clr_name", "created"),
            "user CLR assemblies in each database",
            per_database=True,
        ),
        Query(
            "ms_trusted_assemblies",
            "SELECT CONVERT(varchar(200), hash, 2) AS hash, description, "
            "CONVERT(varchar(33), create_date, 126) AS created FROM sys.trusted_assemblies",
            ("hash", "description", "created"),
            "assemblies exempted from clr strict security (2017 and later)",
            optional=True,
        ),
        Query(
            "ms_xprocs",
            "SELECT SCHEMA_NAME(x.schema_id) AS [schema], x.name, x.dll_name, "
            "x.is_ms_shipped FROM master.sys.extended_procedures x",
            ("schema", "name", "dll_name", "is_ms_shipped"),
            "extended stored procedures and their DLLs",
        ),
        Query(
            "ms_agent_steps",
            "SELECT j.name AS job, j.enabled, s.step_id, s.step_name, s.subsystem, "
            "LEFT(s.command, 2000) AS command, SUSER_SNAME(j.owner_sid) AS owner "
            "FROM msdb.dbo.sysjobs j JOIN msdb.dbo.sysjobsteps s ON s.job_id = j.job_id "
            "WHERE s.subsystem IN ('CmdExec', 'PowerShell', 'ActiveScripting')",
            ("job", "enabled", "step_id", "step_name", "subsystem", "command", "owner"),
            "SQL Agent job steps that run OS commands or scripts",
        ),
        Query(
            "ms_server_triggers",
            "SELECT t.name, t.is_disabled, t.is_ms_shipped, "
            "LEFT(m.definition, 2000) AS definition FROM sys.server_triggers t "
            "LEFT JOIN sys.server_sql_modules m ON m.object_id = t.object_id",
            ("name", "is_disabled", "is_ms_shipped", "definition"),
            "server-level (logon and DDL) triggers",
        ),
    ),
)

#: DLLs of the extended procedures SQL Server ships.
STOCK_XP_DLLS = frozenset(
    {"xpstar.dll", "xplog70.dll", "xpsqlbot.dll", "odsole70.dll", "xprepl.dll", "xpstar90.dll"}
)
_SUSPICIOUS_COMMAND = re.compile(
    r"-enc(odedcommand)?\b|\biex\b|invoke-expression|downloadstring|downloadfile|frombase64"
    r"|certutil|bitsadmin|mshta|rundll32|regsvr32|\bcurl\b|\bwget\b|net\s+user|whoami"
    r"|\\\\[\w.]+\\|\bnc(\.exe)?\s",
    re.IGNORECASE,
)
_RISKY_BODY = re.compile(r"xp_cmdshell|sp_OACreate|sp_OAMethod|sp_execute_external_script", re.I)


@dataclass(frozen=True, slots=True)
class MsOption:
    name: str
    value: int
    in_use: int


@dataclass(frozen=True, slots=True)
class MsModule:
    """A startup procedure or server trigger."""

    schema: str
    name: str
    definition: str
    disabled: bool = False
    ms_shipped: bool = False


@dataclass(frozen=True, slots=True)
class MsAssembly:
    db: str
    name: str
    permission_set: str
    clr_name: str


@dataclass(frozen=True, slots=True)
class MsXproc:
    schema: str
    name: str
    dll: str
    ms_shipped: bool


@dataclass(frozen=True, slots=True)
class MsStep:
    job: str
    enabled: bool
    step_id: int | None
    step_name: str
    subsystem: str
    command: str
    owner: str


@dataclass(frozen=True, slots=True)
class MsFacts:
    server: Server
    options: tuple[MsOption, ...] = ()
    startup: tuple[MsModule, ...] = ()
    trustworthy: tuple[str, ...] = ()
    assemblies: tuple[MsAssembly, ...] = ()
    trusted_hashes: tuple[tuple[str, str], ...] = ()
    xprocs: tuple[MsXproc, ...] = ()
    steps: tuple[MsStep, ...] = ()
    triggers: tuple[MsModule, ...] = ()


def extract(raw: RawCatalog, server: Server) -> tuple[MsFacts, list[Skipped]]:
    skipped: list[Skipped] = []
    if not server.host:
        for row in raw.rows.get("ms_server", ())[:1]:
            server = Server("mssql", text(row, "server") or "local", None, "master")
    options = extract_rows(
        raw,
        "ms_config",
        lambda r: MsOption(
            text(r, "name"), number(r, "value") or 0, number(r, "value_in_use") or 0
        ),
        skipped,
    )
    startup = extract_rows(
        raw,
        "ms_startup_procs",
        lambda r: MsModule(text(r, "schema"), text(r, "name"), text(r, "definition")),
        skipped,
    )
    dbs = extract_rows(
        raw, "ms_databases", lambda r: (text(r, "name"), flag(r, "trustworthy")), skipped
    )
    assemblies = extract_rows(
        raw,
        "ms_assemblies",
        lambda r: MsAssembly(
            text(r, "db"), text(r, "name"), text(r, "permission_set"), text(r, "clr_name")
        ),
        skipped,
    )
    hashes = extract_rows(
        raw,
        "ms_trusted_assemblies",
        lambda r: (text(r, "hash"), text(r, "description")),
        skipped,
    )
    xprocs = extract_rows(
        raw,
        "ms_xprocs",
        lambda r: MsXproc(
            text(r, "schema"), text(r, "name"), text(r, "dll_name"), flag(r, "is_ms_shipped")
        ),
        skipped,
    )
    steps = extract_rows(
        raw,
        "ms_agent_steps",
        lambda r: MsStep(
            text(r, "job"),
            flag(r, "enabled"),
            number(r, "step_id"),
            text(r, "step_name"),
            text(r, "subsystem"),
            text(r, "command"),
            text(r, "owner"),
        ),
        skipped,
    )
    triggers = extract_rows(
        raw,
        "ms_server_triggers",
        lambda r: MsModule(
            "",
            text(r, "name"),
            text(r, "definition"),
            flag(r, "is_disabled"),
            flag(r, "is_ms_shipped"),
        ),
        skipped,
    )
    facts = MsFacts(
        server,
        options,
        startup,
        tuple(name for name, trusted in dbs if trusted),
        assemblies,
        hashes,
        xprocs,
        steps,
        triggers,
    )
    return facts, skipped


# -- checks ----------------------------------------------------------------------------------

_OPT = attack.ref(T, CATALOG_COMPONENT, "M1042")
_CAT = attack.ref(T, CATALOG_COMPONENT, "M1042", "M1026")
_PRIV = attack.ref(T, CATALOG_COMPONENT, "M1026", "M1018")


def _option_hits(facts: MsFacts, name: str, bad: int, fix_value: int) -> Iterator[Hit]:
    for opt in facts.options:
        if opt.name.lower() != name.lower():
            continue
        if bad in (opt.value, opt.in_use):
            state = "in use" if opt.in_use == bad else "configured, pending RECONFIGURE"
            yield Hit(
                facts.server.uri("configuration", opt.name, database="master"),
                f"{opt.name}: value {opt.value}, value_in_use {opt.in_use}",
                state,
                f"EXEC sp_configure {sql_literal(opt.name)}, {fix_value}; RECONFIGURE;",
            )


def _option_check(
    check_id: str, name: str, title: str, severity: Severity, why: str, bad: int = 1
) -> None:
    fix_value = 0 if bad == 1 else 1

    def run(facts: MsFacts) -> Iterator[Hit]:
        return _option_hits(facts, name, bad, fix_value)

    REGISTRY.check(
        check_id,
        ENGINE,
        title,
        severity,
        Confidence.HIGH,
        _OPT,
        why,
        f"Set '{name}' to {fix_value} with sp_configure and RECONFIGURE unless a documented "
        "application needs it.",
    )(run)


_option_check(
    "SSC-001-040",
    "xp_cmdshell",
    "MSSQL xp_cmdshell is enabled",
    Severity.HIGH,
    "xp_cmdshell runs operating-system commands as the SQL Server service account from any "
    "session that may execute it.",
)
_option_check(
    "SSC-001-041",
    "clr enabled",
    "MSSQL CLR integration is enabled",
    Severity.MEDIUM,
    "With CLR enabled, assemblies loaded into a database can run .NET code inside the server "
    "process; a common route for persistent implants.",
)
_option_check(
    "SSC-001-042",
    "clr strict security",
    "MSSQL clr strict security is off",
    Severity.HIGH,
    "With clr strict security off, SAFE and EXTERNAL_ACCESS assemblies load without a "
    "signature trusted by the server.",
    bad=0,
)
_option_check(
    "SSC-001-043",
    "Ole Automation Procedures",
    "MSSQL OLE Automation procedures are enabled",
    Severity.HIGH,
    "sp_OACreate and friends instantiate COM objects (WScript.Shell, Scripting.FileSystemObject) "
    "and so run commands and write files from T-SQL.",
)
_option_check(
    "SSC-001-044",
    "external scripts enabled",
    "MSSQL external scripts are enabled",
    Severity.MEDIUM,
    "sp_execute_external_script runs R or Python code on the server host.",
)
_option_check(
    "SSC-001-045",
    "scan for startup procs",
    "MSSQL runs startup procedures (scan for startup procs)",
    Severity.MEDIUM,
    "The server runs procedures marked for startup every time it starts, a persistence point "
    "attackers use to re-enable features and re-run payloads.",
)


@REGISTRY.check(
    "SSC-001-046",
    ENGINE,
    "MSSQL startup procedure",
    Severity.HIGH,
    Confidence.HIGH,
    _CAT,
    "A procedure in master marked to run at startup (sp_procoption) executes with sysadmin "
    "rights every time the service starts.",
    "Read the procedure; unmark it with sp_procoption and drop it unless it is documented.",
)
def ms_startup(facts: MsFacts) -> Iterator[Hit]:
    for p in facts.startup:
        risky = _RISKY_BODY.search(p.definition)
        yield Hit(
            facts.server.uri(f"{p.schema}.{p.name}", database="master"),
            excerpt(p.definition),
            "runs at service start" + (f"; calls {risky.group(0)}" if risky else ""),
            f"EXEC sp_procoption N{sql_literal(f'{p.schema}.{p.name}')}, 'startup', 'off'; "
            f"DROP PROCEDURE {ms_ident(p.schema)}.{ms_ident(p.name)};",
            severity=Severity.CRITICAL if risky else None,
        )


@REGISTRY.check(
    "SSC-001-047",
    ENGINE,
    "MSSQL user CLR assembly with UNSAFE or EXTERNAL_ACCESS permission",
    Severity.HIGH,
    Confidence.MEDIUM,
    _CAT,
    "User assemblies with UNSAFE or EXTERNAL_ACCESS can run native code, start processes and "
    "reach the network from inside SQL Server; implants are often deployed this way.",
    "Identify the assembly and its owner; drop the functions and procedures bound to it and "
    "then the assembly unless it is a known application component.",
)
def ms_assembly(facts: MsFacts) -> Iterator[Hit]:
    for a in facts.assemblies:
        perm = a.permission_set.upper()
        risky = "UNSAFE" in perm or "EXTERNAL" in perm
        yield Hit(
            facts.server.uri("assembly", a.name, database=a.db),
            f"{a.name} {a.permission_set} {a.clr_name}",
            f"user assembly in {a.db} with {a.permission_set}",
            f"USE {ms_ident(a.db)}; DROP ASSEMBLY {ms_ident(a.name)}; -- after dropping "
            "the modules that use it",
            severity=None if risky else Severity.LOW,
            confidence=None if risky else Confidence.LOW,
            discriminator=a.db,
        )


@REGISTRY.check(
    "SSC-001-048",
    ENGINE,
    "MSSQL extended stored procedure from a non-Microsoft DLL",
    Severity.CRITICAL,
    Confidence.HIGH,
    _CAT,
    "Extended procedures load a native DLL into the SQL Server process; one added with "
    "sp_addextendedproc (Maggie, for example) runs the attacker's code with the service's "
    "rights.",
    "Copy the DLL for analysis, drop the procedure with sp_dropextendedproc and delete the DLL.",
)
def ms_xproc(facts: MsFacts) -> Iterator[Hit]:
    for x in facts.xprocs:
        dll = x.dll.replace("/", "\\").rsplit("\\", 1)[-1].lower()
        if x.ms_shipped and (not dll or dll in STOCK_XP_DLLS):
            continue
        yield Hit(
            facts.server.uri(f"{x.schema}.{x.name}", database="master"),
            f"{x.name} -> {x.dll}",
            "not shipped by Microsoft" if not x.ms_shipped else f"unexpected DLL {x.dll}",
            f"EXEC sp_dropextendedproc N{sql_literal(x.name)};",
        )


@REGISTRY.check(
    "SSC-001-049",
    ENGINE,
    "MSSQL Agent job step runs OS commands or scripts",
    Severity.MEDIUM,
    Confidence.MEDIUM,
    _CAT,
    "SQL Agent steps of type CmdExec, PowerShell or ActiveScripting run on the host as the "
    "Agent's service account on a schedule: legitimate for maintenance, and a persistence "
    "point for intruders.",
    "Confirm the job with its owner; delete the step or job if it is not documented.",
)
def ms_agent_step(facts: MsFacts) -> Iterator[Hit]:
    for s in facts.steps:
        suspicious = _SUSPICIOUS_COMMAND.search(s.command)
        severity = Severity.HIGH if suspicious else None
        if not s.enabled and suspicious is None:
            severity = Severity.LOW
        yield Hit(
            facts.server.uri("agent", s.job, f"step{s.step_id}", database="msdb"),
            excerpt(s.command),
            f"{s.subsystem} step {s.step_name!r} of job {s.job!r} owned by {s.owner}"
            + ("" if s.enabled else "; job disabled")
            + (f"; looks like {suspicious.group(0)!r}" if suspicious else ""),
            f"EXEC msdb.dbo.sp_delete_jobstep @job_name = N{sql_literal(s.job)}, "
            f"@step_id = {s.step_id or 0};",
            severity=severity,
            confidence=Confidence.HIGH if suspicious else None,
        )


@REGISTRY.check(
    "SSC-001-050",
    ENGINE,
    "MSSQL server trigger",
    Severity.HIGH,
    Confidence.MEDIUM,
    _CAT,
    "Server-level triggers run on every logon or server DDL event; few deployments have any, "
    "and one that executes commands keeps an intruder's code running.",
    "Read the trigger; drop it unless it is a documented audit control.",
)
def ms_server_trigger(facts: MsFacts) -> Iterator[Hit]:
    for t in facts.triggers:
        if t.ms_shipped:
            continue
        risky = _RISKY_BODY.search(t.definition)
        severity = Severity.CRITICAL if risky else (Severity.MEDIUM if t.disabled else None)
        yield Hit(
            facts.server.uri("server_trigger", t.name, database="master"),
            excerpt(t.definition),
            ("disabled; " if t.disabled else "")
            + (f"calls {risky.group(0)}" if risky else "server-level trigger"),
            f"DROP TRIGGER {ms_ident(t.name)} ON ALL SERVER;",
            severity=severity,
        )


@REGISTRY.check(
    "SSC-001-051",
    ENGINE,
    "MSSQL database marked TRUSTWORTHY",
    Severity.MEDIUM,
    Confidence.HIGH,
    _PRIV,
    "TRUSTWORTHY lets UNSAFE assemblies load without a signature and lets code in the database "
    "act with its owner's server-level rights, a privilege-escalation and persistence aid.",
    "Turn TRUSTWORTHY off unless an application is documented to need it.",
)
def ms_trustworthy(facts: MsFacts) -> Iterator[Hit]:
    for db in facts.trustworthy:
        if db.lower() == "msdb":
            continue
        yield Hit(
            facts.server.uri("database", db, database="master"),
            f"{db}: is_trustworthy_on = 1",
            "database is TRUSTWORTHY",
            f"ALTER DATABASE {ms_ident(db)} SET TRUSTWORTHY OFF;",
        )


@REGISTRY.check(
    "SSC-001-052",
    ENGINE,
    "MSSQL assembly hash exempted from clr strict security",
    Severity.MEDIUM,
    Confidence.MEDIUM,
    _CAT,
    "sys.trusted_assemblies lets an unsigned assembly load despite clr strict security; an "
    "entry nobody documented is a way to keep a CLR implant loadable.",
    "Find which assembly the hash belongs to; remove it with sp_drop_trusted_assembly unless "
    "documented.",
)
def ms_trusted_assembly(facts: MsFacts) -> Iterator[Hit]:
    for digest, description in facts.trusted_hashes:
        yield Hit(
            facts.server.uri("trusted_assembly", digest[:24], database="master"),
            f"{digest[:40]} {excerpt(description, 80)}",
            "hash listed in sys.trusted_assemblies",
            f"EXEC sys.sp_drop_trusted_assembly 0x{digest};",
        )
