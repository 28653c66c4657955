"""PostgreSQL: the query pack, rows -> facts, and the checks (SSC-001-001 .. SSC-001-019)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sscguard import attack
from sscguard.model import Confidence, Evidence, Location, Severity, Skipped
from sscguard.sql.base import (
    CATALOG_COMPONENT,
    FILE_COMPONENT,
    REGISTRY,
    DirState,
    Hit,
    Query,
    QueryPack,
    RawCatalog,
    Row,
    Server,
    excerpt,
    extract_rows,
    flag,
    number,
    pg_ident,
    sql_literal,
    text,
    writable_dir_hits,
)

ENGINE = "postgresql"
T = "T1505.001"

PRELOAD_SETTINGS = (
    "shared_preload_libraries",
    "session_preload_libraries",
    "local_preload_libraries",
)
LIBRARY_SETTINGS = (*PRELOAD_SETTINGS, "dynamic_library_path")
_IN_LIST = ", ".join(sql_literal(s) for s in LIBRARY_SETTINGS)

# -- the query pack --------------------------------------------------------------------------

PACK = QueryPack(
    ENGINE,
    (
        Query(
            "pg_server",
            "SELECT current_database() AS db, current_setting('server_version_num') AS "
            "version_num, current_user AS login, (SELECT rolsuper FROM pg_roles WHERE rolname = "
            "current_user) AS is_superuser, coalesce(host(inet_server_addr()), '') AS "
            "server_addr, inet_server_port() AS server_port",
            ("db", "version_num", "login", "is_superuser", "server_addr", "server_port"),
            "who ran the pack, where",
        ),
        Query(
            "pg_settings",
            "SELECT name, setting, source, coalesce(sourcefile, '') AS sourcefile, sourceline "
            "FROM pg_settings WHERE name IN "
            f"({_IN_LIST}, 'data_directory', 'config_file')",
            ("name", "setting", "source", "sourcefile", "sourceline"),
            "preload settings in force, and where the data directory is",
        ),
        Query(
            "pg_file_settings",
            "SELECT sourcefile, sourceline, name, setting, applied, coalesce(error, '') AS error "
            f"FROM pg_file_settings WHERE name IN ({_IN_LIST})",
            ("sourcefile", "sourceline", "name", "setting", "applied", "error"),
            "preload settings written in postgresql.conf / postgresql.auto.conf (ALTER SYSTEM), "
            "including ones not applied until a restart",
        ),
        Query(
            "pg_role_settings",
            "SELECT coalesce(d.datname, '') AS db, coalesce(r.rolname, '') AS role, c.setting "
            "FROM pg_db_role_setting s CROSS JOIN LATERAL unnest(s.setconfig) AS c(setting) "
            "LEFT JOIN pg_database d ON d.oid = s.setdatabase "
            "LEFT JOIN pg_roles r ON r.oid = s.setrole "
            "WHERE split_part(c.setting, '=', 1) IN "
            f"({_IN_LIST})",
            ("db", "role", "setting"),
            "preload settings attached to a role or database (ALTER ROLE/DATABASE ... SET)",
        ),
        Query(
            "pg_libdir",
            "SELECT setting AS pkglibdir FROM pg_config WHERE name = 'PKGLIBDIR'",
            ("pkglibdir",),
            "what $libdir is on this server (superuser or pg_read_all_settings)",
        ),
        Query(
            "pg_functions",
            "SELECT n.nspname AS schema, p.proname AS name, "
            "pg_get_function_identity_arguments(p.oid) AS args, l.lanname AS language, "
            "l.lanpltrusted AS trusted, coalesce(p.probin, '') AS probin, "
            "left(p.prosrc, 2000) AS src, pg_get_userbyid(p.proowner) AS owner, "
            "p.prosecdef AS security_definer, coalesce(e.extname, '') AS extension "
            "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "JOIN pg_language l ON l.oid = p.prolang "
            "LEFT JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid "
            "AND d.deptype = 'e' LEFT JOIN pg_extension e ON e.oid = d.refobjid "
            "WHERE l.lanname NOT IN ('internal', 'sql', 'plpgsql') "
            "OR p.prosrc ~* '(from|to)\\s+program|lo_export|pg_file_write'",
            (
                "schema",
                "name",
                "args",
                "language",
                "trusted",
                "probin",
                "src",
                "owner",
                "security_definer",
                "extension",
            ),
            "functions in C and procedural languages, and SQL functions that run programs",
        ),
        Query(
            "pg_languages",
            "SELECT l.lanname AS name, l.lanpltrusted AS trusted, "
            "pg_get_userbyid(l.lanowner) AS owner, coalesce(l.lanacl::text, 'default') AS acl, "
            "coalesce(h.proname, '') AS handler, coalesce(e.extname, '') AS extension "
            "FROM pg_language l LEFT JOIN pg_proc h ON h.oid = l.lanplcallfoid "
            "LEFT JOIN pg_depend d ON d.classid = 'pg_language'::regclass "
            "AND d.objid = l.oid AND d.deptype = 'e' "
            "LEFT JOIN pg_extension e ON e.oid = d.refobjid",
            ("name", "trusted", "owner", "acl", "handler", "extension"),
            "languages, whether they are marked trusted, and who may use them",
        ),
        Query(
            "pg_roles",
            "SELECT rolname AS role, rolsuper AS superuser, rolcanlogin AS can_login FROM pg_roles",
            ("role", "superuser", "can_login"),
            "roles and superusers",
        ),
        Query(
            "pg_members",
            "SELECT pg_get_userbyid(roleid) AS role, pg_get_userbyid(member) AS member "
            "FROM pg_auth_members",
            ("role", "member"),
            "role memberships (pg_execute_server_program, pg_write_server_files, ...)",
        ),
        Query(
            "pg_event_triggers",
            "SELECT t.evtname AS name, t.evtevent AS event, t.evtenabled AS enabled, "
            "pg_get_userbyid(t.evtowner) AS owner, n.nspname AS func_schema, "
            "p.proname AS func_name, l.lanname AS language, left(p.prosrc, 2000) AS src, "
            "coalesce(e.extname, '') AS extension "
            "FROM pg_event_trigger t JOIN pg_proc p ON p.oid = t.evtfoid "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "JOIN pg_language l ON l.oid = p.prolang "
            "LEFT JOIN pg_depend d ON d.classid = 'pg_event_trigger'::regclass "
            "AND d.objid = t.oid AND d.deptype = 'e' "
            "LEFT JOIN pg_extension e ON e.oid = d.refobjid",
            (
                "name",
                "event",
                "enabled",
                "owner",
                "func_schema",
                "func_name",
                "language",
                "src",
                "extension",
            ),
            "event triggers and the functions they run",
        ),
    ),
)

# -- stock knowledge (data) ------------------------------------------------------------------

#: Libraries commonly preloaded on purpose: PostgreSQL's own contrib modules and widely used
#: extensions. A preload of one of these is reported at info severity as inventory.
KNOWN_PRELOADS = frozenset(
    {
        "auth_delay",
        "auto_explain",
        "basic_archive",
        "passwordcheck",
        "pg_prewarm",
        "pg_stat_statements",
        "plpgsql",
        "plugin_debugger",
        "sepgsql",
        "pgaudit",
        "pg_cron",
        "pg_hint_plan",
        "pg_partman_bgw",
        "pg_qualstats",
        "pg_stat_kcache",
        "pg_stat_monitor",
        "pg_squeeze",
        "pg_wait_sampling",
        "pglogical",
        "timescaledb",
        "citus",
        "pgsodium",
        "repmgr",
    }
)

#: Procedural languages that can reach the operating system. PostgreSQL marks them untrusted;
#: a superuser can flip ``lanpltrusted`` and hand them to everyone.
UNTRUSTED_LANGUAGES = frozenset(
    {"plpython3u", "plpythonu", "plpython2u", "plperlu", "pltclu", "plsh", "plr", "pljavau"}
)
UNTRUSTED_HANDLERS = frozenset(
    {
        "plpython3_call_handler",
        "plpython_call_handler",
        "plpython2_call_handler",
        "plperlu_call_handler",
        "pltclu_call_handler",
        "plsh_handler",
        "plr_call_handler",
    }
)
DANGEROUS_ROLES = {
    "pg_execute_server_program": "run any program as the server's OS user (COPY ... PROGRAM)",
    "pg_write_server_files": "write any file the server's OS user can write (COPY ... TO file)",
}

_RUNS_COMMANDS = re.compile(
    r"subprocess|os\.(system|popen|exec|spawn)|pty\.spawn|__import__|\beval\s*\(|\bexec\s*\("
    r"|\bsystem\s*\(|\bqx\b|`|IO::Socket|\bexec\s+|open\s*\(?\s*['\"]\s*\||\bsocket\b"
    r"|(from|to)\s+program",
    re.IGNORECASE,
)
_SERVER_SIDE_IO = re.compile(r"(from|to)\s+program|lo_export|pg_file_write", re.IGNORECASE)

# -- facts -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PgFunction:
    schema: str
    name: str
    args: str
    language: str
    trusted: bool
    probin: str
    src: str
    owner: str
    security_definer: bool
    extension: str

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def signature(self) -> str:
        return f"{pg_ident(self.schema)}.{pg_ident(self.name)}({self.args})"


@dataclass(frozen=True, slots=True)
class PgLanguage:
    name: str
    trusted: bool
    owner: str
    acl: str | None
    handler: str
    extension: str

    @property
    def untrusted_family(self) -> bool:
        return self.name in UNTRUSTED_LANGUAGES or self.handler in UNTRUSTED_HANDLERS


@dataclass(frozen=True, slots=True)
class PgEventTrigger:
    name: str
    event: str
    enabled: str
    owner: str
    function: str
    language: str
    src: str
    extension: str


@dataclass(frozen=True, slots=True)
class PgSetting:
    """A library-related setting: in force (``origin='running'``), in a config file, or from
    ``pg_db_role_setting`` (``origin='role'``/``'database'``)."""

    name: str
    value: str
    origin: str  # running, file, role, database
    file: str = ""
    line: int | None = None
    applied: bool = True
    scope: str = ""  # role or database name for per-role/per-database settings
    from_disk: bool = False


@dataclass(frozen=True, slots=True)
class PgFacts:
    server: Server
    login: str = ""
    is_superuser: bool | None = None
    pkglibdir: str = ""
    data_directory: str = ""
    config_file: str = ""
    settings: tuple[PgSetting, ...] = ()
    functions: tuple[PgFunction, ...] = ()
    languages: tuple[PgLanguage, ...] = ()
    superusers: frozenset[str] = frozenset()
    members: tuple[tuple[str, str], ...] = ()  # (role, member)
    event_triggers: tuple[PgEventTrigger, ...] = ()
    dirs: tuple[DirState, ...] = ()
    queried: frozenset[str] = field(default_factory=frozenset)


# -- extract ---------------------------------------------------------------------------------


def server_from(raw: RawCatalog, fallback: Server) -> Server:
    """The server as the DSN names it, completed from the pack's own ``pg_server`` row."""
    rows = raw.rows.get("pg_server", ())
    if not rows:
        return fallback
    row = rows[0]
    return Server(
        "pg",
        fallback.host or text(row, "server_addr") or "local",
        fallback.port if fallback.host else number(row, "server_port"),
        fallback.database or text(row, "db"),
    )


