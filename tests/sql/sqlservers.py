"""Throwaway PostgreSQL and MariaDB servers for the integration tests.

Each server lives in a fresh temporary directory, listens on 127.0.0.1 on a free port (and a
Unix socket in that directory), runs as the packages' service user when the tests run as root,
and is stopped (and its directory removed) by ``stop()``. Under CI=true a server that cannot
start fails the test; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"integration server unavailable under CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_user(name: str) -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _tempdir(prefix: str, owner: pwd.struct_passwd | None) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    if owner is not None:
        os.chown(path, owner.pw_uid, owner.pw_gid)
    return path


def _run(cmd: list[str], user: pwd.struct_passwd | None, **kw: Any) -> str:
    result = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=120,
        user=user.pw_uid if user else None,
        group=user.pw_gid if user else None,
        extra_groups=[] if user else None,
        check=False,
        **kw,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result.stdout[-800:]} {result.stderr[-800:]}")
    return result.stdout


# -- PostgreSQL ------------------------------------------------------------------------------

SUPERUSER_PASSWORD = "s3cret-Pg-Hunter2"


class PostgresServer:
    def __init__(self) -> None:
        self.bindir = self._bindir()
        self.user = _service_user("postgres")
        self.dir = _tempdir("sscguard-pg-", self.user)
        self.data = self.dir / "data"
        self.port = free_port()
        self.started = False

    @staticmethod
    def _bindir() -> Path:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            path = shutil.which("initdb")
            if path is None:
                unavailable("PostgreSQL server binaries (initdb) are not installed")
            return Path(str(path)).resolve().parent
        return Path(found[-1]).parent

    def start(self) -> None:
        pwfile = self.dir / "pw"
        pwfile.write_text(SUPERUSER_PASSWORD + "\n")
        if self.user:
            os.chown(pwfile, self.user.pw_uid, self.user.pw_gid)
        _run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--pwfile",
                str(pwfile),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            self.user,
        )
        pwfile.unlink()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.dir} "
            "-c fsync=off -c shared_buffers=16MB -c max_connections=20"
        )
        _run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.dir / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            self.user,
        )
        self.started = True

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(Exception):
                _run(
                    [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                    self.user,
                )
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def psql(self, *statements: str, db: str = "postgres") -> str:
        """Run statements one by one (each -c is its own transaction) as the superuser."""
        cmd = [str(self.bindir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        cmd += ["-h", str(self.dir), "-p", str(self.port), "-U", "postgres", "-d", db]
        for statement in statements:
            cmd += ["-c", statement]
        return _run(cmd, self.user)

    def psql_file(self, sql_text: str, *extra: str, db: str = "postgres") -> str:
        """Run a script with psql as a user would (errors go on, as the docs say)."""
        pack = self.dir / "pack.sql"
        out = self.dir / "catalog.out"
        pack.write_text(sql_text)
        pack.chmod(0o644)
        cmd = [str(self.bindir / "psql"), "-X", "-q", *extra, "-h", str(self.dir)]
        cmd += ["-p", str(self.port), "-U", "postgres", "-d", db, "-f", str(pack), "-o", str(out)]
        _run(cmd, self.user)
        return out.read_text()

    def dsn(self, user: str = "postgres", password: str | None = None, db: str = "postgres") -> str:
        auth = f"{user}:{password}@" if password else f"{user}@"
        return f"postgresql://{auth}127.0.0.1:{self.port}/{db}"


# -- MariaDB ---------------------------------------------------------------------------------


class MariaServer:
    def __init__(self) -> None:
        self.mariadbd = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
        self.install_db = shutil.which("mariadb-install-db")
        if not os.path.exists(self.mariadbd) or self.install_db is None:
            unavailable("MariaDB server (mariadbd, mariadb-install-db) is not installed")
        self.user = _service_user("mysql")
        self.dir = _tempdir("sscguard-my-", self.user)
        self.data = self.dir / "data"
        self.socket = self.dir / "sock"
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def install(self) -> None:
        cmd = [
            str(self.install_db),
            "--no-defaults",
            f"--datadir={self.data}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ]
        if self.user:
            cmd.append("--user=mysql")
        _run(cmd, None)

    def start(self, *extra: str) -> None:
        cmd = [
            self.mariadbd,
            "--no-defaults",
            f"--datadir={self.data}",
            f"--socket={self.socket}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={self.dir / 'pid'}",
            f"--log-error={self.dir / 'error.log'}",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=16M",
            "--skip-name-resolve",
            *extra,
        ]
        if self.user:
            cmd.append("--user=mysql")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = (self.dir / "error.log").read_text(errors="replace")[-1500:]
                raise RuntimeError(f"mariadbd exited with {self.proc.returncode}: {log}")
            try:
                self.connect().close()
                return
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("mariadbd did not accept connections within 60 s")

    def connect(self) -> Any:
        import pymysql

        return pymysql.connect(
            unix_socket=str(self.socket), user="root", password="", autocommit=True
        )

    def sql(self, *statements: str) -> list[tuple[Any, ...]]:
        conn = self.connect()
        try:
            rows: list[tuple[Any, ...]] = []
            with conn.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
                    rows = list(cur.fetchall())
            return rows
        finally:
            conn.close()

    def stop_server(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        self.stop_server()
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, pack: Path, out: Path) -> None:
        client = shutil.which("mariadb") or shutil.which("mysql")
        if client is None:
            unavailable("the mariadb client is not installed")
        with pack.open("rb") as stdin, out.open("wb") as stdout:
            result = subprocess.run(
                [
                    str(client),
                    "--no-defaults",
                    "--batch",
                    "--raw",
                    "--skip-column-names",
                    f"--socket={self.socket}",
                    "-u",
                    "root",
                ],
                stdin=stdin,
                stdout=stdout,
                stderr=subprocess.PIPE,
                timeout=60,
                check=False,
            )
        if result.returncode != 0:
            raise RuntimeError(result.stderr.decode(errors="replace"))

    def dsn(self, user: str, password: str) -> str:
        return f"mysql://{user}:{password}@127.0.0.1:{self.port}/"
