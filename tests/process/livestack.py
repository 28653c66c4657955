"""Helpers for the live process tests: real servers: nginx + php-fpm and PostgreSQL on loopback.

Each server runs from a private temporary folder (configs, sockets, logs, pid files), listens
on 127.0.0.1 only, and is stopped with everything it started (children included) at the end.
Under CI (CI=true) a server that cannot start fails the test; elsewhere the test is skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest

IN_CI = os.environ.get("CI") == "true"


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"server could not start under CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], object], timeout: float = 10.0, step: float = 0.05) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def kill_tree(pid: int) -> None:
    """SIGKILL a process and every descendant. Each process is frozen (SIGSTOP) before its
    children are listed, so a master cannot respawn workers or a shell start new children."""
    frozen: list[psutil.Process] = []
    pending = [pid]
    while pending:
        try:
            proc = psutil.Process(pending.pop())
            proc.send_signal(signal.SIGSTOP)
            frozen.append(proc)
            pending.extend(child.pid for child in proc.children())
        except psutil.NoSuchProcess:
            continue
    for proc in frozen:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(signal.SIGKILL)
    psutil.wait_procs(frozen, timeout=1)  # zombies reparented to init may linger; all are dead


def foreign_children(master: int, own_names: tuple[str, ...]) -> list[psutil.Process]:
    """Descendants of a server that are not the server itself (what the tests make it start)."""
    try:
        procs = psutil.Process(master).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            if not any(os.path.basename(proc.exe()).startswith(n) for n in own_names):
                out.append(proc)
    return out


def reap(master: int, own_names: tuple[str, ...]) -> None:
    for proc in foreign_children(master, own_names):
        kill_tree(proc.pid)


def private_dir(prefix: str) -> Path:
    """A temporary folder other users can traverse (the servers' workers run as nobody)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def fetch_in_background(url: str, timeout: float = 40.0) -> threading.Thread:
    def get() -> None:
        with contextlib.suppress(Exception):
            urllib.request.urlopen(url, timeout=timeout).read()

    thread = threading.Thread(target=get, daemon=True)
    thread.start()
    return thread


# -- nginx + php-fpm ---------------------------------------------------------------------


def php_fpm_binary() -> str | None:
    for name in ("php-fpm8.2", "php-fpm", "php-fpm8.3", "php-fpm8.1"):
        found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
        if found:
            return found
    return None


@dataclass
class WebStack:
    root: Path
    port: int
    nginx_master: int = 0
    fpm_master: int = 0
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def reap(self) -> None:
        reap(self.fpm_master, ("php-fpm",))
        reap(self.nginx_master, ("nginx",))

    def stop(self) -> None:
        for proc in self.procs:
            kill_tree(proc.pid)
            with contextlib.suppress(Exception):
                proc.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)


NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
user nobody nogroup;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
        location ~ \\.php$ {{
            fastcgi_pass unix:{root}/fpm.sock;
            fastcgi_read_timeout 60s;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_param QUERY_STRING $query_string;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param CONTENT_TYPE $content_type;
            fastcgi_param CONTENT_LENGTH $content_length;
            fastcgi_param SCRIPT_NAME $fastcgi_script_name;
            fastcgi_param REQUEST_URI $request_uri;
            fastcgi_param SERVER_PROTOCOL $server_protocol;
            fastcgi_param REMOTE_ADDR $remote_addr;
            fastcgi_param SERVER_NAME $server_name;
            fastcgi_param SERVER_PORT $server_port;
        }}
    }}
}}
"""

FPM_CONF = """\
[global]
pid = {root}/fpm.pid
error_log = {root}/fpm.log
daemonize = no

