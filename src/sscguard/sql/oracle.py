"""Oracle Database: query pack, rows -> facts, checks (SSC-001-060 .. SSC-001-079)."""

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
    number,
    ora_ident,
    sql_literal,
    text,
)

ENGINE = "oracle"
T = "T1505.001"

#: Schemas Oracle creates and maintains (12c-23ai); APEX_* and FLOWS_* are matched as
#: prefixes. Objects here are reported only by the integrity baseline, not by these checks.
ORACLE_SCHEMAS = frozenset(
    {
        "ANONYMOUS",
        "APPQOSSYS",
        "AUDSYS",
        "CTXSYS",
        "DBSFWUSER",
        "DBSNMP",
        "DGPDB_INT",
        "DIP",
        "DVF",
        "DVSYS",
        "EXFSYS",
        "GGSYS",
        "GSMADMIN_INTERNAL",
        "GSMCATUSER",
        "GSMROOTUSER",
        "GSMUSER",
        "LBACSYS",
        "MDDATA",
        "MDSYS",
        "MGMT_VIEW",
        "OJVMSYS",
        "OLAPSYS",
        "ORACLE_OCM",
        "ORDDATA",
        "ORDPLUGINS",
        "ORDSYS",
        "OUTLN",
        "OWBSYS",
        "OWBSYS_AUDIT",
        "REMOTE_SCHEDULER_AGENT",
        "SI_INFORMTN_SCHEMA",
        "SPATIAL_CSW_ADMIN_USR",
        "SPATIAL_WFS_ADMIN_USR",
        "SYS",
        "SYS$UMF",
        "SYSBACKUP",
        "SYSDG",
        "SYSKM",
        "SYSMAN",
        "SYSRAC",
        "SYSTEM",
        "WMSYS",
        "XDB",
        "XS$NULL",
    }
)
#: Roles that hold Java file/runtime permissions by default.
JAVA_ROLES = ("JAVASYSPRIV", "JAVA_ADMIN", "JAVADEBUGPRIV")
STOCK_JAVA_GRANTEES = frozenset({*ORACLE_SCHEMAS, *JAVA_ROLES, "DBA", "JAVAUSERPRIV", "PUBLIC"})
_DANGEROUS_RUNTIME = re.compile(
    r"^(\*|createClassLoader|setSecurityManager|loadLibrary\..*|setIO|writeFileDescriptor"
    r"|modifyThread.*|setContextClassLoader)$"
)


def oracle_schema(owner: str) -> bool:
    return owner.upper() in ORACLE_SCHEMAS or owner.upper().startswith(("APEX_", "FLOWS_"))


_NOT_ORACLE = (
    "{col} NOT IN (" + ", ".join(sql_literal(s) for s in sorted(ORACLE_SCHEMAS)) + ") "
    "AND {col} NOT LIKE 'APEX\\_%' ESCAPE '\\' AND {col} NOT LIKE 'FLOWS\\_%' ESCAPE '\\'"
)


def _not_oracle(column: str) -> str:
    return _NOT_ORACLE.replace("{col}", column)


_SRC_MATCH = (
    "(SELECT MIN(SUBSTR(s.text, 1, 300)) KEEP (DENSE_RANK FIRST ORDER BY s.line) "
    "FROM dba_source s WHERE s.owner = {o}.owner AND s.name = {o}.{n} AND s.type = '{t}' "
    "AND REGEXP_LIKE(s.text, '{re}', 'i'))"
)
_EXEC_RE = "Runtime|ProcessBuilder|exec[[:space:]]*\\("
_TRIGGER_RE = "EXECUTE IMMEDIATE|DBMS_SCHEDULER|DBMS_JAVA|UTL_HTTP|UTL_TCP|UTL_FILE|DBMS_PIPE"

