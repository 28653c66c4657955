"""Real Debian apache2, nginx, php-fpm and tomcat10 on loopback, with planted components.

The plants go into the live host layout (/etc/apache2, /etc/php, /etc/tomcat10, /var/lib/
tomcat10, /var/www/html) and are removed in ``finally``; each server is started on 127.0.0.1
with a test configuration that includes the real configuration tree, and a request proves
each plant is live: the compiled rogue Apache module loads, the .htaccess handler runs a .jpg
as PHP with a prepended file, PHP-FPM answers FastCGI with its pool's auto_prepend_file, the
compiled valve adds a header and the deployed WAR's JSP runs. Discovery must find each plant
at root ``/``, and again in a copy of the same tree given with ``--root``.
Under CI=true a server that cannot start fails the test; elsewhere it skips.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sscguard.detect.components import audit
from sscguard.targets import discover

pytestmark = pytest.mark.integration
IN_CI = os.environ.get("CI") == "true"
TOKEN = "sscgit"  # every planted name carries it, so cleanup is exact

MODULE_C = r"""
#include <stddef.h>
/* The layout of httpd 2.4's module structure (http_config.h), without its headers. */
typedef struct module_struct {
    int version; int minor_version; int module_index; const char *name;
    void *dynamic_load_handle; struct module_struct *next; unsigned long magic;
    void (*rewrite_args)(void *); void *(*create_dir_config)(void *, char *);
    void *(*merge_dir_config)(void *, void *, void *);
    void *(*create_server_config)(void *, void *);
    void *(*merge_server_config)(void *, void *, void *);
    const void *cmds; void (*register_hooks)(void *); int flags;
} module;
module sscgit_module = {20120211, 0, -1, "mod_sscgit.c", NULL, NULL, 0x41503234UL,
                        NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
"""

VALVE_JAVA = """
package com.example.sscgit;
import java.io.IOException;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
public class HeaderValve extends ValveBase {
    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        response.setHeader("X-Sscgit-Valve", "seen");
        getNext().invoke(request, response);
    }
}
"""


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, timeout: float = 20) -> tuple[str, dict[str, str]]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:  # loopback only
                return resp.read().decode("utf-8", "replace"), dict(resp.headers)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _wait_for(path: Path, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.1)
    return False


def _fastcgi_get(sock_path: str, script: str) -> str:
    """A minimal FastCGI client: one GET request, returns stdout."""

    def record(kind: int, content: bytes) -> bytes:
        return struct.pack(">BBHHBx", 1, kind, 1, len(content), 0) + content

    def pair(name: str, value: str) -> bytes:
        n, v = name.encode(), value.encode()
        return bytes([len(n), len(v)]) + n + v

    params = b"".join(
        pair(k, v)
        for k, v in {
            "SCRIPT_FILENAME": script,
            "SCRIPT_NAME": "/" + os.path.basename(script),
            "REQUEST_METHOD": "GET",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "GATEWAY_INTERFACE": "CGI/1.1",
        }.items()
    )
    payload = (
        record(1, struct.pack(">HB5x", 1, 0)) + record(4, params) + record(4, b"") + record(5, b"")
    )
    out = b""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(sock_path)
        s.sendall(payload)
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    while len(buf) >= 8:
        _, kind, _, length, padding = struct.unpack(">BBHHB", buf[:7])
        body = buf[8 : 8 + length]
        buf = buf[8 + length + padding :]
        if kind == 6:
            out += body
    return out.decode("utf-8", "replace")


@contextlib.contextmanager
def _process(
    argv: list[str], env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    handle = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        argv, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
        if log:
            handle.close()  # type: ignore[union-attr]


class Plants:
    """Files written into the live layout, with backups, removed in ``restore``."""

    def __init__(self) -> None:
        self.created: list[Path] = []
        self.backups: dict[Path, bytes] = {}

    def write(self, path: Path, data: str | bytes, mode: int = 0o644) -> Path:
        if path.exists() and path not in self.backups and path not in self.created:
            self.backups[path] = path.read_bytes()
        elif not path.exists():
            parent = path.parent
            missing = []
            while not parent.exists():
                missing.append(parent)
                parent = parent.parent
            parent_created = list(reversed(missing))
            for d in parent_created:
                d.mkdir()
                self.created.append(d)
            self.created.append(path)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        path.chmod(mode)
        return path

    def restore(self) -> None:
        for path, data in self.backups.items():
            path.write_bytes(data)
        for path in reversed(self.created):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _need(*paths: str) -> None:
    for p in paths:
        if not os.path.exists(p):
            _unavailable(f"{p} is missing: install the packages in .ci/apt/components.txt")
    if os.geteuid() != 0:
        _unavailable("the live-server test plants into /etc and must run as root")


def _war(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.jsp", '<%= "JSP-" + (6 * 7) %>\n')
        archive.writestr("WEB-INF/web.xml", '<?xml version="1.0"?><web-app/>\n')


def _copy_tree(dest: Path, paths: list[str]) -> None:
    for src in paths:
        target = dest / src.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if os.path.isdir(src) and not os.path.islink(src):
            shutil.copytree(src, target, symlinks=True, dirs_exist_ok=True)
        elif os.path.lexists(src):
            shutil.copy2(src, target, follow_symlinks=False)


def _ids_at(root: str) -> dict[str, set[str]]:
    inv = discover(root)
    prefix = "" if root == "/" else root.rstrip("/")
    out: dict[str, set[str]] = {}
    for f in audit(inv):
        out.setdefault(f.rule_id, set()).add(f.subject.path[len(prefix) :])
    return out


@contextlib.contextmanager
def _machine_lock() -> Iterator[None]:
    """This test plants files in /etc and /var/www: two runs on one machine (two worktrees)
    would trip over each other's plants, so they take turns."""
    with open("/tmp/sscguard-live-servers.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def test_planted_components_on_live_servers_are_found_live_and_under_root() -> None:
    with _machine_lock():
        _planted_components_found()


def _planted_components_found() -> None:
    started = time.monotonic()
    _need(
        "/usr/sbin/apache2",
        "/usr/sbin/nginx",
        "/usr/sbin/php-fpm8.2",
        "/usr/share/tomcat10/bin/catalina.sh",
        "/usr/bin/gcc",
        "/usr/bin/javac",
    )
    plants = Plants()
    tmp = Path(tempfile.mkdtemp(prefix=f"{TOKEN}-"))
    tmp.chmod(0o755)
    try:
        # -- the plants -------------------------------------------------------------------
        (tmp / "mod_sscgit.c").write_text(MODULE_C)
        module = tmp / "mod_sscgit.so"
        subprocess.run(
            ["gcc", "-shared", "-fPIC", "-o", str(module), str(tmp / "mod_sscgit.c")], check=True
        )
        plants.write(
            Path("/etc/apache2/mods-enabled/zz-sscgit.load"), f"LoadModule sscgit_module {module}\n"
        )
        uploads = Path(f"/var/www/html/{TOKEN}-uploads")
        prepend = plants.write(uploads / "banner.jpg", "GIF89a<?php echo 'PREPENDED-'; ?>")
        plants.write(uploads / "pic.jpg", "GIF89a<?php echo 'JPG-AS-PHP-' . (6 * 7); ?>")
        plants.write(
            uploads / ".htaccess",
            f"AddType application/x-httpd-php .jpg\nphp_value auto_prepend_file {prepend}\n",
        )
        fpm_prepend = tmp / "fpm-prepend.php"
        fpm_prepend.write_text("<?php echo 'FPM-PREPENDED-';")
        fpm_script = tmp / "index.php"
        fpm_script.write_text("<?php echo 'FPM-BODY';")
        fpm_sock = tmp / "fpm.sock"
        pool = plants.write(
            Path(f"/etc/php/8.2/fpm/pool.d/zz-{TOKEN}.conf"),
            (
                f"[{TOKEN}]\nuser = www-data\ngroup = www-data\nlisten = {fpm_sock}\n"
                "pm = static\npm.max_children = 1\n"
                f"php_admin_value[auto_prepend_file] = {fpm_prepend}\n"
            ),
        )
        (tmp / "valve").mkdir()
        src = tmp / "valve" / "HeaderValve.java"
        src.write_text(VALVE_JAVA)
        cp = ":".join(
            f"/usr/share/java/tomcat10-{n}.jar"
            for n in ("catalina", "servlet-api", "util", "coyote", "juli", "api")
        )
        subprocess.run(
            ["javac", "-d", str(tmp / "valve"), "-cp", cp, str(src)], check=True, timeout=120
        )
        valve_jar = plants.write(Path(f"/var/lib/tomcat10/lib/{TOKEN}-valve.jar"), b"")
        subprocess.run(
            ["jar", "cf", str(valve_jar), "-C", str(tmp / "valve"), "com"], check=True, timeout=120
        )
        server_xml = Path("/etc/tomcat10/server.xml")
        original = server_xml.read_text()
        planted_xml = original.replace(
            '<Valve className="org.apache.catalina.valves.AccessLogValve"',
            '<Valve className="com.example.sscgit.HeaderValve" />\n        '
            '<Valve className="org.apache.catalina.valves.AccessLogValve"',
            1,
        )
        assert planted_xml != original
        plants.write(server_xml, planted_xml, 0o640)
        war = Path(f"/var/lib/tomcat10/webapps/{TOKEN}.war")
        plants.created.append(war)
        _war(war)
        plants.created.append(Path(f"/var/lib/tomcat10/webapps/{TOKEN}"))

        # -- Apache -------------------------------------------------------------------------
        a_port = _port()
        (tmp / "apache.conf").write_text(
            "ServerRoot /etc/apache2\n"
            f"DefaultRuntimeDir {tmp}\nPidFile {tmp}/apache.pid\nErrorLog {tmp}/apache-error.log\n"
            f"Mutex file:{tmp} default\nUser www-data\nGroup www-data\nServerName localhost\n"
            "IncludeOptional mods-enabled/*.load\nIncludeOptional mods-enabled/*.conf\n"
            f"Listen 127.0.0.1:{a_port}\nDocumentRoot /var/www/html\n"
            "<Directory /var/www/html>\n  AllowOverride All\n  Require all granted\n</Directory>\n"
        )
        env = {
            **os.environ,
            "APACHE_LOG_DIR": str(tmp),
            "APACHE_RUN_DIR": str(tmp),
            "APACHE_LOCK_DIR": str(tmp),
        }
        with _process(
            ["apache2", "-X", "-f", str(tmp / "apache.conf")], env, tmp / "apache.out"
        ) as proc:
            try:
                body, _ = _get(f"http://127.0.0.1:{a_port}/{TOKEN}-uploads/pic.jpg")
            except OSError:
                err = tmp / "apache-error.log"
                _unavailable(
                    f"apache2 did not start (exit {proc.poll()}): "
                    f"{(tmp / 'apache.out').read_text()[-400:]} "
                    f"{err.read_text()[-400:] if err.exists() else ''}"
                )
            assert "PREPENDED-" in body and "JPG-AS-PHP-42" in body  # handler and prepend are live
            maps = Path(f"/proc/{proc.pid}/maps").read_text()
            assert str(module) in maps  # the rogue module is loaded in the running server

        # -- nginx --------------------------------------------------------------------------
        n_port = _port()
        (tmp / "nginx.conf").write_text(
            f"pid {tmp}/nginx.pid;\nerror_log {tmp}/nginx-error.log;\ndaemon off;\n"
            "include /etc/nginx/modules-enabled/*.conf;\nevents { worker_connections 16; }\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log {tmp}/nginx-access.log;\n"
            f"  server {{ listen 127.0.0.1:{n_port}; root /var/www/html; }}\n}}\n"
        )
        with _process(["nginx", "-c", str(tmp / "nginx.conf")], log=tmp / "nginx.out") as proc:
            try:
                _get(f"http://127.0.0.1:{n_port}/{TOKEN}-uploads/pic.jpg")
            except OSError:
                _unavailable(f"nginx did not start: {(tmp / 'nginx.out').read_text()[-400:]}")

        # -- PHP-FPM ------------------------------------------------------------------------
        (tmp / "php-fpm.conf").write_text(
            f"[global]\npid = {tmp}/fpm.pid\nerror_log = {tmp}/fpm.log\n"
            f"daemonize = no\ninclude = {pool}\n"
        )
        with _process(
            ["php-fpm8.2", "-F", "-y", str(tmp / "php-fpm.conf"), "-c", "/etc/php/8.2/fpm/php.ini"],
            log=tmp / "fpm.out",
        ):
            if not _wait_for(fpm_sock):
                _unavailable(f"php-fpm did not start: {(tmp / 'fpm.out').read_text()[-400:]}")
            assert _fastcgi_get(str(fpm_sock), str(fpm_script)).endswith("FPM-PREPENDED-FPM-BODY")

        # -- Tomcat (CATALINA_BASE in the temp dir, conf copied from the planted layout) ----
        t_port = _port()
        base = tmp / "catalina"
        shutil.copytree("/etc/tomcat10", base / "conf")
        xml = (
            (base / "conf" / "server.xml")
            .read_text()
            .replace('port="8080"', f'port="{t_port}" address="127.0.0.1"')
        )
        (base / "conf" / "server.xml").write_text(xml)
        for d in ("lib", "webapps", "logs", "work", "temp"):
            (base / d).mkdir()
        shutil.copy(valve_jar, base / "lib")
        shutil.copy(war, base / "webapps")
        tenv = {
            **os.environ,
            "CATALINA_HOME": "/usr/share/tomcat10",
            "CATALINA_BASE": str(base),
            "CATALINA_TMPDIR": str(base / "temp"),
            "CATALINA_PID": str(base / "pid"),
        }
        with _process(["/usr/share/tomcat10/bin/catalina.sh", "run"], tenv, tmp / "tomcat.out"):
            try:
                body, headers = _get(f"http://127.0.0.1:{t_port}/{TOKEN}/hello.jsp", timeout=60)
            except OSError:
                _unavailable(f"tomcat10 did not start: {(tmp / 'tomcat.out').read_text()[-600:]}")
            assert "JSP-42" in body and headers.get("X-Sscgit-Valve") == "seen"

        # -- discovery on the live layout ---------------------------------------------------
        expected = {
            "SSC-004-001": str(module),
            "SSC-004-002": str(valve_jar),
            "SSC-003-101": f"{uploads}/.htaccess",
            "SSC-003-100": str(fpm_prepend),
            "SSC-004-010": "/var/lib/tomcat10/conf/server.xml",  # conf -> /etc/tomcat10
            "SSC-004-012": str(war),
        }
        live = _ids_at("/")
        for rule, path in expected.items():
            assert path in live.get(rule, set()), (rule, path, live.get(rule))
        assert str(prepend) in live["SSC-003-100"]

        # -- the same tree copied under a folder, audited with --root -----------------------
        image = tmp / "image"
        _copy_tree(
            image,
            [
                "/etc/apache2",
                "/etc/nginx",
                "/etc/php",
                "/etc/tomcat10",
                "/etc/passwd",
                "/etc/group",
                "/var/lib/tomcat10",
                "/usr/share/tomcat10",
                "/usr/share/tomcat10-admin",
                "/usr/lib/apache2/modules",
                "/usr/lib/php",
                "/var/www/html",
                "/var/lib/dpkg/info",
                "/var/lib/dpkg/status",
                str(module),
                str(fpm_prepend),
            ],
        )
        rooted = _ids_at(str(image))
        for rule, path in expected.items():
            assert path in rooted.get(rule, set()), (rule, path, rooted.get(rule))
    finally:
        plants.restore()
        shutil.rmtree(tmp, ignore_errors=True)
    assert not Path(f"/etc/apache2/mods-enabled/zz-{TOKEN}.load").exists()
    assert time.monotonic() - started < 180