[www]
user = nobody
group = nogroup
listen = {root}/fpm.sock
listen.owner = nobody
listen.group = nogroup
listen.mode = 0660
pm = static
pm.max_children = 2
catch_workers_output = yes
"""

# A test web shell: runs a shell command through PHP's system(), as real shells do.
SHELL_PHP = "<?php system(\"sh -c 'sleep 30'\"); echo 'done';\n"
# A test "reverse connection": the worker itself connects out and holds the socket.
CONNECT_PHP = textwrap.dedent(
    """\
    <?php
    $s = fsockopen('127.0.0.1', (int)$_GET['port'], $errno, $errstr, 5);
    fwrite($s, "hello\\n");
    sleep(30);
    """
)
INDEX_PHP = "<?php echo 'ok';\n"


def start_web(env: dict[str, str] | None = None) -> WebStack:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    fpm = php_fpm_binary()
    if not nginx or not fpm:
        unavailable("nginx or php-fpm is not installed (see .ci/apt/process.txt)")
    assert nginx and fpm
    root = private_dir("sscguard-web-")
    (root / "tmp").mkdir()
    www = root / "www"
    www.mkdir()
    for name, text in (
        ("shell.php", SHELL_PHP),
        ("connect.php", CONNECT_PHP),
        ("index.php", INDEX_PHP),
    ):
        (www / name).write_text(text)
    port = free_port()
    (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=port))
    (root / "fpm.conf").write_text(FPM_CONF.format(root=root))
    stack = WebStack(root=root, port=port)
    run_env = {**os.environ, **(env or {})}
    try:
        fpm_proc = subprocess.Popen(
            [fpm, "-F", "-y", str(root / "fpm.conf"), "-R"],
            env=run_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.procs.append(fpm_proc)
        stack.fpm_master = fpm_proc.pid
        if not wait_for((root / "fpm.sock").exists):
            raise RuntimeError("php-fpm did not create its socket: " + _tail(root / "fpm.log"))
        nginx_proc = subprocess.Popen(
            [nginx, "-p", str(root), "-c", str(root / "nginx.conf")],
            env=run_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.procs.append(nginx_proc)
        stack.nginx_master = nginx_proc.pid

        def answers() -> bool:
            try:
                with urllib.request.urlopen(stack.url("index.php"), timeout=2) as resp:
                    return bool(resp.read() == b"ok")
            except OSError:
                return False

        if not wait_for(answers, timeout=15, step=0.1):
            raise RuntimeError("nginx/php-fpm did not answer: " + _tail(root / "nginx-error.log"))
    except Exception as exc:
        stack.stop()
        unavailable(f"could not start nginx + php-fpm: {exc}")
    return stack


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-500:]
    except OSError:
        return "(no log)"


# -- PostgreSQL --------------------------------------------------------------------------


def pg_bindir() -> Path | None:
    base = Path("/usr/lib/postgresql")
    if base.is_dir():
        for version in sorted(base.iterdir(), reverse=True):
            if (version / "bin" / "initdb").exists():
                return version / "bin"
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


@dataclass
class PgCluster:
    root: Path
    port: int
    bindir: Path
    postmaster: int = 0

    def as_postgres(self, *argv: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *argv],
            capture_output=True,
            timeout=60,
            check=False,
            **kwargs,  # type: ignore[arg-type]
        )

    def psql_background(self, sql: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            ["runuser", "-u", "postgres", "--", "psql", "-h", str(self.root), "-p",
             str(self.port), "-d", "postgres", "-X", "-q", "-c", sql],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip


@contextlib.contextmanager
def running_postgres() -> Iterator[PgCluster]:
    if os.geteuid() != 0:
        unavailable("the PostgreSQL test runs initdb as the postgres user (needs root)")
    bindir = pg_bindir()
    if bindir is None or not shutil.which("runuser"):
        unavailable("PostgreSQL server binaries are not installed (see .ci/apt/process.txt)")
    assert bindir is not None
    root = private_dir("sscguard-pg-")
    shutil.chown(root, "postgres", "postgres")
    cluster = PgCluster(root=root, port=free_port(), bindir=bindir)
    data = root / "data"
    try:
        result = cluster.as_postgres(
            str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr.decode(errors="replace")[-500:])
        options = f"-p {cluster.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        result = cluster.as_postgres(
            str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "pg.log"),
            "-w", "-t", "30", "start",
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(
                result.stderr.decode(errors="replace")[-500:] + _tail(root / "pg.log")
            )
        cluster.postmaster = int((data / "postmaster.pid").read_text().split()[0])
    except Exception as exc:
        _stop_pg(cluster)
        unavailable(f"could not start PostgreSQL: {exc}")
    try:
        yield cluster
    finally:
        _stop_pg(cluster)


def _stop_pg(cluster: PgCluster) -> None:
    if cluster.postmaster:
        reap(cluster.postmaster, ("postgres",))
    data = cluster.root / "data"
    if (data / "postmaster.pid").exists():
        cluster.as_postgres(
            str(cluster.bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"
        )
    if cluster.postmaster:
        kill_tree(cluster.postmaster)
    shutil.rmtree(cluster.root, ignore_errors=True)


def _top_conftest() -> Any:
    """tests/conftest.py as a module (its name clashes with this folder's conftest.py)."""
    import importlib.util
    import sys

    name = "sscguard_tests_top_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).parents[1] / "conftest.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def run_as_nobody(fn: Callable[[], Any]) -> Any:
    """The shared ``run_as_nobody`` helper from tests/conftest.py."""
    return _top_conftest().run_as_nobody(fn)
