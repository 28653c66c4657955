"""``sscguard processes`` against real nginx + php-fpm and PostgreSQL on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from process.livestack import (
    PgCluster,
    WebStack,
    fetch_in_background,
    foreign_children,
    kill_tree,
    private_dir,
    start_web,
    unavailable,
    wait_for,
)

pytestmark = pytest.mark.integration


def findings(run: Callable[..., Any], *pids: int) -> list[dict[str, Any]]:
    argv = ["processes", "--format", "json", "--min-severity", "info"]
    for pid in pids:
        argv += ["--pid", str(pid)]
    result = run(*argv)
    assert result.code in (0, 1), result.err
    doc = result.json()
    assert result.code == (1 if doc["findings"] else 0)
    return list(doc["findings"])


def child_named(master: int, own: str, name: str) -> Any:
    return wait_for(
        lambda: [p for p in foreign_children(master, (own,)) if p.name() == name], timeout=15
    )


def test_clean_web_stack_has_no_findings(run: Callable[..., Any], web: WebStack) -> None:
    assert findings(run, web.nginx_master, web.fpm_master) == []


def test_web_shell_lineage_php_fpm_sh_sleep(run: Callable[..., Any], web: WebStack) -> None:
    fetch_in_background(web.url("shell.php"))
    sleeping = child_named(web.fpm_master, "php-fpm", "sleep")
    assert sleeping, "the test shell did not start sh -c 'sleep 30'"
    try:
        found = findings(run, web.nginx_master, web.fpm_master)
        shells = [f for f in found if f["rule_id"] == "SSC-003-300"]
        assert len(shells) == 1, found
        shell = shells[0]
        assert shell["severity"] == "high"
        assert shell["attack"][0]["technique"] == "T1505.003"
        assert shell["attack"][0]["data_component"] == "DS0009 Process Creation"
        hops = [e for e in shell["evidence"] if e["kind"] == "process"]
        exes = [e["detail"].split(" exe=")[1].split(" ")[0] for e in hops]
        assert exes[:2] == ["/usr/sbin/php-fpm8.2"] * 2 or all("php-fpm" in x for x in exes[:2])
        assert hops[0]["location"]["path"] == f"proc://{web.fpm_master}"
        worker = hops[1]
        # the request-serving worker: a child of the master, running as nobody, in the web root
        assert "user=nobody" in worker["detail"]
        assert f"cwd={web.root}/www" in worker["detail"]
        assert hops[2]["detail"].split(" exe=")[1].startswith("/usr/bin/dash")
        children = [e for e in shell["evidence"] if e["kind"] == "process-child"]
        assert any(e["excerpt"] == "sleep 30" for e in children)
        lineage = shell["evidence"][0]["excerpt"]
        assert lineage.startswith(f"php-fpm8.2[{web.fpm_master}] -> php-fpm8.2[")
        assert "-> dash[" in lineage and "sleep[" in lineage
        assert "kill -STOP" in shell["remediation"]
    finally:
        web.reap()


def test_worker_connecting_out_is_reported(run: Callable[..., Any], web: WebStack) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(15)
        port = listener.getsockname()[1]
        fetch_in_background(web.url(f"connect.php?port={port}"))
        conn, (_addr, worker_port) = listener.accept()
        with conn:
            found = findings(run, web.nginx_master, web.fpm_master)
    outbound = [f for f in found if f["rule_id"] == "SSC-003-306"]
    assert len(outbound) == 1, found
    evidence = outbound[0]["evidence"][0]
    assert evidence["excerpt"] == f"tcp 127.0.0.1:{worker_port} -> 127.0.0.1:{port} ESTABLISHED"
    assert outbound[0]["subject"]["path"].endswith("/usr/sbin/php-fpm8.2")
    assert outbound[0]["attack"][0]["data_component"] == "DS0029 Network Connection Creation"
    web.reap()


def test_ld_preload_library_in_server_environment(run: Callable[..., Any], tmp_path: Path) -> None:
    if not (gcc := shutil.which("gcc")):
        unavailable("gcc is not installed (see .ci/apt/base.txt)")
    source = tmp_path / "hook.c"
    source.write_text("__attribute__((constructor)) static void hook(void) {}\n")
    libdir = private_dir("sscguard-preload-")
    library = libdir / "libhook.so"
    subprocess.run(
        [gcc, "-shared", "-fPIC", "-o", str(library), str(source)], check=True, timeout=60
    )
    library.chmod(0o755)
    stack = start_web(env={"LD_PRELOAD": str(library)})
    try:
        found = findings(run, stack.nginx_master, stack.fpm_master)
    finally:
        stack.stop()
        shutil.rmtree(libdir, ignore_errors=True)
    preload = [f for f in found if f["rule_id"] == "SSC-004-300"]
    # reported at each master, not again at every worker that inherited it
    assert sorted(f["subject"]["path"] for f in preload) == sorted(
        [
            f"proc://{stack.nginx_master}/usr/sbin/nginx",
            f"proc://{stack.fpm_master}/usr/sbin/php-fpm8.2",
        ]
    )
    assert all(f"LD_PRELOAD={library}" in f["evidence"][0]["excerpt"] for f in preload)
    assert all(f["severity"] == "high" and f["confidence"] == "high" for f in preload)
    mapped = [f for f in found if f["rule_id"] == "SSC-004-301"]
    assert mapped and all(f["subject"]["path"].endswith(f"#{library}") for f in mapped)


def test_postgres_copy_from_program(run: Callable[..., Any], postgres: PgCluster) -> None:
    assert findings(run, postgres.postmaster) == []
    client = postgres.psql_background(
        "CREATE TEMP TABLE t (x text); COPY t FROM PROGRAM 'sleep 30'"
    )
    try:
        assert child_named(postgres.postmaster, "postgres", "sleep")
        found = findings(run, postgres.postmaster)
        shells = [f for f in found if f["rule_id"] == "SSC-001-300"]
        assert len(shells) == 1, found
        shell = shells[0]
        assert shell["attack"][0]["technique"] == "T1505.001"
        hops = [e for e in shell["evidence"] if e["kind"] == "process"]
        assert hops[0]["location"]["path"] == f"proc://{postgres.postmaster}"
        assert "COPY" in hops[1]["excerpt"]  # the backend's title names the statement
        assert hops[2]["excerpt"] == "sh -c sleep 30"
        assert "/bin/postgres" in hops[1]["detail"]
    finally:
        kill_tree(client.pid)
        client.wait(timeout=10)