def extract(raw: RawCatalog, server: Server) -> tuple[PgFacts, list[Skipped]]:
    skipped: list[Skipped] = []
    server = server_from(raw, server)
    login, superuser = "", None
    for row in raw.rows.get("pg_server", ())[:1]:
        login = text(row, "login")
        superuser = flag(row, "is_superuser")
    pkglibdir = next((text(r, "pkglibdir") for r in raw.rows.get("pg_libdir", ())), "")

    settings: list[PgSetting] = []
    paths: dict[str, str] = {}
    for row in raw.rows.get("pg_settings", ()):
        name = text(row, "name")
        if name in ("data_directory", "config_file"):
            paths[name] = text(row, "setting")
        elif name in LIBRARY_SETTINGS:
            settings.append(
                PgSetting(
                    name,
                    text(row, "setting"),
                    "running",
                    text(row, "sourcefile"),
                    number(row, "sourceline"),
                )
            )
    settings.extend(
        extract_rows(
            raw,
            "pg_file_settings",
            lambda r: PgSetting(
                text(r, "name"),
                text(r, "setting"),
                "file",
                text(r, "sourcefile"),
                number(r, "sourceline"),
                flag(r, "applied"),
            ),
            skipped,
        )
    )
    settings.extend(extract_rows(raw, "pg_role_settings", _role_setting, skipped))
    functions = extract_rows(
        raw,
        "pg_functions",
        lambda r: PgFunction(
            text(r, "schema"),
            text(r, "name"),
            text(r, "args"),
            text(r, "language"),
            flag(r, "trusted"),
            text(r, "probin"),
            text(r, "src"),
            text(r, "owner"),
            flag(r, "security_definer"),
            text(r, "extension"),
        ),
        skipped,
    )
    languages = extract_rows(
        raw,
        "pg_languages",
        lambda r: PgLanguage(
            text(r, "name"),
            flag(r, "trusted"),
            text(r, "owner"),
            None if text(r, "acl") in ("default", "") else text(r, "acl"),
            text(r, "handler"),
            text(r, "extension"),
        ),
        skipped,
    )
    roles = extract_rows(
        raw, "pg_roles", lambda r: (text(r, "role"), flag(r, "superuser")), skipped
    )
    members = extract_rows(
        raw, "pg_members", lambda r: (text(r, "role"), text(r, "member")), skipped
    )
    triggers = extract_rows(
        raw,
        "pg_event_triggers",
        lambda r: PgEventTrigger(
            text(r, "name"),
            text(r, "event"),
            text(r, "enabled"),
            text(r, "owner"),
            f"{text(r, 'func_schema')}.{text(r, 'func_name')}",
            text(r, "language"),
            text(r, "src"),
            text(r, "extension"),
        ),
        skipped,
    )
    facts = PgFacts(
        server=server,
        login=login,
        is_superuser=superuser,
        pkglibdir=pkglibdir,
        data_directory=paths.get("data_directory", ""),
        config_file=paths.get("config_file", ""),
        settings=tuple(settings),
        functions=functions,
        languages=languages,
        superusers=frozenset(name for name, is_super in roles if is_super),
        members=members,
        event_triggers=triggers,
        queried=raw.complete,
    )
    return facts, skipped


