"""MariaDB/MySQL: the query pack, rows -> facts, and the checks (SSC-001-020 .. SSC-001-039)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sscguard import attack
from sscguard.model import Confidence, Severity, Skipped
from sscguard.sql.base import (
    CATALOG_COMPONENT,
    FILE_COMPONENT,
    REGISTRY,
    DirState,
    Hit,
    Query,
    QueryPack,
    RawCatalog,
    Server,
    excerpt,
    extract_rows,
    flag,
    my_ident,
    number,
    opt_text,
    sql_literal,
    text,
    writable_dir_hits,
)

ENGINE = "mysql"
T = "T1505.001"

PACK = QueryPack(
    ENGINE,
    (
        Query(
            "my_server",
            "SELECT VERSION() AS version, @@version_comment AS version_comment, "
            "@@hostname AS hostname, @@port AS port, CURRENT_USER() AS login, "
            "@@secure_file_priv AS secure_file_priv, @@plugin_dir AS plugin_dir, "
            "@@local_infile AS local_infile, @@datadir AS datadir",
            (
                "version",
                "version_comment",
                "hostname",
                "port",
                "login",
                "secure_file_priv",
                "plugin_dir",
                "local_infile",
                "datadir",
            ),
            "version and the hardening variables",
        ),
        Query(
            "my_func",
            "SELECT name, ret, dl, type FROM mysql.func",
            ("name", "ret", "dl", "type"),
            "user-defined functions (UDFs) registered to load at start",
        ),
        Query(
            "my_plugins",
            "SELECT PLUGIN_NAME AS name, PLUGIN_STATUS AS status, PLUGIN_TYPE AS type, "
            "PLUGIN_LIBRARY AS library, PLUGIN_AUTHOR AS author, "
            "LEFT(PLUGIN_DESCRIPTION, 200) AS description, LOAD_OPTION AS load_option "
            "FROM information_schema.PLUGINS WHERE PLUGIN_LIBRARY IS NOT NULL",
            ("name", "status", "type", "library", "author", "description", "load_option"),
            "plugins loaded from a library",
        ),
        Query(
            "my_plugin_table",
            "SELECT name, dl FROM mysql.plugin",
            ("name", "dl"),
            "plugins registered (INSTALL PLUGIN) to load at start",
        ),
        Query(
            "my_events",
            "SELECT EVENT_SCHEMA AS db, EVENT_NAME AS name, DEFINER AS definer, "
            "STATUS AS status, LEFT(EVENT_DEFINITION, 2000) AS definition "
            "FROM information_schema.EVENTS",
            ("db", "name", "definer", "status", "definition"),
            "scheduled events",
        ),
        Query(
            "my_triggers",
            "SELECT TRIGGER_SCHEMA AS db, TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, "
            "DEFINER AS definer, LEFT(ACTION_STATEMENT, 2000) AS definition "
            "FROM information_schema.TRIGGERS",
            ("db", "name", "tbl", "definer", "definition"),
            "table triggers",
        ),
        Query(
            "my_routines",
            "SELECT ROUTINE_SCHEMA AS db, ROUTINE_NAME AS name, ROUTINE_TYPE AS type, "
            "DEFINER AS definer, LEFT(ROUTINE_DEFINITION, 2000) AS definition "
            "FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA NOT IN ('sys', 'mysql')",
            ("db", "name", "type", "definer", "definition"),
            "stored procedures and functions",
        ),
    ),
)

#: Plugin libraries shipped by MariaDB and MySQL packages (file names in plugin_dir).
STOCK_PLUGIN_LIBRARIES = frozenset(
    {
        # MariaDB
        "adt_null.so",
        "auth_ed25519.so",
        "auth_gssapi.so",
        "auth_pam.so",
        "auth_pam_v1.so",
        "auth_parsec.so",
        "cracklib_password_check.so",
        "disks.so",
        "file_key_management.so",
        "ha_archive.so",
        "ha_blackhole.so",
        "ha_columnstore.so",
        "ha_connect.so",
        "ha_federated.so",
        "ha_federatedx.so",
        "ha_mroonga.so",
        "ha_oqgraph.so",
        "ha_rocksdb.so",
        "ha_s3.so",
        "ha_sphinx.so",
        "ha_spider.so",
        "handlersocket.so",
        "hashicorp_key_management.so",
        "aws_key_management.so",
        "locales.so",
        "metadata_lock_info.so",
        "password_reuse_check.so",
        "provider_bzip2.so",
        "provider_lz4.so",
        "provider_lzma.so",
        "provider_lzo.so",
        "provider_snappy.so",
        "query_cache_info.so",
        "query_response_time.so",
        "server_audit.so",
        "simple_password_check.so",
        "sql_errlog.so",
        "type_mysql_json.so",
        "type_mysql_timestamp.so",
        "wsrep_info.so",
        # MySQL
        "auth_socket.so",
        "authentication_pam.so",
        "authentication_ldap_sasl.so",
        "authentication_ldap_simple.so",
        "audit_log.so",
        "connection_control.so",
        "ddl_rewriter.so",
        "group_replication.so",
        "keyring_file.so",
        "keyring_okv.so",
        "keyring_udf.so",
        "locking_service.so",
        "mysql_clone.so",
        "mysql_no_login.so",
        "rewriter.so",
        "semisync_master.so",
        "semisync_slave.so",
        "semisync_source.so",
        "semisync_replica.so",
        "thread_pool.so",
        "validate_password.so",
        "version_token.so",
    }
)

#: UDF names and library names of well-known command-execution UDF kits.
_KNOWN_BAD_UDF = re.compile(
    r"^(sys_(exec|eval|bineval|get|set)|do_system|cmdshell|xp_cmdshell|shell|exec|eval|system"
    r"|backshell|udf_exec)$",
    re.IGNORECASE,
)
_KNOWN_BAD_LIB = re.compile(r"mysqludf|udf_?sys|raptor_udf|lib_mysqludf|udf\.(so|dll)$", re.I)
_FILE_WRITE = re.compile(r"into\s+(dump|out)file|load_file\s*\(", re.IGNORECASE)
_STOCK_TRIGGERS = frozenset(
    {("sys", "sys_config_insert_set_user"), ("sys", "sys_config_update_set_user")}
)


@dataclass(frozen=True, slots=True)
class MyServer:
    version: str
    hostname: str
    port: int | None
    login: str
    secure_file_priv: str | None
    plugin_dir: str
    local_infile: bool
    datadir: str


@dataclass(frozen=True, slots=True)
class MyUdf:
    name: str
    ret: str
    dl: str
    type: str


@dataclass(frozen=True, slots=True)
class MyPlugin:
    name: str
    library: str
    status: str
    source: str  # information_schema.PLUGINS or mysql.plugin
    detail: str = ""


@dataclass(frozen=True, slots=True)
class MyRoutine:
    kind: str  # EVENT, TRIGGER, PROCEDURE, FUNCTION
    db: str
    name: str
    definer: str
    status: str
    definition: str


@dataclass(frozen=True, slots=True)
class MyFacts:
    server: Server
    info: MyServer | None = None
    udfs: tuple[MyUdf, ...] = ()
    plugins: tuple[MyPlugin, ...] = ()
    routines: tuple[MyRoutine, ...] = ()
    dirs: tuple[DirState, ...] = ()
    queried: frozenset[str] = frozenset()


def extract(raw: RawCatalog, server: Server) -> tuple[MyFacts, list[Skipped]]:
    skipped: list[Skipped] = []
    infos = extract_rows(
        raw,
        "my_server",
        lambda r: MyServer(
            text(r, "version"),
            text(r, "hostname"),
            number(r, "port"),
            text(r, "login"),
            opt_text(r, "secure_file_priv"),
            text(r, "plugin_dir"),
            flag(r, "local_infile"),
            text(r, "datadir"),
        ),
        skipped,
    )
    info = infos[0] if infos else None
    if info is not None and not server.host:
        server = Server("mysql", info.hostname or "local", info.port, "")
    udfs = extract_rows(
        raw,
        "my_func",
        lambda r: MyUdf(text(r, "name"), text(r, "ret"), text(r, "dl"), text(r, "type")),
        skipped,
    )
    plugins = list(
        extract_rows(
            raw,
            "my_plugins",
            lambda r: MyPlugin(
                text(r, "name"),
                text(r, "library"),
                text(r, "status"),
                "information_schema.PLUGINS",
                f"type {text(r, 'type')}; author {text(r, 'author')}; "
                f"load option {text(r, 'load_option')}",
            ),
            skipped,
        )
    )
    plugins += extract_rows(
        raw,
        "my_plugin_table",
        lambda r: MyPlugin(text(r, "name"), text(r, "dl"), "", "mysql.plugin"),
        skipped,
    )
    routines: list[MyRoutine] = []
    routines += extract_rows(
        raw,
        "my_events",
        lambda r: MyRoutine(
            "EVENT",
            text(r, "db"),
            text(r, "name"),
            text(r, "definer"),
            text(r, "status"),
            text(r, "definition"),
        ),
        skipped,
    )
    routines += extract_rows(
        raw,
        "my_triggers",
        lambda r: MyRoutine(
            "TRIGGER",
            text(r, "db"),
            text(r, "name"),
            text(r, "definer"),
            f"on {text(r, 'tbl')}",
            text(r, "definition"),
        ),
        skipped,
    )
    routines += extract_rows(
        raw,
        "my_routines",
        lambda r: MyRoutine(
            text(r, "type").upper() or "PROCEDURE",
            text(r, "db"),
            text(r, "name"),
            text(r, "definer"),
            "",
            text(r, "definition"),
        ),
        skipped,
    )
    facts = MyFacts(server, info, udfs, tuple(plugins), tuple(routines), (), raw.complete)
    return facts, skipped


# -- checks ----------------------------------------------------------------------------------

_CAT = attack.ref(T, CATALOG_COMPONENT, "M1042", "M1026")
_HARD = attack.ref(T, CATALOG_COMPONENT, "M1042", "M1018")
_DIR = attack.ref(T, FILE_COMPONENT, "M1018", "M1026")


def _lib_name(lib: str) -> str:
    return lib.replace("\\", "/").rsplit("/", 1)[-1]


@REGISTRY.check(
    "SSC-001-020",
    ENGINE,
    "MariaDB/MySQL user-defined function registered in mysql.func",
    Severity.HIGH,
    Confidence.HIGH,
    _CAT,
    "mysql.func is empty on a stock server; each row makes the server load a native library "
    "at every start and exposes its function to SQL (sqlmap's sys_exec/sys_eval, "
    "lib_mysqludf_sys), and a plain INSERT into the table survives restarts.",
    "Copy the library from plugin_dir for analysis, drop the function, delete the row and the "
    "library, and rotate the credentials of accounts that could write mysql.*.",
)
def my_udf(facts: MyFacts) -> Iterator[Hit]:
    for udf in facts.udfs:
        known_bad = bool(_KNOWN_BAD_UDF.match(udf.name) or _KNOWN_BAD_LIB.search(udf.dl))
        stock = _lib_name(udf.dl) in STOCK_PLUGIN_LIBRARIES
        severity = Severity.CRITICAL if known_bad else (Severity.MEDIUM if stock else None)
        yield Hit(
            facts.server.uri("mysql.func", udf.name),
            f"name={udf.name} dl={udf.dl} ret={udf.ret} type={udf.type}",
            ("matches a known command-execution UDF kit; " if known_bad else "")
            + ("library ships with the server; " if stock else "")
            + f"library {udf.dl} is loaded from plugin_dir at start",
            f"DROP FUNCTION IF EXISTS {my_ident(udf.name)}; "
            f"DELETE FROM mysql.func WHERE name = {sql_literal(udf.name)};",
            severity=severity,
        )


@REGISTRY.check(
    "SSC-001-021",
    ENGINE,
    "MariaDB/MySQL plugin from a library that does not ship with the server",
    Severity.HIGH,
    Confidence.MEDIUM,
    _CAT,
    "Plugins run native code inside the server; one loaded from a library that is not part of "
    "the MariaDB or MySQL packages was brought in by someone (INSTALL PLUGIN / plugin-load).",
    "Identify the library; if nobody installed it on purpose, uninstall the plugin, remove it "
    "from plugin-load options and delete the file.",
)
def my_plugin(facts: MyFacts) -> Iterator[Hit]:
    merged: dict[tuple[str, str], list[MyPlugin]] = {}
    for p in facts.plugins:
        if p.library and _lib_name(p.library) not in STOCK_PLUGIN_LIBRARIES:
            merged.setdefault((p.name.lower(), p.library), []).append(p)
    for (_, library), seen in sorted(merged.items()):
        first = seen[0]
        yield Hit(
            facts.server.uri("plugin", first.name),
            f"plugin {first.name} soname {library}",
            "; ".join(
                f"in {p.source}" + (f" ({p.status}; {p.detail})" if p.status else "") for p in seen
            ),
            f"UNINSTALL PLUGIN {my_ident(first.name)}; -- and remove it from plugin-load "
            "options in the server configuration",
        )


def _calls(definition: str, names: set[str]) -> str | None:
    for name in names:
        if re.search(rf"(?<![\w$]){re.escape(name)}\s*\(", definition, re.IGNORECASE):
            return name
    return None


def _drop(r: MyRoutine) -> str:
    kind = "EVENT" if r.kind == "EVENT" else "TRIGGER" if r.kind == "TRIGGER" else r.kind
    return f"DROP {kind} {my_ident(r.db)}.{my_ident(r.name)};"


def _routine_uri(facts: MyFacts, r: MyRoutine) -> str:
    return facts.server.uri(r.db, r.kind.lower(), r.name)


@REGISTRY.check(
    "SSC-001-022",
    ENGINE,
    "MariaDB/MySQL event, trigger or routine calls a user-defined function",
    Severity.HIGH,
    Confidence.HIGH,
    _CAT,
    "An event, trigger or stored routine that calls a native UDF re-runs the attacker's code "
    "on a schedule or on ordinary table writes.",
    "Drop the event, trigger or routine together with the UDF it calls.",
)
def my_calls_udf(facts: MyFacts) -> Iterator[Hit]:
    names = {u.name for u in facts.udfs if u.name}
    names |= {"sys_exec", "sys_eval", "sys_bineval", "do_system"}
    for r in facts.routines:
        if (r.db, r.name) in _STOCK_TRIGGERS:
            continue
        called = _calls(r.definition, names)
        if called:
            yield Hit(
                _routine_uri(facts, r),
                excerpt(r.definition),
                f"{r.kind.lower()} calls UDF {called}; definer {r.definer}"
                + (f"; {r.status}" if r.status else ""),
                _drop(r),
            )


@REGISTRY.check(
    "SSC-001-023",
    ENGINE,
    "MariaDB/MySQL event, trigger or routine writes or reads server files",
    Severity.MEDIUM,
    Confidence.MEDIUM,
    _CAT,
    "SELECT ... INTO DUMPFILE/OUTFILE and LOAD_FILE in a scheduled or triggered body is how "
    "UDF libraries and web shells are written to disk from SQL.",
    "Read the body; drop it unless a documented job needs it.",
)
def my_file_io(facts: MyFacts) -> Iterator[Hit]:
    for r in facts.routines:
        match = _FILE_WRITE.search(r.definition)
        if match and (r.db, r.name) not in _STOCK_TRIGGERS:
            yield Hit(
                _routine_uri(facts, r),
                excerpt(r.definition[max(0, match.start() - 40) :]),
                f"{r.kind.lower()} uses {match.group(0)!r}; definer {r.definer}",
                _drop(r),
            )


@REGISTRY.check(
    "SSC-001-024",
    ENGINE,
    "MariaDB/MySQL secure_file_priv does not restrict file import/export",
    Severity.MEDIUM,
    Confidence.HIGH,
    _HARD,
    "With secure_file_priv empty (or, on MariaDB, unset), any account with the FILE privilege "
    "can write files wherever the server's user can (INTO DUMPFILE), which is how UDF "
    "libraries are planted.",
    "Set secure_file_priv to a dedicated directory (or NULL to disable file import/export) "
    "in the [mysqld] section and restart.",
)
def my_secure_file_priv(facts: MyFacts) -> Iterator[Hit]:
    info = facts.info
    if info is None:
        return
    mariadb = "mariadb" in info.version.lower()
    # MySQL: NULL disables file import/export, '' allows any directory. MariaDB: unset
    # (shown as NULL, the default) and '' both allow any directory the server can write.
    if info.secure_file_priv == "" or (info.secure_file_priv is None and mariadb):
        shown = "NULL (unset)" if info.secure_file_priv is None else "''"
        yield Hit(
            facts.server.uri("variables", "secure_file_priv"),
            f"@@secure_file_priv = {shown}",
            f"{'MariaDB' if mariadb else 'MySQL'} {info.version}: file import/export is not "
            "restricted to a directory",
            "[mysqld] secure_file_priv = /var/lib/mysql-files  # in the server config; restart",
        )


@REGISTRY.check(
    "SSC-001-025",
    ENGINE,
    "MariaDB/MySQL local_infile is on",
    Severity.LOW,
    Confidence.HIGH,
    _HARD,
    "local_infile lets clients load files from their side with LOAD DATA LOCAL, which a "
    "rogue or compromised server can abuse to read client files; few deployments need it.",
    "Set local_infile = 0 in the [mysqld] section unless an application needs it.",
)
def my_local_infile(facts: MyFacts) -> Iterator[Hit]:
    if facts.info is not None and facts.info.local_infile:
        yield Hit(
            facts.server.uri("variables", "local_infile"),
            "@@local_infile = 1",
            "LOAD DATA LOCAL INFILE is allowed",
            "SET GLOBAL local_infile = 0; -- and local_infile = 0 under [mysqld]",
        )


@REGISTRY.check(
    "SSC-001-026",
    ENGINE,
    "MariaDB/MySQL plugin_dir writable by the server's user",
    Severity.HIGH,
    Confidence.HIGH,
    _DIR,
    "If the server's own account can write plugin_dir, SELECT ... INTO DUMPFILE can drop a "
    "library there and CREATE FUNCTION ... SONAME loads it.",
    "Make plugin_dir owned by root and not writable by the database account.",
)
def my_plugin_dir(facts: MyFacts) -> Iterator[Hit]:
    yield from writable_dir_hits(facts.dirs)
