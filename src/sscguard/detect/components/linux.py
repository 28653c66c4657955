"""Checks on Linux server components: Apache and nginx modules, PHP extensions and prepend
files, handler mappings, preloaded libraries, Tomcat valves/filters/webapps, Jenkins."""

from __future__ import annotations

from collections.abc import Iterator

from sscguard.attack import ref
from sscguard.detect.components import Hit, check, component_hit, setting_hit, under
from sscguard.extract.configs.handlers import odd_extensions, scope_is_php_only
from sscguard.model import Confidence, Severity
from sscguard.targets import SIG_MODIFIED, SIG_UNOWNED, Inventory

FILE = "DS0022 File Modification"
T004 = ref("T1505.004", FILE, "M1047", "M1045")
T003 = ref("T1505.003", FILE, "M1047", "M1042")

MODULE_DIRS = (
    "/usr/lib/apache2/modules",
    "/usr/lib64/httpd/modules",
    "/usr/lib/httpd/modules",
    "/usr/lib/nginx/modules",
    "/usr/share/nginx/modules",
    "/usr/lib64/nginx/modules",
)


@check(
    "SSC-004-001",
    "Server module loaded from outside the module folder",
    (T004,),
    Severity.HIGH,
    Confidence.HIGH,
    "The server loads a shared library from a folder where packages never install modules, "
    "which is how rogue Apache and nginx modules are planted.",
    "Remove the LoadModule/load_module line, delete the library after preserving it for "
    "analysis, and reinstall the server package; then review who could write the config.",
)
def module_outside_folder(inv: Inventory) -> Iterator[Hit]:
    for server in inv.servers:
        if server.kind not in ("apache", "nginx"):
            continue
        allowed = (*server.component_dirs, *MODULE_DIRS)
        for c in inv.components_of(server):
            if c.kind in ("module", "library") and c.path and not under(c.path, allowed):
                yield component_hit(
                    inv, c, f"{c.path} is outside {', '.join(server.component_dirs)}"
                )