def _role_setting(row: Row) -> PgSetting:
    name, _, value = text(row, "setting").partition("=")
    role, db = text(row, "role"), text(row, "db")
    scope = " ".join(
        p for p in (f"role {role}" if role else "", f"database {db}" if db else "") if p
    )
    return PgSetting(name, value, "role" if role else "database", scope=scope or "all")


# -- helpers ---------------------------------------------------------------------------------


def split_list(value: str) -> list[str]:
    """Split a GUC list value (``a, "b c", $libdir/d``) into its elements."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    items.append("".join(current).strip())
    return [i for i in items if i]


def library_base(lib: str) -> str:
    """``$libdir/pg_stat_statements.so`` -> ``pg_stat_statements``."""
    base = lib.rsplit("/", 1)[-1]
    return base[:-3] if base.endswith(".so") else base


STOCK_LIBDIRS = re.compile(
    r"^(/usr/lib/postgresql/\d+/lib|/usr/pgsql-\d+/lib|/usr/local/pgsql/lib"
    r"|/usr/lib64/pgsql|/usr/lib/pgsql|/opt/homebrew/lib/postgresql(@\d+)?)(/|$)"
)


def outside_libdir(path: str, pkglibdir: str) -> bool:
    """True when a library path resolves outside ``$libdir``.

    A bare name is looked up through ``dynamic_library_path`` (checked on its own).
    """
    if "/" not in path:
        return False
    if path.startswith("$libdir/") or path == "$libdir":
        resolved = posixpath.normpath("/LIBDIR/" + path[len("$libdir") :])
        return not (resolved == "/LIBDIR" or resolved.startswith("/LIBDIR/"))
    if not path.startswith("/"):
        return True
    resolved = posixpath.normpath(path)
    if pkglibdir:
        root = posixpath.normpath(pkglibdir)
        if resolved.startswith(root + "/"):
            return False
    return not STOCK_LIBDIRS.match(resolved)


def _role_closure(members: tuple[tuple[str, str], ...]) -> dict[str, dict[str, str]]:
    """member -> {granted role: via which role} over nested memberships."""
    direct: dict[str, set[str]] = {}
    for role, member in members:
        direct.setdefault(member, set()).add(role)
    out: dict[str, dict[str, str]] = {}
    for member in direct:
        seen: dict[str, str] = {}
        stack = [(r, r) for r in direct[member]]
        while stack and len(seen) < 10_000:
            role, via = stack.pop()
            if role in seen:
                continue
            seen[role] = via
            stack.extend((r, via) for r in direct.get(role, ()))
        out[member] = seen
    return out


def acl_grantees(acl: str | None, privilege: str = "U") -> list[str]:
    """Grantees holding ``privilege`` in an aclitem[] text; '' (PUBLIC) shown as PUBLIC."""
    if acl is None:
        return []
    body = acl.strip().strip("{}")
    out: list[str] = []
    for item in _split_acl(body):
        grantee, sep, rest = item.rpartition("=")
        if not sep:
            continue
        privileges = rest.split("/", 1)[0]
        if privilege in privileges:
            name = grantee.strip('"').replace('""', '"')
            out.append(name or "PUBLIC")
    return out


def _split_acl(body: str) -> Iterator[str]:
    current: list[str] = []
    quoted = False
    for ch in body:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            yield "".join(current)
            current = []
        else:
            current.append(ch)
    if current:
        yield "".join(current)


def _fn_uri(facts: PgFacts, fn: PgFunction) -> str:
    return facts.server.uri(f"{fn.qualified}({fn.args})")


def _setting_location(facts: PgFacts, s: PgSetting) -> Location | None:
    if s.origin == "file" and s.file:
        return Location(s.file, s.line)
    return None


# -- checks ----------------------------------------------------------------------------------

_CAT = attack.ref(T, CATALOG_COMPONENT, "M1042", "M1026")
_FILE = attack.ref(T, FILE_COMPONENT, "M1047", "M1042")
_ROLE = attack.ref(T, CATALOG_COMPONENT, "M1026", "M1018")
_DIR = attack.ref(T, FILE_COMPONENT, "M1018", "M1026")


@REGISTRY.check(
    "SSC-001-001",
    ENGINE,
    "PostgreSQL C function backed by a library outside $libdir",
    Severity.CRITICAL,
    Confidence.HIGH,
    _FILE,
    "Stock and packaged C functions load libraries from $libdir; a C function that loads a "
    "library from elsewhere (sqlmap and similar tools drop theirs in /tmp) runs that code "
    "inside the server.",
    "Copy the library for analysis, drop the function, delete the library, and find out how a "
    "superuser session created it.",
)
def pg_c_outside_libdir(facts: PgFacts) -> Iterator[Hit]:
    for fn in facts.functions:
        if fn.language == "c" and outside_libdir(fn.probin, facts.pkglibdir):
            yield Hit(
                _fn_uri(facts, fn),
                f"LANGUAGE c AS '{fn.probin}', '{excerpt(fn.src, 60)}'",
                f"library {fn.probin}; owner {fn.owner}; "
                + (f"extension {fn.extension}" if fn.extension else "no extension owns it"),
                f"DROP FUNCTION {fn.signature};",
            )


@REGISTRY.check(
    "SSC-001-002",
    ENGINE,
    "PostgreSQL C function that no extension owns",
    Severity.HIGH,
    Confidence.MEDIUM,
    _CAT,
    "C functions shipped with PostgreSQL live in pg_catalog and packaged ones belong to an "
    "extension; a loose C function was created by hand with CREATE FUNCTION ... LANGUAGE c.",
    "Check which library and symbol it calls; if nobody installed it on purpose, drop it.",
)
def pg_c_without_extension(facts: PgFacts) -> Iterator[Hit]:
    for fn in facts.functions:
        if (
            fn.language == "c"
            and not fn.extension
            and fn.schema != "pg_catalog"
            and not outside_libdir(fn.probin, facts.pkglibdir)
        ):
            yield Hit(
                _fn_uri(facts, fn),
                f"LANGUAGE c AS '{fn.probin}', '{excerpt(fn.src, 60)}'",
                f"library {fn.probin}; owner {fn.owner}; no extension owns it",
                f"DROP FUNCTION {fn.signature};",
            )


@REGISTRY.check(
    "SSC-001-003",
    ENGINE,
    "PostgreSQL function in an untrusted language outside any extension",
    Severity.HIGH,
    Confidence.HIGH,
    _CAT,
    "Functions in plpython3u, plperlu, pltclu and similar languages run with the server's "
    "operating-system rights; one created by hand is a classic way to keep command execution.",
    "Read the function body; if it is not a known part of an application, drop it, and drop "
    "the language if nothing needs it.",
)
def pg_untrusted_function(facts: PgFacts) -> Iterator[Hit]:
    langs = {lang.name: lang for lang in facts.languages}
    for fn in facts.functions:
        if fn.language in ("c", "internal") or fn.extension:
            continue
        lang = langs.get(fn.language)
        untrusted = (not fn.trusted) or fn.language in UNTRUSTED_LANGUAGES
        if lang is not None and lang.untrusted_family:
            untrusted = True
        if not untrusted:
            continue
        match = _RUNS_COMMANDS.search(fn.src)
        yield Hit(
            _fn_uri(facts, fn),
            excerpt(fn.src),
            f"language {fn.language}; owner {fn.owner}"
            + ("; SECURITY DEFINER" if fn.security_definer else "")
            + (f"; runs commands ({match.group(0)!r})" if match else ""),
            f"DROP FUNCTION {fn.signature};",
            severity=Severity.CRITICAL if match else None,
        )


@REGISTRY.check(
    "SSC-001-004",
    ENGINE,
    "PostgreSQL event trigger not owned by an extension",
    Severity.HIGH,
    Confidence.MEDIUM,
    _CAT,
    "An event trigger runs its function on every matching DDL command or login in the "
    "database, a quiet way to re-run code; few applications create them by hand.",
    "Review the trigger's function; if it is not part of a known tool, drop the trigger and "
    "the function.",
)
def pg_event_trigger(facts: PgFacts) -> Iterator[Hit]:
    for trg in facts.event_triggers:
        if trg.extension:
            continue
        disabled = trg.enabled == "D"
        yield Hit(
            facts.server.uri("event_trigger", trg.name),
            excerpt(trg.src),
            f"on {trg.event}; runs {trg.function} ({trg.language}); owner {trg.owner}"
            + ("; disabled" if disabled else ""),
            f"DROP EVENT TRIGGER {pg_ident(trg.name)};",
            severity=Severity.MEDIUM if disabled else None,
        )


def _preload_hits(facts: PgFacts, known: bool) -> Iterator[Hit]:
    merged: dict[tuple[str, str], list[PgSetting]] = {}
    for s in facts.settings:
        if s.name not in PRELOAD_SETTINGS or s.origin not in ("running", "file"):
            continue
        for lib in split_list(s.value):
            merged.setdefault((s.name, lib), []).append(s)
    for (name, lib), sources in sorted(merged.items()):
        is_known = library_base(lib) in KNOWN_PRELOADS and not outside_libdir(lib, facts.pkglibdir)
        if is_known != known:
            continue
        first = sources[0]
        severity = None
        if not known and (outside_libdir(lib, facts.pkglibdir) or name != PRELOAD_SETTINGS[0]):
            severity = Severity.CRITICAL if outside_libdir(lib, facts.pkglibdir) else Severity.HIGH
        where = []
        for s in sources:
            if s.origin == "running":
                where.append("in force")
            else:
                state = "" if s.applied else ", not applied yet"
                where.append(f"{s.file}:{s.line or '?'}{state}")
        extra = tuple(
            Evidence("file", loc, f"{s.name} = '{excerpt(s.value, 120)}'", "")
            for s in sources[1:]
            if (loc := _setting_location(facts, s)) is not None
        )
        others = [x for x in split_list(first.value) if x != lib]
        fix = (
            f"ALTER SYSTEM SET {name} = {sql_literal(', '.join(others))}; -- then restart"
            if others
            else f"ALTER SYSTEM RESET {name}; -- and remove it from postgresql.conf, then restart"
        )
        yield Hit(
            facts.server.uri("setting", name, lib),
            f"{name} = '{excerpt(first.value, 120)}'",
            f"library {lib}; set " + "; ".join(where),
            fix,
            severity=severity,
            evidence_location=_setting_location(facts, first),
            extra=extra,
        )


@REGISTRY.check(
    "SSC-001-005",
    ENGINE,
    "PostgreSQL preloads a library that is not a known extension",
    Severity.MEDIUM,
    Confidence.MEDIUM,
    _FILE,
    "Libraries in shared/session/local_preload_libraries are loaded into every server or "
    "session process before any query runs, so a planted library there runs on every start.",
    "Identify the library; if nobody installed it on purpose, remove it from the setting "
    "(postgresql.conf and postgresql.auto.conf), restart, and delete the file.",
)
def pg_preload_unknown(facts: PgFacts) -> Iterator[Hit]:
    return _preload_hits(facts, known=False)


@REGISTRY.check(
    "SSC-001-006",
    ENGINE,
    "PostgreSQL preloads a known extension library",
    Severity.INFO,
    Confidence.HIGH,
    _FILE,
    "A well-known extension is preloaded; listed as inventory, since a replaced library file "
    "with the same name would also load here.",
    "Nothing to do if the extension is wanted; verify the library file with the integrity "
    "baseline.",
)
def pg_preload_known(facts: PgFacts) -> Iterator[Hit]:
    return _preload_hits(facts, known=True)


@REGISTRY.check(
    "SSC-001-007",
    ENGINE,
    "PostgreSQL preload or library path set for a role or database",
    Severity.HIGH,
    Confidence.HIGH,
    _CAT,
    "ALTER ROLE/DATABASE ... SET session_preload_libraries (or dynamic_library_path) makes "
    "every session of that role or database load a library, and is easy to overlook.",
    "Reset the setting for that role or database and review the library it named.",
)
def pg_role_preload(facts: PgFacts) -> Iterator[Hit]:
    for s in facts.settings:
        if s.origin not in ("role", "database") or not s.value.strip():
            continue
        role = s.scope.split("role ", 1)[1].split(" ", 1)[0] if "role " in s.scope else ""
        db = s.scope.split("database ", 1)[1] if "database " in s.scope else ""
        if role and db:
            fix = f"ALTER ROLE {pg_ident(role)} IN DATABASE {pg_ident(db)} RESET {s.name};"
        elif role:
            fix = f"ALTER ROLE {pg_ident(role)} RESET {s.name};"
        else:
            fix = f"ALTER DATABASE {pg_ident(db)} RESET {s.name};"
        yield Hit(
            facts.server.uri("setting", s.name, database=db or facts.server.database)
            + (f"?role={role}" if role else ""),
            f"{s.name}={excerpt(s.value, 120)}",
            f"set for {s.scope}",
            fix,
            discriminator=s.scope,
        )


@REGISTRY.check(
    "SSC-001-008",
    ENGINE,
    "PostgreSQL dynamic_library_path points outside $libdir",
    Severity.HIGH,
    Confidence.MEDIUM,
    _FILE,
    "dynamic_library_path decides where bare library names are loaded from; a directory an "
    "attacker can write lets any C function or preload name resolve to their library.",
    "Set dynamic_library_path back to '$libdir' unless a packaged extension needs more.",
)
def pg_dynamic_library_path(facts: PgFacts) -> Iterator[Hit]:
    seen: set[str] = set()
    for s in facts.settings:
        if s.name != "dynamic_library_path" or s.origin not in ("running", "file"):
            continue
        odd = [p for p in s.value.split(":") if p and outside_libdir(p, facts.pkglibdir)]
        odd = [p for p in odd if p != "$libdir"]
        for path in odd:
            if path in seen:
                continue
            seen.add(path)
            yield Hit(
                facts.server.uri("setting", "dynamic_library_path", path),
                f"dynamic_library_path = '{excerpt(s.value, 120)}'",
                "in force" if s.origin == "running" else f"in {s.file}:{s.line or '?'}",
                "ALTER SYSTEM SET dynamic_library_path = '$libdir'; -- then reload",
                evidence_location=_setting_location(facts, s),
            )


def _dangerous_members(facts: PgFacts, role: str) -> Iterator[tuple[str, str]]:
    for member, granted in sorted(_role_closure(facts.members).items()):
        if role in granted and member not in facts.superusers and not member.startswith("pg_"):
            via = granted[role]
            yield member, ("directly" if via == role else f"through {via}")


def _role_hits(facts: PgFacts, role: str) -> Iterator[Hit]:
    """A hit per non-superuser member of a dangerous predefined role, with how it got it."""
    for member, via in _dangerous_members(facts, role):
        yield Hit(
            facts.server.uri("role", member),
            f"{member} member of {role}",
            f"{member} is a member {via}: may {DANGEROUS_ROLES[role]}",
            f"REVOKE {role} FROM {pg_ident(member)};",
        )


@REGISTRY.check(
    "SSC-001-009",
    ENGINE,
    "PostgreSQL role may run programs on the server (pg_execute_server_program)",
    Severity.HIGH,
    Confidence.HIGH,
    _ROLE,
    "Members of pg_execute_server_program run any shell command as the server's OS user "
    "with COPY ... FROM PROGRAM, without being superuser.",
    "Revoke the membership unless a documented job needs it.",
)
def pg_execute_program(facts: PgFacts) -> Iterator[Hit]:
    yield from _role_hits(facts, "pg_execute_server_program")


@REGISTRY.check(
    "SSC-001-010",
    ENGINE,
    "PostgreSQL role may write server files (pg_write_server_files)",
    Severity.HIGH,
    Confidence.HIGH,
    _ROLE,
    "Members of pg_write_server_files can write any file the server's OS user can, including "
    "libraries and postgresql.auto.conf, which is one step from loading their own code.",
    "Revoke the membership unless a documented job needs it.",
)
def pg_write_files(facts: PgFacts) -> Iterator[Hit]:
    yield from _role_hits(facts, "pg_write_server_files")


@REGISTRY.check(
    "SSC-001-011",
    ENGINE,
    "PostgreSQL untrusted language marked trusted",
    Severity.CRITICAL,
    Confidence.HIGH,
    _CAT,
    "A language such as plpython3u that reaches the operating system has been marked trusted "
    "(UPDATE pg_language SET lanpltrusted), so non-superusers can be allowed to write "
    "functions in it.",
    "Mark it untrusted again and revoke USAGE from everyone but superusers.",
)
def pg_language_marked_trusted(facts: PgFacts) -> Iterator[Hit]:
    for lang in facts.languages:
        if lang.untrusted_family and lang.trusted:
            yield Hit(
                facts.server.uri("language", lang.name),
                f"lanname={lang.name} lanpltrusted=true acl={lang.acl or 'default (PUBLIC)'}",
                f"handler {lang.handler}; owner {lang.owner}",
                "UPDATE pg_language SET lanpltrusted = false WHERE lanname = "
                f"{sql_literal(lang.name)}; REVOKE USAGE ON LANGUAGE {pg_ident(lang.name)} "
                "FROM PUBLIC;",
            )


@REGISTRY.check(
    "SSC-001-012",
    ENGINE,
    "PostgreSQL non-superuser may create functions in an untrusted language",
    Severity.HIGH,
    Confidence.HIGH,
    _ROLE,
    "This role holds USAGE on a language that reaches the operating system, so it can create "
    "functions that run commands as the server's OS user.",
    "Revoke USAGE on the language from the role (and from PUBLIC).",
)
def pg_untrusted_usage(facts: PgFacts) -> Iterator[Hit]:
    for lang in facts.languages:
        if not (lang.untrusted_family and lang.trusted):
            continue
        grantees = acl_grantees(lang.acl) if lang.acl is not None else ["PUBLIC"]
        for grantee in grantees:
            if grantee in facts.superusers:
                continue
            target = "PUBLIC" if grantee == "PUBLIC" else pg_ident(grantee)
            yield Hit(
                facts.server.uri("role", grantee) + f"?language={lang.name}",
                f"USAGE on {lang.name} for {grantee}",
                f"language {lang.name} is marked trusted; acl {lang.acl or 'default'}",
                f"REVOKE USAGE ON LANGUAGE {pg_ident(lang.name)} FROM {target};",
            )


@REGISTRY.check(
    "SSC-001-013",
    ENGINE,
    "PostgreSQL function runs programs or writes server files",
    Severity.MEDIUM,
    Confidence.MEDIUM,
    _CAT,
    "A SQL or PL/pgSQL function outside any extension uses COPY ... PROGRAM, lo_export or "
    "pg_file_write, which run commands or write files as the server's OS user.",
    "Read the function; drop it unless a documented job needs it.",
)
def pg_server_side_io(facts: PgFacts) -> Iterator[Hit]:
    for fn in facts.functions:
        if fn.extension or fn.language not in ("sql", "plpgsql"):
            continue
        match = _SERVER_SIDE_IO.search(fn.src)
        if match:
            yield Hit(
                _fn_uri(facts, fn),
                excerpt(fn.src[max(0, match.start() - 40) :]),
                f"language {fn.language}; owner {fn.owner}; uses {match.group(0)!r}",
                f"DROP FUNCTION {fn.signature};",
            )


@REGISTRY.check(
    "SSC-001-014",
    ENGINE,
    "PostgreSQL library directory writable by the server's user",
    Severity.HIGH,
    Confidence.HIGH,
    _DIR,
    "If the server's own account can write $libdir, SQL that writes files (lo_export, COPY TO) "
    "can plant a library there that later loads as if it were stock.",
    "Make the directory owned by root and not writable by the database account.",
)
def pg_libdir_writable(facts: PgFacts) -> Iterator[Hit]:
    yield from writable_dir_hits(facts.dirs)
