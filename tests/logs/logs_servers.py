"""Fixtures for the log tests: a real nginx + php-fpm on loopback, in a temporary directory."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
FPM_CANDIDATES = ("php-fpm8.2", "php-fpm8.3", "php-fpm8.1", "php-fpm")


def _fpm() -> str | None:
    for name in FPM_CANDIDATES:
        found = shutil.which(name) or (
            f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None
        )
        if found:
            return found
    return None


def unavailable(reason: str) -> None:
    """Under CI a server that cannot start is a failure; elsewhere the test is skipped."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"integration server unavailable under CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class WebServer:
    port: int
    root: Path
    access_log: Path
    www: Path

    def request(
        self,
        method: str,
        path: str,
        client: str = "127.0.0.1",
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(client, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()


NGINX_CONF = """
daemon off;
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log combined;
    client_body_temp_path {tmp}/body;
    fastcgi_temp_path {tmp}/fastcgi;
    proxy_temp_path {tmp}/proxy;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; text/css css; image/png png; }}
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        index index.php index.html;
        location ~ \\.php$ {{
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_pass unix:{tmp}/fpm.sock;
        }}
    }}
}}
"""

FPM_CONF = """
[global]
pid = {tmp}/fpm.pid
error_log = {tmp}/fpm.log
daemonize = no
[www]
{user}
listen = {tmp}/fpm.sock
pm = static
pm.max_children = 2
"""


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture()
def nginx_php(tmp_path: Path) -> Iterator[WebServer]:
    fpm = _fpm()
    if not os.path.exists(NGINX) or fpm is None:
        unavailable("nginx or php-fpm is not installed (see .ci/apt/logs.txt)")
    assert fpm is not None
    www = tmp_path / "www"
    www.mkdir()
    (www / "uploads").mkdir()
    port = free_port()
    root = os.geteuid() == 0
    if root:
        os.chmod(www / "uploads", 0o777)
    nginx_conf = tmp_path / "nginx.conf"
    nginx_conf.write_text(
        NGINX_CONF.format(tmp=tmp_path, port=port, user="user root;" if root else "")
    )
    fpm_conf = tmp_path / "fpm.conf"
    fpm_conf.write_text(
        FPM_CONF.format(tmp=tmp_path, user="user = root\ngroup = root" if root else "")
    )
    fpm_cmd = [fpm, "-F", "-y", str(fpm_conf), "-n"] + (["-R"] if root else [])
    fpm_proc = subprocess.Popen(fpm_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while not (tmp_path / "fpm.sock").exists() and time.monotonic() < deadline:
        if fpm_proc.poll() is not None:
            break
        time.sleep(0.05)
    if not (tmp_path / "fpm.sock").exists():
        _stop(fpm_proc)
        err = fpm_proc.stderr.read().decode(errors="replace") if fpm_proc.stderr else ""
        unavailable(f"php-fpm did not start: {err[-500:]}")
    nginx_proc = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(nginx_conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        if not _wait_port(port, nginx_proc):
            err = (
                nginx_proc.stderr.read().decode(errors="replace")
                if nginx_proc.poll() is not None and nginx_proc.stderr
                else ""
            )
            unavailable(f"nginx did not start on 127.0.0.1:{port}: {err[-500:]}")
        yield WebServer(port, tmp_path, tmp_path / "access.log", www)
    finally:
        _stop(nginx_proc)
        _stop(fpm_proc)