PACK = QueryPack(
    ENGINE,
    (
        Query(
            "ora_server",
            "SELECT SYS_CONTEXT('USERENV', 'DB_NAME') AS db, "
            "SYS_CONTEXT('USERENV', 'SERVER_HOST') AS host, "
            "SYS_CONTEXT('USERENV', 'SESSION_USER') AS login, "
            "(SELECT version FROM product_component_version WHERE ROWNUM = 1) AS version "
            "FROM dual",
            ("db", "host", "login", "version"),
            "who ran the pack, where",
        ),
        Query(
            "ora_java_policy",
            "SELECT kind, grantee, type_name, name, action, enabled, seq FROM dba_java_policy "
            "WHERE kind = 'GRANT' AND type_name IN "
            "('java.io.FilePermission', 'java.lang.RuntimePermission')",
            ("kind", "grantee", "type_name", "name", "action", "enabled", "seq"),
            "Java file and runtime permissions granted (dbms_java.grant_permission)",
        ),
        Query(
            "ora_java_roles",
            "SELECT grantee, granted_role FROM dba_role_privs WHERE granted_role IN "
            "('JAVASYSPRIV', 'JAVA_ADMIN', 'JAVADEBUGPRIV')",
            ("grantee", "granted_role"),
            "who holds the Java roles that carry file and runtime permissions",
        ),
        Query(
            "ora_java_objects",
            "SELECT o.owner, o.object_name, o.object_type, o.status, "
            "TO_CHAR(o.created, 'YYYY-MM-DD\"T\"HH24:MI:SS') AS created, "
            + _SRC_MATCH.replace("{o}", "o")
            .replace("{n}", "object_name")
            .replace("{t}", "JAVA SOURCE")
            .replace("{re}", _EXEC_RE)
            + " AS exec_line FROM dba_objects o WHERE o.object_type IN "
            "('JAVA SOURCE', 'JAVA CLASS') AND " + _not_oracle("o.owner"),
            ("owner", "object_name", "object_type", "status", "created", "exec_line"),
            "Java sources and classes outside Oracle's schemas",
        ),
        Query(
            "ora_libraries",
            "SELECT owner, library_name, file_spec, dynamic, status FROM dba_libraries "
            "WHERE " + _not_oracle("owner"),
            ("owner", "library_name", "file_spec", "dynamic", "status"),
            "external procedure (extproc) libraries outside Oracle's schemas",
        ),
        Query(
            "ora_scheduler_jobs",
            "SELECT j.owner, j.job_name, COALESCE(j.job_type, p.program_type) AS job_type, "
            "SUBSTR(COALESCE(j.job_action, p.program_action), 1, 2000) AS action, j.enabled, "
            "j.state, j.credential_name FROM dba_scheduler_jobs j "
            "LEFT JOIN dba_scheduler_programs p ON p.owner = j.program_owner "
            "AND p.program_name = j.program_name "
            "WHERE COALESCE(j.job_type, p.program_type) IN ('EXECUTABLE', 'EXTERNAL_SCRIPT')",
            ("owner", "job_name", "job_type", "action", "enabled", "state", "credential_name"),
            "scheduler jobs that run operating-system executables",
        ),
        Query(
            "ora_triggers",
            "SELECT t.owner, t.trigger_name, t.triggering_event, t.base_object_type, t.status, "
            "SUBSTR(t.description, 1, 300) AS description, "
            + _SRC_MATCH.replace("{o}", "t")
            .replace("{n}", "trigger_name")
            .replace("{t}", "TRIGGER")
            .replace("{re}", _TRIGGER_RE)
            + " AS risky_line FROM dba_triggers t WHERE t.base_object_type IN "
            "('DATABASE', 'SCHEMA') AND (t.triggering_event LIKE '%LOGON%' OR "
            "t.triggering_event LIKE '%STARTUP%') AND " + _not_oracle("t.owner"),
            (
                "owner",
                "trigger_name",
                "triggering_event",
                "base_object_type",
                "status",
                "description",
                "risky_line",
            ),
            "logon and startup triggers outside Oracle's schemas",
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class OraJavaGrant:
    grantee: str
    type_name: str
    name: str
    action: str
    enabled: bool
    seq: int | None


@dataclass(frozen=True, slots=True)
class OraJavaObject:
    owner: str
    name: str
    type: str
    status: str
    exec_line: str


@dataclass(frozen=True, slots=True)
class OraLibrary:
    owner: str
    name: str
    file_spec: str
    status: str


@dataclass(frozen=True, slots=True)
class OraJob:
    owner: str
    name: str
    type: str
    action: str
    enabled: bool
    credential: str


@dataclass(frozen=True, slots=True)
class OraTrigger:
    owner: str
    name: str
    event: str
    scope: str
    status: str
    description: str
    risky_line: str


@dataclass(frozen=True, slots=True)
class OraFacts:
    server: Server
    grants: tuple[OraJavaGrant, ...] = ()
    java_roles: tuple[tuple[str, str], ...] = ()
    java_objects: tuple[OraJavaObject, ...] = ()
    libraries: tuple[OraLibrary, ...] = ()
    jobs: tuple[OraJob, ...] = ()
    triggers: tuple[OraTrigger, ...] = ()


def _enabled(value: str) -> bool:
    return value.strip().upper() in ("ENABLED", "TRUE", "YES", "1", "Y")


def extract(raw: RawCatalog, server: Server) -> tuple[OraFacts, list[Skipped]]:
    skipped: list[Skipped] = []
    if not server.host:
        for row in raw.rows.get("ora_server", ())[:1]:
            server = Server("oracle", text(row, "host") or "local", None, text(row, "db"))
    grants = extract_rows(
        raw,
        "ora_java_policy",
        lambda r: OraJavaGrant(
            text(r, "grantee"),
            text(r, "type_name"),
            text(r, "name"),
            text(r, "action"),
            _enabled(text(r, "enabled")),
            number(r, "seq"),
        ),
        skipped,
    )
    roles = extract_rows(
        raw, "ora_java_roles", lambda r: (text(r, "grantee"), text(r, "granted_role")), skipped
    )
    objects = extract_rows(
        raw,
        "ora_java_objects",
        lambda r: OraJavaObject(
            text(r, "owner"),
            text(r, "object_name"),
            text(r, "object_type"),
            text(r, "status"),
            text(r, "exec_line"),
        ),
        skipped,
    )
    libraries = extract_rows(
        raw,
        "ora_libraries",
        lambda r: OraLibrary(
            text(r, "owner"), text(r, "library_name"), text(r, "file_spec"), text(r, "status")
        ),
        skipped,
    )
    jobs = extract_rows(
        raw,
        "ora_scheduler_jobs",
        lambda r: OraJob(
            text(r, "owner"),
            text(r, "job_name"),
            text(r, "job_type"),
            text(r, "action"),
            flag(r, "enabled"),
            text(r, "credential_name"),
        ),
        skipped,
    )
    triggers = extract_rows(
        raw,
        "ora_triggers",
        lambda r: OraTrigger(
            text(r, "owner"),
            text(r, "trigger_name"),
            text(r, "triggering_event"),
            text(r, "base_object_type"),
            text(r, "status"),
            text(r, "description"),
            text(r, "risky_line"),
        ),
        skipped,
    )
    return OraFacts(server, grants, roles, objects, libraries, jobs, triggers), skipped


# -- checks ----------------------------------------------------------------------------------

_CAT = attack.ref(T, CATALOG_COMPONENT, "M1042", "M1026")
_PRIV = attack.ref(T, CATALOG_COMPONENT, "M1026", "M1018")


def _q(owner: str, name: str) -> str:
    return f"{ora_ident(owner)}.{ora_ident(name)}"


@REGISTRY.check(
    "SSC-001-060",
    ENGINE,
    "Oracle Java file or runtime permission granted outside Oracle's roles",
    Severity.HIGH,
    Confidence.MEDIUM,
    _PRIV,
    "A java.io.FilePermission with execute or write, or a powerful RuntimePermission, lets "
    "Java stored in the database start processes and write files as the Oracle OS user.",
    "Revoke the permission with dbms_java.revoke_permission (or disable it by its key) unless "
    "an application is documented to need it.",
)
def ora_java_grant(facts: OraFacts) -> Iterator[Hit]:
    for g in facts.grants:
        if not g.enabled:
            continue
        grantee = g.grantee.upper()
        actions = {a.strip().lower() for a in g.action.split(",")}
        if g.type_name == "java.io.FilePermission":
            risky = bool(actions & {"execute", "write", "delete"})
        else:
            risky = bool(_DANGEROUS_RUNTIME.match(g.name))
        if not risky:
            continue
        if grantee in STOCK_JAVA_GRANTEES and grantee != "PUBLIC":
            continue
        if grantee == "PUBLIC" and g.type_name != "java.io.FilePermission" and g.name != "*":
            continue
        executes = "execute" in actions
        yield Hit(
            facts.server.uri("java_policy", f"{g.grantee}:{g.seq}"),
            f"{g.type_name} {g.name!r} {g.action} to {g.grantee}",
            f"grant key {g.seq}; enabled",
            f"EXEC dbms_java.disable_permission({g.seq}); "
            f"EXEC dbms_java.delete_permission({g.seq});",
            severity=Severity.CRITICAL if executes or g.name == "<<ALL FILES>>" else None,
        )


@REGISTRY.check(
    "SSC-001-061",
    ENGINE,
    "Oracle Java system role granted to a non-Oracle account",
    Severity.MEDIUM,
    Confidence.MEDIUM,
    _PRIV,
    "JAVASYSPRIV and JAVA_ADMIN carry file and runtime permissions; granted to an ordinary "
    "account, they let it run OS commands from Java in the database.",
    "Revoke the role unless documented.",
)
def ora_java_role(facts: OraFacts) -> Iterator[Hit]:
    for grantee, role in facts.java_roles:
        if grantee.upper() in STOCK_JAVA_GRANTEES - {"PUBLIC"} or oracle_schema(grantee):
            continue
        yield Hit(
            facts.server.uri("role", f"{grantee}:{role}"),
            f"{role} granted to {grantee}",
            f"{grantee} holds {role}",
            f"REVOKE {ora_ident(role)} FROM {ora_ident(grantee)};",
            severity=Severity.HIGH if grantee.upper() == "PUBLIC" else None,
        )


@REGISTRY.check(
    "SSC-001-062",
    ENGINE,
    "Oracle Java source or classes outside Oracle's schemas",
    Severity.MEDIUM,
    Confidence.MEDIUM,
    _CAT,
    "Java loaded into an application schema (CREATE JAVA SOURCE, loadjava) runs inside the "
    "database's JVM; with file or runtime permissions it is a command backdoor.",
    "Review the Java objects; drop those nobody documented (and the call specs that publish them).",
)
def ora_java_objects(facts: OraFacts) -> Iterator[Hit]:
    classes: dict[str, list[OraJavaObject]] = {}
    for o in facts.java_objects:
        if oracle_schema(o.owner):
            continue
        if o.type.upper() == "JAVA SOURCE":
            runs = bool(o.exec_line)
            yield Hit(
                facts.server.uri(o.owner, "java_source", o.name),
                excerpt(o.exec_line) if runs else f"JAVA SOURCE {o.owner}.{o.name}",
                f"status {o.status}"
                + ("; starts processes (Runtime/ProcessBuilder)" if runs else ""),
                f"DROP JAVA SOURCE {_q(o.owner, o.name)};",
                severity=Severity.HIGH if runs else None,
                confidence=Confidence.HIGH if runs else None,
            )
        else:
            classes.setdefault(o.owner, []).append(o)
    for owner, items in sorted(classes.items()):
        names = ", ".join(sorted(i.name for i in items)[:5])
        yield Hit(
            facts.server.uri(owner, "java_classes"),
            f"{len(items)} Java class(es) in {owner}: {names}",
            "classes loaded outside Oracle's schemas (loadjava or CREATE JAVA CLASS)",
            f"-- review, then: DROP JAVA CLASS {ora_ident(owner)}.<name>;",
            discriminator=owner,
        )


@REGISTRY.check(
    "SSC-001-063",
    ENGINE,
    "Oracle external procedure library outside Oracle's schemas",
    Severity.HIGH,
    Confidence.MEDIUM,
    _CAT,
    "A library object lets PL/SQL call native code through extproc; one in an application "
    "schema pointing at an arbitrary file runs that code as the Oracle OS user.",
    "Check the file it points at; drop the library and its wrappers unless documented, and "
    "restrict EXTPROC_DLLS.",
)
def ora_library(facts: OraFacts) -> Iterator[Hit]:
    for lib in facts.libraries:
        if oracle_schema(lib.owner):
            continue
        yield Hit(
            facts.server.uri(lib.owner, "library", lib.name),
            f"CREATE LIBRARY {lib.owner}.{lib.name} AS '{lib.file_spec}'",
            f"status {lib.status}",
            f"DROP LIBRARY {_q(lib.owner, lib.name)};",
        )


@REGISTRY.check(
    "SSC-001-064",
    ENGINE,
    "Oracle scheduler job runs an operating-system executable",
    Severity.HIGH,
    Confidence.MEDIUM,
    _CAT,
    "EXECUTABLE and EXTERNAL_SCRIPT scheduler jobs start programs on the host as the Oracle "
    "user (or a stored credential) on a schedule.",
    "Confirm the job with its owner; drop it with dbms_scheduler.drop_job if undocumented.",
)
def ora_job(facts: OraFacts) -> Iterator[Hit]:
    for j in facts.jobs:
        stock = oracle_schema(j.owner)
        yield Hit(
            facts.server.uri(j.owner, "job", j.name),
            f"{j.type}: {excerpt(j.action)}",
            ("enabled" if j.enabled else "disabled")
            + (f"; credential {j.credential}" if j.credential else ""),
            f"EXEC dbms_scheduler.drop_job({sql_literal(f'{j.owner}.{j.name}')}, force => TRUE);",
            severity=Severity.MEDIUM if stock or not j.enabled else None,
            confidence=Confidence.LOW if stock else None,
        )


@REGISTRY.check(
    "SSC-001-065",
    ENGINE,
    "Oracle logon or startup trigger outside Oracle's schemas",
    Severity.HIGH,
    Confidence.MEDIUM,
    _CAT,
    "A database or schema trigger on LOGON or STARTUP runs its body for every session or at "
    "every start, a quiet way to re-run an intruder's code.",
    "Read the trigger; drop it unless it is a documented control.",
)
def ora_trigger(facts: OraFacts) -> Iterator[Hit]:
    for t in facts.triggers:
        if oracle_schema(t.owner):
            continue
        risky = bool(t.risky_line)
        yield Hit(
            facts.server.uri(t.owner, "trigger", t.name),
            excerpt(t.risky_line or t.description),
            f"{t.event} on {t.scope}; {t.status}",
            f"DROP TRIGGER {_q(t.owner, t.name)};",
            severity=Severity.CRITICAL if risky else None,
        )
