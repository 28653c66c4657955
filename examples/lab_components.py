# ruff: noqa: E501  (fixture text: realistic configuration lines are long)
"""Demo lab for the component audit: three system roots, each either clean or compromised.

    python examples/lab_components.py OUT_DIR [--clean]

Writes OUT_DIR/linux-host, OUT_DIR/windows-host and OUT_DIR/esxi-host (each a root for
``sscguard audit --root``) and OUT_DIR/components.json: for each root, the check IDs that a
compromised layout must trigger. Every file is written for this project: the "modules" and
DLLs are a few placeholder bytes, never working code. The Windows SYSTEM hive needs Debian's
python3-hivex (see examples/hivegen.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hivegen

ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 57  # a header, not a library

EXPECTED = {
    "linux-host": [
        "SSC-004-001",
        "SSC-004-002",
        "SSC-004-003",
        "SSC-004-004",
        "SSC-004-005",
        "SSC-004-010",
        "SSC-004-011",
        "SSC-004-012",
        "SSC-004-013",
        "SSC-003-100",
        "SSC-003-101",
        "SSC-000-150",
        "SSC-000-151",
        "SSC-000-152",
        "SSC-000-153",
        "SSC-000-154",
    ],
    "windows-host": [
        "SSC-004-020",
        "SSC-004-021",
        "SSC-004-022",
        "SSC-004-023",
        "SSC-004-024",
        "SSC-002-001",
        "SSC-002-002",
        "SSC-002-003",
        "SSC-005-001",
        "SSC-005-002",
        "SSC-005-003",
        "SSC-000-155",
        "SSC-000-157",
    ],
    "esxi-host": [
        "SSC-006-001",
        "SSC-006-002",
        "SSC-006-003",
        "SSC-006-004",
        "SSC-006-005",
        "SSC-000-156",
    ],
}
# Hardening findings a clean layout still shows (stock Debian PHP has no disable_functions).
CLEAN_EXPECTED = {"linux-host": ["SSC-000-150"], "windows-host": [], "esxi-host": []}


def _w(root: Path, rel: str, text: str | bytes, mode: int | None = None) -> Path:
    path = root / rel.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    if mode is not None:
        path.chmod(mode)
    return path


# -- Linux -------------------------------------------------------------------------------

STOCK_MODULES = ("mod_alias.so", "mod_dir.so", "mod_mime.so", "mod_rewrite.so")


def linux_host(root: Path, clean: bool) -> None:
    mods = "/usr/lib/apache2/modules"
    listing, sums = ["/.", "/usr", "/usr/lib", "/usr/lib/apache2", mods], []
    for name in STOCK_MODULES:
        data = ELF + name.encode()
        _w(root, f"{mods}/{name}", data)
        listing.append(f"{mods}/{name}")
        sums.append(f"{hashlib.md5(data).hexdigest()}  {mods.lstrip('/')}/{name}")
    _w(root, "/var/lib/dpkg/info/apache2-bin.list", "\n".join(listing) + "\n")
    _w(root, "/var/lib/dpkg/info/apache2-bin.md5sums", "\n".join(sums) + "\n")
    _w(
        root,
        "/var/lib/dpkg/status",
        "Package: apache2-bin\nStatus: install ok installed\nVersion: 2.4.62-1~deb12u2\n\n",
    )
    _w(
        root,
        "/etc/passwd",
        "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\ntomcat:x:995:995::/var/lib/tomcat10:/usr/sbin/nologin\n",
    )
    _w(root, "/etc/group", "root:x:0:\nwww-data:x:33:\ntomcat:x:995:\n")
    _w(
        root,
        "/etc/apache2/envvars",
        "export APACHE_RUN_USER=www-data\nexport APACHE_RUN_GROUP=www-data\nexport APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n",
    )
    _w(
        root,
        "/etc/apache2/apache2.conf",
        (
            "# Minimal Debian-style layout\n"
            "DefaultRuntimeDir ${APACHE_RUN_DIR}\n"
            "User ${APACHE_RUN_USER}\n"
            "IncludeOptional mods-enabled/*.load\n"
            "IncludeOptional mods-enabled/*.conf\n"
            'LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined\n'
            "IncludeOptional sites-enabled/*.conf\n"
        ),
    )
    for name in STOCK_MODULES:
        short = name[4:-3]
        _w(
            root,
            f"/etc/apache2/mods-enabled/{short}.load",
            f"LoadModule {short}_module {mods}/{name}\n",
        )
    _w(
        root,
        "/etc/apache2/mods-enabled/php.conf",
        (
            '<FilesMatch ".+\\.ph(?:ar|p|tml)$">\n    SetHandler application/x-httpd-php\n</FilesMatch>\n'
        ),
    )
    _w(
        root,
        "/etc/apache2/sites-enabled/000-default.conf",
        (
            "<VirtualHost *:80>\n"
            "    DocumentRoot /var/www/html\n"
            "    CustomLog ${APACHE_LOG_DIR}/access.log combined\n"
            "    <Directory /var/www/html>\n        AllowOverride All\n    </Directory>\n"
            "</VirtualHost>\n"
        ),
    )
    _w(root, "/var/www/html/index.php", "<?php echo 'hello';\n")
    _w(
        root,
        "/etc/nginx/nginx.conf",
        (
            "user www-data;\nworker_processes auto;\ninclude /etc/nginx/modules-enabled/*.conf;\n"
            "events { worker_connections 768; }\n"
            "http {\n  access_log /var/log/nginx/access.log;\n  include /etc/nginx/sites-enabled/*;\n}\n"
        ),
        0o644,
    )
    _w(
        root,
        "/etc/nginx/sites-enabled/default",
        "server {\n  listen 80;\n  root /var/www/html;\n}\n",
    )
    php = "/etc/php/8.2/fpm"
    ext_dir = "/usr/lib/php/20220829"
    _w(root, f"{ext_dir}/opcache.so", ELF + b"opcache")
    _w(root, "/var/lib/dpkg/info/php8.2-opcache.list", f"/.\n{ext_dir}/opcache.so\n")
    _w(root, f"{php}/php.ini", "[PHP]\nengine = On\ndisable_functions =\nallow_url_include = Off\n")
    _w(root, f"{php}/conf.d/10-opcache.ini", "zend_extension=opcache.so\n")
    _w(
        root,
        "/etc/php/8.2/fpm/pool.d/www.conf",
        "[www]\nuser = www-data\ngroup = www-data\nlisten = /run/php/php8.2-fpm.sock\n",
    )
    tc = "/var/lib/tomcat10"
    _w(root, f"{tc}/conf/server.xml", _server_xml(rogue=False))
    _w(
        root,
        f"{tc}/conf/tomcat-users.xml",
        '<?xml version="1.0"?>\n<tomcat-users>\n</tomcat-users>\n',
    )
    _w(root, f"{tc}/webapps/ROOT/index.html", "<html>It works</html>\n")
    (root / "var/lib/tomcat10/lib").mkdir(parents=True, exist_ok=True)
    (root / "var/lib/tomcat10/lib").chmod(0o755)
    if clean:
        return
    # -- what an intruder left behind --
    _w(root, "/tmp/.cache/mod_authz_cache.so", ELF + b"rogue")
    _w(
        root,
        "/etc/apache2/mods-enabled/authz_cache.load",
        "LoadModule authz_cache_module /tmp/.cache/mod_authz_cache.so\n",
    )
    _w(root, f"{mods}/mod_headers2.so", ELF + b"unowned")
    _w(
        root,
        "/etc/apache2/mods-enabled/headers2.load",
        f"LoadModule headers2_module {mods}/mod_headers2.so\n",
    )
    _w(root, f"{mods}/mod_rewrite.so", ELF + b"patched")  # differs from dpkg's digest
    _w(root, "/etc/ld.so.preload", "/usr/local/lib/libnss_cache.so\n")
    _w(root, "/usr/local/lib/libnss_cache.so", ELF + b"preload")
    _w(
        root,
        "/var/www/html/uploads/.htaccess",
        (
            "AddType application/x-httpd-php .jpg .png\n"
            "php_value auto_prepend_file /var/www/html/uploads/avatar.jpg\n"
        ),
    )
    _w(root, "/var/www/html/uploads/avatar.jpg", "GIF89a<?php if(isset($_POST['k'])){echo 1;} ?>\n")
    _w(root, f"{php}/php.ini", "[PHP]\nengine = On\ndisable_functions =\nallow_url_include = On\n")
    _w(root, "/dev/shm/.x/pcntl.so", ELF + b"ext")
    _w(
        root,
        f"{php}/conf.d/99-zz.ini",
        "extension=/dev/shm/.x/pcntl.so\nauto_append_file=/var/tmp/.sess.php\n",
    )
    (root / ext_dir.lstrip("/")).chmod(0o777)
    (root / "etc/nginx/nginx.conf").chmod(0o666)
    _w(root, f"{tc}/conf/server.xml", _server_xml(rogue=True))
    _w(
        root,
        f"{tc}/conf/tomcat-users.xml",
        (
            '<?xml version="1.0"?>\n<tomcat-users>\n'
            '  <user username="admin" password="admin" roles="manager-gui,admin-gui"/>\n'
            "</tomcat-users>\n"
        ),
    )
    _w(root, f"{tc}/webapps/status.war", _war())
    _w(
        root,
        f"{tc}/webapps/portal/WEB-INF/web.xml",
        (
            '<?xml version="1.0"?>\n<web-app>\n  <filter>\n    <filter-name>trace</filter-name>\n'
            "    <filter-class>com.acme.trace.TraceFilter</filter-class>\n  </filter>\n</web-app>\n"
        ),
    )
    _w(root, "/var/lib/jenkins/init.groovy.d/00-users.groovy", "println 'start'\n")


def _server_xml(rogue: bool) -> str:
    valve = '        <Valve className="com.example.audit.RequestAuditValve" />\n' if rogue else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Server port="-1" shutdown="SHUTDOWN">\n'
        '  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />\n'
        '  <Service name="Catalina">\n    <Connector port="8080" protocol="HTTP/1.1" />\n'
        '    <Engine name="Catalina" defaultHost="localhost">\n'
        '      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true">\n'
        f"{valve}"
        '        <Valve className="org.apache.catalina.valves.AccessLogValve" directory="logs"'
        ' prefix="localhost_access_log" suffix=".txt" pattern="%h %l %u %t &quot;%r&quot; %s %b" />\n'
        "      </Host>\n    </Engine>\n  </Service>\n</Server>\n"
    )


def _war() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        archive.writestr("status.jsp", '<%@ page import="java.io.*" %><%= "ok" %>\n')
        archive.writestr("WEB-INF/web.xml", '<?xml version="1.0"?><web-app/>\n')
    return buf.getvalue()


# -- Windows -----------------------------------------------------------------------------

STOCK_GLOBAL_MODULES = (
    ("UriCacheModule", "cachuri.dll"),
    ("FileCacheModule", "cachfile.dll"),
    ("TokenCacheModule", "cachtokn.dll"),
    ("HttpCacheModule", "cachhttp.dll"),
    ("StaticCompressionModule", "compstat.dll"),
    ("DefaultDocumentModule", "defdoc.dll"),
    ("DirectoryListingModule", "dirlist.dll"),
    ("ProtocolSupportModule", "protsup.dll"),
    ("StaticFileModule", "static.dll"),
    ("AnonymousAuthenticationModule", "authanon.dll"),
    ("RequestFilteringModule", "modrqflt.dll"),
    ("CustomErrorModule", "custerr.dll"),
    ("HttpLoggingModule", "loghttp.dll"),
    ("IsapiFilterModule", "filter.dll"),
    ("IsapiModule", "isapi.dll"),
)


def _apphost(rogue: bool) -> str:
    mods = "".join(
        f'            <add name="{n}" image="%windir%\\System32\\inetsrv\\{d}" />\n'
        for n, d in STOCK_GLOBAL_MODULES
    )
    mods += (
        '            <add name="ManagedEngineV4.0_64bit" image="%windir%\\Microsoft.NET\\Framework64'
        '\\v4.0.30319\\webengine4.dll" preCondition="integratedMode,runtimeVersionv4.0,bitness64" />\n'
    )
    filters = (
        '            <filter name="ASP.Net_4.0_64bit" path="%windir%\\Microsoft.NET\\Framework64'
        '\\v4.0.30319\\aspnet_filter.dll" enableCache="true" preCondition="runtimeVersionv4.0,bitness64" />\n'
    )
    managed = (
        '            <add name="OutputCache" type="System.Web.Caching.OutputCacheModule" preCondition="managedHandler" />\n'
        '            <add name="Session" type="System.Web.SessionState.SessionStateModule" preCondition="managedHandler" />\n'
    )
    not_listed = "false"
    if rogue:
        mods += '            <add name="IsapiAuthModule" image="C:\\ProgramData\\Microsoft\\Crypto\\RSA\\iisrsa.dll" />\n'
        mods += '            <add name="UriCacheModuleEx" image="%windir%\\System32\\inetsrv\\cachuri64.dll" />\n'
        filters += (
            '            <filter name="AuthFilter" path="C:\\inetpub\\temp\\authfilter.dll" />\n'
        )
        managed += '            <add name="TelemetryModule" type="Contoso.Web.Telemetry.RequestModule, Contoso.Web" />\n'
        not_listed = "true"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n'
        "    <system.applicationHost>\n        <sites>\n"
        '            <site name="Default Web Site" id="1">\n'
        '                <application path="/">\n'
        '                    <virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" />\n'
        "                </application>\n"
        '                <logFile directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />\n'
        "            </site>\n        </sites>\n    </system.applicationHost>\n"
        "    <system.webServer>\n"
        f"        <globalModules>\n{mods}        </globalModules>\n"
        f"        <isapiFilters>\n{filters}        </isapiFilters>\n"
        f"        <modules>\n{managed}        </modules>\n"
        "        <security>\n"
        f'            <isapiCgiRestriction notListedIsapisAllowed="{not_listed}" notListedCgisAllowed="false" />\n'
        "        </security>\n"
        "    </system.webServer>\n</configuration>\n"
    )


STOCK_AGENTS = (
    (
        "Transport Rule Agent",
        "Microsoft.Exchange.MessagingPolicies.TransportRuleAgent.TransportRuleAgentFactory",
        "TransportRoles\\agents\\Rule\\Microsoft.Exchange.MessagingPolicies.TransportRuleAgent.dll",
    ),
    (
        "Malware Agent",
        "Microsoft.Exchange.Transport.Agent.Malware.MalwareAgentFactory",
        "TransportRoles\\agents\\Malware\\Microsoft.Exchange.Transport.Agent.Malware.dll",
    ),
    (
        "Journaling Agent",
        "Microsoft.Exchange.MessagingPolicies.Journaling.JournalAgentFactory",
        "TransportRoles\\agents\\Journaling\\Microsoft.Exchange.MessagingPolicies.Journaling.dll",
    ),
)


def _agents(rogue: bool) -> str:
    base = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"
    rows = [
        f'      <agent name="{n}" baseType="Microsoft.Exchange.Data.Transport.Routing.RoutingAgent" '
        f'classFactory="{c}" assemblyPath="{base}{p}" enabled="true" />\n'
        for n, c, p in STOCK_AGENTS
    ]
    if rogue:
        rows.append(
            '      <agent name="Transport Rules Agent" baseType="Microsoft.Exchange.Data.Transport.Routing.RoutingAgent" '
            f'classFactory="Mail.Filter.RulesAgentFactory" assemblyPath="{base}bin\\Microsoft.Exchange.Rules.Filter.dll" enabled="true" />\n'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <mexRuntime>\n'
        '    <monitoring>\n      <agentExecution timeLimitInMilliseconds="90000" />\n    </monitoring>\n'
        f"    <agentList>\n{''.join(rows)}    </agentList>\n  </mexRuntime>\n</configuration>\n"
    )


def unsigned_pe() -> bytes:
    """A minimal PE32+ header with an empty certificate directory: no code, no signature."""
    import struct

    dos = bytearray(0x40)
    dos[:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x40)
    coff = b"PE\0\0" + struct.pack("<HHIIIHH", 0x8664, 0, 0, 0, 0, 240, 0x2022)
    optional = bytearray(240)
    struct.pack_into("<H", optional, 0, 0x20B)  # PE32+
    struct.pack_into("<I", optional, 108, 16)  # 16 data directories, all empty
    return bytes(dos) + coff + bytes(optional)


def windows_host(root: Path, clean: bool) -> None:
    rogue = not clean
    _w(root, "/Windows/System32/inetsrv/config/applicationHost.config", _apphost(rogue))
    for _, dll in STOCK_GLOBAL_MODULES:
        _w(root, f"/Windows/System32/inetsrv/{dll}", b"MZ")
    _w(root, "/Windows/System32/termsrv.dll", b"MZ")
    _w(root, "/inetpub/wwwroot/iisstart.htm", "<html>IIS</html>\n")
    _w(
        root,
        "/Program Files/Microsoft/Exchange Server/V15/TransportRoles/Shared/agents.config",
        _agents(rogue),
    )
    hive = root / "Windows/System32/config/SYSTEM"
    hive.parent.mkdir(parents=True, exist_ok=True)
    if clean:
        hivegen.system_hive(hive, current=1)
        return
    _w(root, "/ProgramData/Microsoft/Crypto/RSA/iisrsa.dll", unsigned_pe())
    _w(root, "/Windows/System32/inetsrv/cachuri64.dll", unsigned_pe())
    _w(root, "/inetpub/temp/authfilter.dll", unsigned_pe())
    _w(
        root,
        "/Program Files/Microsoft/Exchange Server/V15/bin/Microsoft.Exchange.Rules.Filter.dll",
        b"MZ",
    )
    _w(root, "/Windows/Temp/tsvc.dll", b"MZ")
    hivegen.system_hive(
        hive,
        service_dll="C:\\Windows\\Temp\\tsvc.dll",
        initial_program="C:\\Windows\\Temp\\update.exe",
        startup="rdpclip,C:\\Windows\\Temp\\update.exe",
        permissive=True,
        current=2,
    )


# -- ESXi --------------------------------------------------------------------------------

VIB_ROWS = (
    ("atlantic", "1.0.3.0-8vmw.702.0.0.17867351", "VMW", "VMwareCertified", "2023-04-11"),
    ("brcmfcoe", "12.0.1500.1-2vmw.702.0.0.17867351", "VMW", "VMwareCertified", "2023-04-11"),
    ("dellemc-osname-idrac", "7.0.0-A00", "DEL", "PartnerSupported", "2023-04-11"),
    ("esx-base", "7.0.2-0.0.17867351", "VMware", "VMwareCertified", "2023-04-11"),
)


def _vib_table(rows: tuple[tuple[str, ...], ...]) -> str:
    widths = [
        max(
            len(r[i])
            for r in (("Name", "Version", "Vendor", "Acceptance Level", "Install Date"), *rows)
        )
        for i in range(5)
    ]
    head = ("Name", "Version", "Vendor", "Acceptance Level", "Install Date")
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return (
        "\n".join([line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]) + "\n"
    )


def esxi_host(root: Path, clean: bool) -> None:
    _w(root, "/etc/vmware/esx.conf", '/adv/Misc/HostName = "esx01"\n')
    rows = VIB_ROWS
    level = "PartnerSupported"
    log = (
        "2023-04-11T10:01:02Z esxupdate: 2101: INFO: --- Command: update Args: ['-m', 'dell.zip'] Options: {}\n"
        "2023-04-11T10:01:40Z esxupdate: 2101: INFO: All VIBs installed successfully.\n"
    )
    local = "#!/bin/sh\n# local configuration options\n# Note: modify at your own risk!\nexit 0\n"
    kernel = (
        "Name                Type  Configured  Runtime  Default  Description\n"
        "------------------  ----  ----------  -------  -------  -----------\n"
        "execInstalledOnly   Bool  TRUE        TRUE     FALSE    Only allow executing installed binaries\n"
    )
    if not clean:
        rows = (
            *rows,
            ("vmware-esx-sysmon", "1.2.0-1", "VMware-Tools", "CommunitySupported", "2024-02-03"),
        )
        level = "CommunitySupported"
        log += (
            "2024-02-03T22:14:09Z esxupdate: 5330: INFO: --- Command: update Args: "
            "['--no-sig-check', '-v', '/tmp/sysmon.vib'] Options: {'nosigcheck': True}\n"
            "2024-02-03T22:14:10Z esxupdate: 5330: WARNING: Attempting to install an image profile "
            "with validation disabled.\n"
        )
        local = local.replace("exit 0", "/bin/vmtoolsd-helper -d &\nexit 0")
        kernel = kernel.replace("TRUE        TRUE", "FALSE       FALSE")
    _w(root, "/esxcli/software_vib_list.txt", _vib_table(rows))
    _w(root, "/esxcli/software_acceptance_get.txt", level + "\n")
    _w(root, "/esxcli/system_settings_kernel_list.txt", kernel)
    _w(root, "/var/log/esxupdate.log", log)
    _w(root, "/etc/rc.local.d/local.sh", local, 0o755)


def build_components_lab(out: Path, clean: bool = False) -> dict[str, list[str]]:
    """Write the three roots under ``out`` and return {root name: expected check IDs}."""
    out.mkdir(parents=True, exist_ok=True)
    linux_host(out / "linux-host", clean)
    windows_host(out / "windows-host", clean)
    esxi_host(out / "esxi-host", clean)
    manifest = CLEAN_EXPECTED if clean else EXPECTED
    (out / "components.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return {k: list(v) for k, v in manifest.items()}


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    build_components_lab(Path(args[0]), clean="--clean" in sys.argv)
    print(os.path.abspath(args[0]))