@check(
    "SSC-004-002",
    "Server component file installed by no package",
    (T004,),
    Severity.HIGH,
    Confidence.MEDIUM,
    "A module, extension or library the server loads was not installed by any package, so "
    "nothing vouches for it; planted modules look exactly like this.",
    "Find out who installed the file (vendor software, a local build) and document it; if "
    "nobody did, preserve it, remove its configuration line and investigate the host.",
)
def unowned_component(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if (
            c.kind in ("module", "library", "php-extension", "jar")
            and c.signature_state == SIG_UNOWNED
        ):
            yield component_hit(inv, c, "no dpkg package lists this file")


@check(
    "SSC-004-003",
    "Server component differs from its package",
    (T004,),
    Severity.CRITICAL,
    Confidence.HIGH,
    "The digest of a module the server loads no longer matches what its package installed: "
    "the file was replaced or patched in place.",
    "Preserve the file for analysis, reinstall the owning package (apt-get install "
    "--reinstall PACKAGE) and restart the server; treat the host as compromised.",
)
def modified_component(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.signature_state == SIG_MODIFIED:
            yield component_hit(inv, c, f"MD5 differs from dpkg's record for {c.owner_package}")


@check(
    "SSC-004-004",
    "Library preloaded into server processes",
    (T004,),
    Severity.HIGH,
    Confidence.HIGH,
    "A library is forced into the server through LD_PRELOAD or /etc/ld.so.preload, so its "
    "code runs inside every request the server handles.",
    "Remove the preload (the environment line or /etc/ld.so.preload entry), restart the "
    "services, preserve the library and find how it was configured.",
)
def preloads(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind == "preload":
            yield component_hit(inv, c, f"preloaded via {c.get('via')}")


@check(
    "SSC-004-005",
    "PHP extension loaded from outside the extension folder",
    (T004,),
    Severity.HIGH,
    Confidence.HIGH,
    "PHP loads an extension by absolute path from a folder packages never use; a rogue "
    "extension sees and can answer every request.",
    "Remove the extension= or zend_extension= line, preserve the library, restart PHP and "
    "check who could write the PHP configuration.",
)
def php_extension_outside(inv: Inventory) -> Iterator[Hit]:
    for server in inv.servers:
        for c in inv.components_of(server):
            if c.kind == "php-extension" and c.path and not under(c.path, server.component_dirs):
                yield component_hit(
                    inv, c, f"extension folder is {', '.join(server.component_dirs)}"
                )


@check(
    "SSC-004-010",
    "Tomcat valve, listener or realm class outside the stock set",
    (T004,),
    Severity.HIGH,
    Confidence.MEDIUM,
    "server.xml or context.xml makes Tomcat instantiate a class that is not one of its own "
    "(org.apache.*); a rogue valve sees every request before any application does.",
    "Identify the class and the jar it comes from; remove the element and the jar if nobody "
    "can account for them, and restart Tomcat.",
)
def tomcat_nonstock_class(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if (
            c.kind in ("valve", "listener", "realm", "loader", "manager", "cluster")
            and c.get("stock") == "false"
            and not c.get("app")
        ):
            yield component_hit(inv, c, f"{c.kind} in {c.get('scope') or 'Server'}")


@check(
    "SSC-004-011",
    "web.xml filter, listener or servlet class not shipped with the application",
    (T004,),
    Severity.HIGH,
    Confidence.MEDIUM,
    "An application's web.xml names a class that is neither Tomcat's nor inside the "
    "application, so it comes from a jar added to the server itself.",
    "Find the jar that provides the class (Tomcat lib folders), compare with the vendor's "
    "release, and remove the declaration and jar if unaccounted for.",
)
def webxml_foreign_class(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if (
            c.kind in ("filter", "listener", "servlet")
            and c.get("app")
            and c.get("stock") == "false"
            and c.get("shipped_in_app") == "false"
        ):
            yield component_hit(inv, c, f"declared by application {c.get('app')}")


@check(
    "SSC-004-012",
    "Web application with JSP pages deployed outside packages",
    (ref("T1505.004", FILE, "M1047"), ref("T1505.003", FILE, "M1047")),
    Severity.MEDIUM,
    Confidence.LOW,
    "A deployed application (WAR or folder) contains JSP pages and no package installed it; "
    "attackers deploy WARs through the manager to get a JSP shell.",
    "Confirm the application is one your team deployed; otherwise undeploy it, keep a copy, "
    "and review the manager access log (POST /manager/html/upload, /manager/text/deploy).",
)
def deployed_jsp_app(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind == "webapp" and c.get("jsp", "0") != "0" and not c.owner_package:
            yield component_hit(inv, c, f"{c.get('jsp')} JSP page(s), format {c.get('format')}")


@check(
    "SSC-004-013",
    "Jenkins start-up Groovy script",
    (T004,),
    Severity.MEDIUM,
    Confidence.MEDIUM,
    "Scripts in init.groovy.d run with Jenkins' full rights at every start, a quiet way to "
    "reinstall access.",
    "Read each script; remove those nobody maintains, and restrict write access to JENKINS_HOME.",
)
def jenkins_init(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind == "init-script":
            yield component_hit(inv, c, "runs at every Jenkins start")


@check(
    "SSC-003-100",
    "PHP prepends or appends a file to every script",
    (T003,),
    Severity.HIGH,
    Confidence.MEDIUM,
    "auto_prepend_file/auto_append_file make PHP run a file before or after every page; "
    "set from an .htaccess, .user.ini or pool file it is a classic hidden web shell loader.",
    "Remove the directive unless an application you run documents it, inspect the named "
    "file, and make .htaccess/.user.ini in web roots unwritable by the web server.",
)
def php_prepend(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind == "prepend":
            via = c.get("via")
            sev = (
                Severity.CRITICAL
                if via in ("user.ini", "php_value", "php_flag")
                and c.configured_at.path.endswith((".htaccess", ".user.ini"))
                else None
            )
            yield component_hit(inv, c, f"{c.get('directive')} set via {via}", severity=sev)


@check(
    "SSC-003-101",
    "Handler mapping makes non-script files run as PHP",
    (T003,),
    Severity.HIGH,
    Confidence.HIGH,
    "An AddHandler/AddType/SetHandler line maps images or other data extensions to the PHP "
    "handler, so an uploaded picture becomes an executable web shell.",
    "Delete the mapping (usually an .htaccess in an upload folder), set AllowOverride None "
    "for upload folders, and scan the folder for files with PHP code.",
)
def handler_mapping(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key == "handler.extensions":
            odd = odd_extensions(s.value.split())
            if odd:
                yield setting_hit(
                    s, f"{s.get('directive')} {s.get('handler')} for .{', .'.join(odd)}"
                )
        elif s.key == "handler.scope":
            scope = s.value
            if scope == "*" or not scope_is_php_only(scope, s.get("section")):
                yield setting_hit(
                    s, f"{s.get('directive')} {s.get('handler')} applies to {scope or 'every file'}"
                )
