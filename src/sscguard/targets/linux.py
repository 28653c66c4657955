"""Linux servers: Apache httpd, nginx, PHP (every SAPI and FPM pools), Tomcat, Jenkins, and
preloaded libraries. Debian and RHEL layouts."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable

from sscguard.extract.configs import apache as apache_cfg
from sscguard.extract.configs import handlers
from sscguard.extract.configs import php as php_cfg
from sscguard.extract.configs import tomcat as tomcat_cfg
from sscguard.extract.configs.nginx import load_nginx
from sscguard.extract.configs.xmltree import XmlError, XmlNode, parse_xml
from sscguard.extract.rootfs import normpath
from sscguard.model import SkipCode, Skipped
from sscguard.targets import SIG_NA, LogSource, Server
from sscguard.targets.discovery import Builder

MAX_WEBROOT_ENTRIES = 20000
MAX_WEBROOT_DEPTH = 12
MAX_ARCHIVE = 256 << 20


# -- Apache ------------------------------------------------------------------------------


def find_apache(b: Builder) -> None:
    for main, server_root, envvars, mod_dir in (
        (
            "/etc/apache2/apache2.conf",
            "/etc/apache2",
            "/etc/apache2/envvars",
            "/usr/lib/apache2/modules",
        ),
        ("/etc/httpd/conf/httpd.conf", "/etc/httpd", "", "/usr/lib64/httpd/modules"),
    ):
        if b.fs.is_file(main):
            _apache(b, main, server_root, envvars, mod_dir)


def _apache(b: Builder, main: str, server_root: str, envvars: str, mod_dir: str) -> None:
    env = apache_cfg.load_envvars(b.fs, envvars) if envvars else {}
    cfg = apache_cfg.load_apache(b.fs, main, server_root, env)
    b.skipped.extend(cfg.skipped)
    user_d = cfg.first("User")
    user = env.get("APACHE_RUN_USER") if user_d is None else user_d.args[0] if user_d.args else None
    if user and user.startswith("${"):
        user = env.get(user[2:-1])
    formats = {d.args[1]: d.args[0] for d in cfg.all("LogFormat") if len(d.args) >= 2}
    logs = []
    for d in cfg.all("CustomLog"):
        if d.args and not d.args[0].startswith("|"):
            fmt = d.args[1] if len(d.args) > 1 else "common"
            path = _abs(d.args[0], server_root)
            logs.append(LogSource(path, formats.get(fmt, fmt), b.loc(d.file, d.line)))
    roots = [normpath(d.args[0]) for d in cfg.all("DocumentRoot") if d.args]
    roots += [
        normpath(d.args[-1]) for d in cfg.all("Alias") + cfg.all("ScriptAlias") if len(d.args) >= 2
    ]
    roots = list(dict.fromkeys(r for r in roots if b.fs.is_dir(r)))
    kind = "apache"
    server = Server(
        kind,
        f"{kind}:{server_root}",
        "linux",
        b.package_version("apache2", "apache2-bin", "httpd"),
        tuple(cfg.files),
        tuple(roots),
        (mod_dir,),
        tuple(logs),
        user,
    )
    b.servers.append(server)
    for d in cfg.all("LoadModule"):
        if len(d.args) >= 2:
            path = _abs(d.args[1], server_root)
            b.add_component(
                server,
                "module",
                d.args[0],
                path,
                b.loc(d.file, d.line),
                {"directive": "LoadModule"},
            )
    for d in cfg.all("LoadFile"):
        if d.args:
            path = _abs(d.args[0], server_root)
            b.add_component(
                server,
                "library",
                posixpath.basename(path),
                path,
                b.loc(d.file, d.line),
                {"directive": "LoadFile"},
            )
    if "LD_PRELOAD" in env:
        for lib in env["LD_PRELOAD"].replace(":", " ").split():
            b.add_component(
                server,
                "preload",
                posixpath.basename(lib),
                normpath(lib),
                b.loc(envvars),
                {"via": "envvars"},
            )
    _apache_directives(b, server, cfg.directives)
    for web_root in roots:
        _scan_webroot(b, server, web_root)


def _apache_directives(b: Builder, server: Server, directives: list[apache_cfg.Directive]) -> None:
    """PHP settings and handler mappings, from httpd config or .htaccess alike."""
    for p in handlers.php_settings(directives):
        _php_setting(b, server, p.key, p.value, b.loc(p.file, p.line), p.directive, p.file)
    for m in handlers.handler_mappings(directives):
        at = b.loc(m.file, m.line)
        if m.extensions is not None:
            b.add_setting(
                server,
                "handler.extensions",
                " ".join(m.extensions),
                at,
                handler=m.handler,
                directive=m.directive,
                file=m.file,
            )
        else:
            b.add_setting(
                server,
                "handler.scope",
                m.scope,
                at,
                handler=m.handler,
                directive=m.directive,
                file=m.file,
                where=m.where,
                section=m.section,
            )


def _scan_webroot(b: Builder, server: Server, web_root: str) -> None:
    """``.htaccess`` and ``.user.ini`` files under a web root (bounded walk)."""
    seen = 0
    stack = [(web_root, 0)]
    while stack:
        path, depth = stack.pop()
        for name in b.fs.listdir(path):
            seen += 1
            if seen > MAX_WEBROOT_ENTRIES:
                b.skip(
                    web_root,
                    SkipCode.TOO_LARGE,
                    f"more than {MAX_WEBROOT_ENTRIES} entries; the rest was not searched "
                    "for .htaccess/.user.ini",
                )
                return
            child = posixpath.join(path, name)
            st = b.fs.stat(child)
            if st is None:
                continue
            if st.is_dir and st.path == child:  # do not descend through links
                if depth < MAX_WEBROOT_DEPTH:
                    stack.append((child, depth + 1))
            elif name == ".htaccess" and server.kind == "apache":
                text = b.fs.read_text(child)
                if isinstance(text, Skipped):
                    b.skipped.append(text)
                    continue
                b.note_path(child)
                _apache_directives(b, server, apache_cfg.parse_htaccess(text, child))
            elif name == ".user.ini":
                text = b.fs.read_text(child)
                if isinstance(text, Skipped):
                    b.skipped.append(text)
                    continue
                for e in php_cfg.parse_ini(text, child):
                    _php_setting(b, server, e.key, e.value, b.loc(child, e.line), "user.ini", child)


def _php_setting(
    b: Builder, server: Server, key: str, value: str, at: object, via: str, file: str
) -> None:
    from sscguard.model import Location

    assert isinstance(at, Location)
    b.add_setting(server, f"php.{key}", value, at, via=via, file=file)
    if key in php_cfg.CODE_LOADING and value.strip() and value.strip().lower() != "none":
        path = normpath(value.strip())
        b.add_component(server, "prepend", f"{key}", path, at, {"directive": key, "via": via})


def _abs(path: str, base: str) -> str:
    return normpath(path if path.startswith("/") else posixpath.join(base, path))


# -- nginx -------------------------------------------------------------------------------


def find_nginx(b: Builder) -> None:
    main = "/etc/nginx/nginx.conf"
    if not b.fs.is_file(main):
        return
    cfg = load_nginx(b.fs, main)
    b.skipped.extend(cfg.skipped)
    user = next((d.args[0] for d in cfg.all("user") if d.args), None)
    formats = {d.args[0]: " ".join(d.args[1:]) for d in cfg.all("log_format") if len(d.args) >= 2}
    logs = []
    for d in cfg.all("access_log"):
        if d.args and d.args[0] != "off" and not d.args[0].startswith("syslog:"):
            fmt = d.args[1] if len(d.args) > 1 else "combined"
            logs.append(
                LogSource(_abs(d.args[0], cfg.prefix), formats.get(fmt, fmt), b.loc(d.file, d.line))
            )
    roots = [_abs(d.args[0], cfg.prefix) for d in cfg.all("root") + cfg.all("alias") if d.args]
    roots = list(dict.fromkeys(r for r in roots if b.fs.is_dir(r)))
    mod_dir = (
        "/usr/lib64/nginx/modules" if b.fs.is_dir("/usr/lib64/nginx") else "/usr/lib/nginx/modules"
    )
    server = Server(
        "nginx",
        "nginx:/etc/nginx",
        "linux",
        b.package_version("nginx", "nginx-common", "nginx-core"),
        tuple(cfg.files),
        tuple(roots),
        (mod_dir,),
        tuple(logs),
        user,
    )
    b.servers.append(server)
    for d in cfg.all("load_module"):
        if d.args:
            path = _abs(d.args[0], cfg.prefix)
            b.add_component(
                server,
                "module",
                posixpath.basename(path),
                path,
                b.loc(d.file, d.line),
                {"directive": "load_module"},
            )
    for name in ("perl_require", "perl_modules", "js_import", "js_path"):
        for d in cfg.all(name):
            if d.args:
                b.add_component(
                    server,
                    "nginx-script",
                    d.args[-1],
                    None,
                    b.loc(d.file, d.line),
                    {"directive": name},
                    check_file=False,
                )
    for web_root in roots:
        _scan_webroot(b, server, web_root)


# -- PHP ---------------------------------------------------------------------------------


def find_php(b: Builder) -> None:
    for version in b.fs.listdir("/etc/php"):
        base = f"/etc/php/{version}"
        for sapi in b.fs.listdir(base):
            ini = f"{base}/{sapi}/php.ini"
            if b.fs.is_file(ini):
                _php(b, f"php:{version}/{sapi}", ini, f"{base}/{sapi}/conf.d", version, sapi)
    if b.fs.is_file("/etc/php.ini"):  # RHEL
        _php(b, "php:/etc/php.ini", "/etc/php.ini", "/etc/php.d", "", "")
        if b.fs.is_dir("/etc/php-fpm.d"):
            _fpm_pools(
                b,
                "php-fpm:/etc/php-fpm.d",
                b.fs.glob("/etc/php-fpm.d/*.conf"),
                "/usr/lib64/php/modules",
                "",
            )


def _php(b: Builder, name: str, ini: str, confd: str, version: str, sapi: str) -> None:
    files = [ini, *b.fs.glob(f"{confd}/*.ini")]
    entries: list[php_cfg.IniEntry] = []
    for file in files:
        text = b.fs.read_text(file)
        if isinstance(text, Skipped):
            b.skipped.append(text)
            continue
        entries.extend(php_cfg.parse_ini(text, file))
    ext_dir_entry = php_cfg.last(entries, "extension_dir")
    ext_dir = _php_ext_dir(b, version, ext_dir_entry.value if ext_dir_entry else "")
    pool_files = b.fs.glob(f"/etc/php/{version}/fpm/pool.d/*.conf") if sapi == "fpm" else []
    server = Server(
        "php",
        name,
        "linux",
        b.package_version(f"php{version}-common", "php-common", "php"),
        tuple(files),
        (),
        (ext_dir,),
        (),
        None,
    )
    b.servers.append(server)
    for e in entries:
        at = b.loc(e.file, e.line)
        if e.key in php_cfg.EXTENSIONS and e.value:
            path = _php_ext_path(e.value, ext_dir)
            b.add_component(
                server, "php-extension", posixpath.basename(path), path, at, {"directive": e.key}
            )
        else:
            _php_setting(b, server, e.key, e.value, at, "ini", e.file)
    if pool_files:
        _fpm_pools(b, f"php-fpm:{version}", pool_files, ext_dir, version)


def _php_ext_dir(b: Builder, version: str, configured: str) -> str:
    if configured and configured.startswith("/"):
        return normpath(configured)
    if b.fs.is_dir("/usr/lib64/php/modules"):
        return "/usr/lib64/php/modules"
    apis = [n for n in b.fs.listdir("/usr/lib/php") if n.isdigit()]
    return f"/usr/lib/php/{apis[-1]}" if apis else "/usr/lib/php"


def _php_ext_path(value: str, ext_dir: str) -> str:
    if value.startswith("/"):
        return normpath(value)
    name = value if value.endswith(".so") else f"{value}.so"
    return normpath(posixpath.join(ext_dir, name))


def _fpm_pools(b: Builder, name: str, pools: list[str], ext_dir: str, version: str) -> None:
    entries: list[php_cfg.IniEntry] = []
    for file in pools:
        text = b.fs.read_text(file)
        if isinstance(text, Skipped):
            b.skipped.append(text)
            continue
        entries.extend(php_cfg.parse_ini(text, file))
    user = next((e.value for e in entries if e.key == "user" and not e.kind), None)
    web_roots = [normpath(e.value) for e in entries if e.key == "chdir" and e.value.startswith("/")]
    server = Server(
        "php-fpm",
        name,
        "linux",
        b.package_version(f"php{version}-fpm", "php-fpm"),
        tuple(pools),
        tuple(web_roots),
        (ext_dir,),
        (),
        user,
    )
    b.servers.append(server)
    for e in entries:
        at = b.loc(e.file, e.line)
        if e.kind:
            if e.key in php_cfg.EXTENSIONS and e.value:
                path = _php_ext_path(e.value, ext_dir)
                b.add_component(
                    server,
                    "php-extension",
                    posixpath.basename(path),
                    path,
                    at,
                    {"directive": f"{e.kind}[{e.key}]", "pool": e.section},
                )
            else:
                _php_setting(b, server, e.key, e.value, at, e.kind, e.file)
        elif e.key == "env[ld_preload]" or e.key.startswith("env[ld_preload"):
            b.add_component(
                server,
                "preload",
                posixpath.basename(e.value),
                normpath(e.value),
                at,
                {"via": "fpm env", "pool": e.section},
            )


# -- Tomcat ------------------------------------------------------------------------------

STOCK_JAVA_PREFIXES = ("org.apache.", "jakarta.", "javax.", "com.sun.", "org.eclipse.jdt.")


def find_tomcat(b: Builder) -> None:
    bases = [f"/var/lib/{n}" for n in b.fs.listdir("/var/lib") if n.startswith("tomcat")]
    bases += [
        f"/opt/{n}"
        for n in b.fs.listdir("/opt")
        if n.lower().startswith(("tomcat", "apache-tomcat"))
    ]
    bases += ["/usr/share/tomcat"]
    for base in dict.fromkeys(bases):
        if b.fs.is_file(f"{base}/conf/server.xml"):
            _tomcat(b, base)


def _xml(b: Builder, path: str) -> XmlNode | None:
    data = b.fs.read(path)
    if isinstance(data, Skipped):
        if data.code is not SkipCode.NOT_FOUND:
            b.skipped.append(data)
        return None
    try:
        return parse_xml(data)
    except XmlError as exc:
        b.skip(path, SkipCode.ERROR, f"XML not parsed: {exc}")
        return None


def _tomcat(b: Builder, base: str) -> None:
    conf = f"{base}/conf"
    package = posixpath.basename(base) if base.startswith("/var/lib/") else ""
    home = f"/usr/share/{package}" if package and b.fs.is_dir(f"/usr/share/{package}") else base
    server_xml = _xml(b, f"{conf}/server.xml")
    if server_xml is None:
        return
    config_files = [f"{conf}/server.xml"]
    for extra in ("context.xml", "web.xml", "tomcat-users.xml", "catalina.properties"):
        if b.fs.is_file(f"{conf}/{extra}"):
            config_files.append(f"{conf}/{extra}")
    hosts = tomcat_cfg.hosts(server_xml)
    app_bases = [_abs(h.app_base, base) for h in hosts] or [f"{base}/webapps"]
    lib_dirs = list(dict.fromkeys(d for d in (f"{home}/lib", f"{base}/lib") if b.fs.is_dir(d)))
    logs = []
    for ref in tomcat_cfg.class_refs(server_xml):
        if ref.class_name.endswith("AccessLogValve"):
            logs.append(
                LogSource(
                    _abs("logs", base) + "/localhost_access_log.*.txt",
                    "tomcat-access",
                    b.loc(f"{conf}/server.xml", ref.line),
                )
            )
    user = "tomcat" if package else None
    server = Server(
        "tomcat",
        f"tomcat:{base}",
        "linux",
        b.package_version(package, f"lib{package}-java") if package else None,
        tuple(config_files),
        tuple(app_bases),
        tuple(lib_dirs),
        tuple(logs),
        user,
    )
    b.servers.append(server)
    for file in (f"{conf}/server.xml", f"{conf}/context.xml"):
        doc = server_xml if file.endswith("server.xml") else _xml(b, file)
        if doc is None:
            continue
        for ref in tomcat_cfg.class_refs(doc):
            kind = ref.element.lower()
            b.add_component(
                server,
                kind,
                ref.class_name,
                None,
                b.loc(file, ref.line),
                {
                    "scope": ref.scope,
                    "stock": str(ref.class_name.startswith(STOCK_JAVA_PREFIXES)).lower(),
                },
                check_file=False,
            )
    users = _xml(b, f"{conf}/tomcat-users.xml")
    if users is not None:
        for u in tomcat_cfg.users(users):
            b.add_setting(
                server,
                "tomcat.user",
                u.name,
                b.loc(f"{conf}/tomcat-users.xml", u.line),
                roles=",".join(u.roles),
                password=u.password_class,
            )
    for lib in lib_dirs:
        for name in b.fs.listdir(lib):
            if name.endswith(".jar"):
                path = f"{lib}/{name}"
                b.add_component(server, "jar", name, path, b.loc(path), {"folder": lib})
    apps: dict[str, tuple[str, object]] = {}
    for app_base in app_bases:
        for name in b.fs.listdir(app_base):
            path = f"{app_base}/{name}"
            apps.setdefault(path, (name, b.loc(path)))
    for host in hosts:
        ctx_dir = f"{conf}/Catalina/{host.name}"
        for name in b.fs.listdir(ctx_dir):
            if name.endswith(".xml"):
                doc = _xml(b, f"{ctx_dir}/{name}")
                for ctx in tomcat_cfg.contexts(doc) if doc else []:
                    if ctx.doc_base:
                        apps.setdefault(
                            _abs(ctx.doc_base, app_bases[0]),
                            (name[:-4], b.loc(f"{ctx_dir}/{name}", ctx.line)),
                        )
                for ref in tomcat_cfg.class_refs(doc) if doc else []:
                    b.add_component(
                        server,
                        ref.element.lower(),
                        ref.class_name,
                        None,
                        b.loc(f"{ctx_dir}/{name}", ref.line),
                        {
                            "scope": ref.scope,
                            "stock": str(ref.class_name.startswith(STOCK_JAVA_PREFIXES)).lower(),
                        },
                        check_file=False,
                    )
    for path, (name, at) in apps.items():
        _webapp(b, server, name, path, at)


def _webapp(b: Builder, server: Server, name: str, path: str, at: object) -> None:
    from sscguard.model import Location

    assert isinstance(at, Location)
    st = b.fs.stat(path)
    if st is None:
        return
    if st.is_file and path.endswith(".war"):
        info = _war_info(b, path)
        owner, state = b.file_state(path)
        b.add_component(
            server,
            "webapp",
            name,
            path,
            at,
            {"format": "war", "jsp": str(info[0]), "classes": " ".join(info[1][:50])},
            owner=owner,
            state=state,
        )
        return
    if not st.is_dir:
        return
    jsps, owner_files, unowned = 0, 0, 0
    seen = 0
    stack = [(path, 0)]
    while stack and seen < MAX_WEBROOT_ENTRIES:
        cur, depth = stack.pop()
        for entry in b.fs.listdir(cur):
            seen += 1
            child = f"{cur}/{entry}"
            cst = b.fs.stat(child)
            if cst is None:
                continue
            if cst.is_dir and cst.path == child and depth < MAX_WEBROOT_DEPTH:
                stack.append((child, depth + 1))
            elif cst.is_file:
                if entry.endswith((".jsp", ".jspx")):
                    jsps += 1
                if b.db.present:
                    if b.db.owner(cst.path):
                        owner_files += 1
                    else:
                        unowned += 1
    owner = b.db.owner(f"{st.path}/WEB-INF/web.xml") if b.db.present else None
    b.add_component(
        server,
        "webapp",
        name,
        path,
        at,
        {
            "format": "directory",
            "jsp": str(jsps),
            "unowned_files": str(unowned),
            "owned_files": str(owner_files),
        },
        check_file=False,
        owner=owner,
        state=SIG_NA,
    )
    web_xml = f"{st.path}/WEB-INF/web.xml"
    doc = _xml(b, web_xml) if b.fs.is_file(web_xml) else None
    if doc is None:
        return
    shipped = _app_classes(b, st.path)
    for ref in tomcat_cfg.webxml_classes(doc):
        stock = ref.class_name.startswith(STOCK_JAVA_PREFIXES)
        b.add_component(
            server,
            ref.element,
            ref.class_name,
            None,
            b.loc(web_xml, ref.line),
            {
                "app": name,
                "stock": str(stock).lower(),
                "shipped_in_app": str(ref.class_name in shipped).lower(),
            },
            check_file=False,
        )


def _app_classes(b: Builder, app: str) -> set[str]:
    classes: set[str] = set()
    root = f"{app}/WEB-INF/classes"
    stack = [(root, 0)]
    while stack and len(classes) < MAX_WEBROOT_ENTRIES:
        cur, depth = stack.pop()
        for entry in b.fs.listdir(cur):
            child = f"{cur}/{entry}"
            if entry.endswith(".class"):
                classes.add(child[len(root) + 1 : -6].replace("/", "."))
            elif depth < MAX_WEBROOT_DEPTH and b.fs.is_dir(child):
                stack.append((child, depth + 1))
    for jar in b.fs.listdir(f"{app}/WEB-INF/lib"):
        if jar.endswith(".jar"):
            classes.update(_zip_classes(b, f"{app}/WEB-INF/lib/{jar}"))
    return classes


def _zip_names(b: Builder, path: str) -> list[str]:
    data = b.fs.read(path, MAX_ARCHIVE)
    if isinstance(data, Skipped):
        b.skipped.append(data)
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()[:MAX_WEBROOT_ENTRIES]
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        b.skip(path, SkipCode.ERROR, f"not a readable archive: {exc}"[:200])
        return []


def _zip_classes(b: Builder, path: str) -> set[str]:
    return {n[:-6].replace("/", ".") for n in _zip_names(b, path) if n.endswith(".class")}


def _war_info(b: Builder, path: str) -> tuple[int, list[str]]:
    names = _zip_names(b, path)
    jsps = sum(1 for n in names if n.endswith((".jsp", ".jspx")))
    classes = sorted(
        n[len("WEB-INF/classes/") : -6].replace("/", ".")
        for n in names
        if n.startswith("WEB-INF/classes/") and n.endswith(".class")
    )
    return jsps, classes


# -- Jenkins -----------------------------------------------------------------------------


def find_jenkins(b: Builder) -> None:
    home = "/var/lib/jenkins"
    if not b.fs.is_dir(home):
        return
    server = Server(
        "jenkins",
        f"jenkins:{home}",
        "linux",
        b.package_version("jenkins"),
        tuple(p for p in (f"{home}/config.xml",) if b.fs.exists(p)),
        (),
        (f"{home}/plugins", f"{home}/init.groovy.d"),
        (),
        "jenkins",
    )
    b.servers.append(server)
    for name in b.fs.listdir(f"{home}/plugins"):
        if name.endswith((".jpi", ".hpi")):
            path = f"{home}/plugins/{name}"
            b.add_component(
                server,
                "plugin",
                name.rsplit(".", 1)[0],
                path,
                b.loc(path),
                check_file=False,
                state=SIG_NA,
            )
    for name in b.fs.listdir(f"{home}/init.groovy.d"):
        if name.endswith(".groovy"):
            path = f"{home}/init.groovy.d/{name}"
            b.add_component(
                server, "init-script", name, path, b.loc(path), check_file=False, state=SIG_NA
            )


# -- preloads ----------------------------------------------------------------------------

SERVER_PROCESSES = ("apache2", "httpd", "nginx", "php-fpm", "java", "lighttpd", "caddy", "node")


def find_preloads(b: Builder) -> None:
    """``/etc/ld.so.preload`` (every process) and, on a live host, LD_PRELOAD of servers."""
    text = b.fs.read_text("/etc/ld.so.preload")
    servers = b.servers
    if not isinstance(text, Skipped):
        host = Server(
            "system", "system:/etc/ld.so.preload", "linux", config_files=("/etc/ld.so.preload",)
        )
        b.servers.append(host)
        for number, line in enumerate(text.splitlines(), 1):
            for lib in line.split("#")[0].replace(":", " ").split():
                b.add_component(
                    host,
                    "preload",
                    posixpath.basename(lib),
                    normpath(lib),
                    b.loc("/etc/ld.so.preload", number),
                    {"via": "ld.so.preload"},
                )
    if not b.fs.live or not servers:
        return
    for pid in b.fs.listdir("/proc"):
        if not pid.isdigit():
            continue
        comm = b.fs.read_text(f"/proc/{pid}/comm", 256)
        if isinstance(comm, Skipped) or not comm.strip().startswith(SERVER_PROCESSES):
            continue
        environ = b.fs.read(f"/proc/{pid}/environ", 1 << 20)
        if isinstance(environ, Skipped):
            continue
        for var in environ.split(b"\0"):
            if var.startswith(b"LD_PRELOAD="):
                value = var[11:].decode("utf-8", "surrogateescape")
                kind = comm.strip()
                owner = next(
                    (
                        s
                        for s in servers
                        if kind.startswith(s.kind)
                        or (s.kind == "apache" and kind in ("apache2", "httpd"))
                        or (s.kind == "tomcat" and kind == "java")
                        or (s.kind == "php-fpm" and kind.startswith("php-fpm"))
                    ),
                    None,
                )
                if owner is None:
                    continue
                for lib in value.replace(":", " ").split():
                    b.add_component(
                        owner,
                        "preload",
                        posixpath.basename(lib),
                        normpath(lib),
                        b.loc(f"/proc/{pid}/environ"),
                        {"via": "process environment", "pid": pid, "process": kind},
                    )


FINDERS: tuple[Callable[[Builder], None], ...] = (
    find_apache,
    find_nginx,
    find_php,
    find_tomcat,
    find_jenkins,
    find_preloads,
)
