"""Vanishing processes, denied access, parsers, baseline, proc connector, log tail, CLI."""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import sscguard.scan  # noqa: F401  (imported before dropping privileges in run_as_nobody)
from process.livestack import WebStack, fetch_in_background, run_as_nobody
from sscguard.detect.process import Observations
from sscguard.extract import processes as px
from sscguard.extract.dpkg import DpkgOwners
from sscguard.live import baseline, netlink
from sscguard.live.hunt import HuntOptions, hunt
from sscguard.live.logtail import LogTail
from sscguard.model import SkipCode

# -- vanishing and denied ----------------------------------------------------------------


def test_process_that_exits_between_listing_and_inspection() -> None:
    child = subprocess.Popen(["sleep", "30"])
    try:
        snap = px.list_processes()
        assert child.pid in snap.nodes
    finally:
        child.kill()
        child.wait()
    px.inspect(snap, [child.pid])
    node = snap.nodes[child.pid]
    assert "vanished during inspection" in node.problems
    assert [s.code for s in snap.skipped if s.source.startswith(f"proc://{child.pid} ")] == [
        SkipCode.VANISHED
    ]
    assert px.read_node(child.pid) is None


def test_short_lived_servers_churning_during_scans() -> None:
    """Processes named as servers appear and exit while scans run: no exception, ever."""
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            subprocess.run(["sh", "-c", "true; true"], check=False)

    thread = threading.Thread(target=churn, daemon=True)
    thread.start()
    try:
        for _ in range(15):
            doc, _obs = hunt(HuntOptions(servers=("sh", "dash", "true")))
            assert all(s.code is not SkipCode.ERROR for s in doc.skipped)
    finally:
        stop.set()
        thread.join(timeout=10)


@pytest.mark.integration
def test_inspection_as_nobody_reports_unreadable(web: WebStack) -> None:
    """An unprivileged run cannot read root's server processes: reported, not a traceback."""
    options = HuntOptions(pids=(web.nginx_master, web.fpm_master))

    def scan() -> dict[str, Any]:
        doc, _ = hunt(options)
        return doc.to_dict()

    doc = run_as_nobody(scan)
    unreadable = [s for s in doc["skipped"] if s["code"] == "unreadable"]
    assert any(s["source"].startswith(f"proc://{web.fpm_master} ") for s in unreadable)
    assert doc["stats"]["servers"] >= 2


# -- parsers -----------------------------------------------------------------------------


def test_parse_net_ipv4_and_ipv6() -> None:
    v4 = (
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 "
        "       0 12345 1 0000000000000000 100 0 0 10 0\n"
        "   1: 0100007F:A0F2 0A01A8C0:115C 01 00000000:00000000 00:00000000 00000000    33 "
        "       0 12346 1 0000000000000000 20 4 30 10 -1\n"
    )
    table = px.parse_net(v4, "tcp")
    assert table[12345].describe() == "tcp listening on 127.0.0.1:8080"
    assert table[12346].describe() == "tcp 127.0.0.1:41202 -> 192.168.1.10:4444 ESTABLISHED"
    v6 = (
        "  sl  local_address remote_address st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 "
        "10 0\n"
    )
    assert px.parse_net(v6, "tcp6")[777].describe() == "tcp6 listening on [::1]:80"


def test_parse_maps_merges_and_marks_deleted() -> None:
    text = (
        "55d0-55e0 r--p 00000000 fe:00 10 /usr/sbin/nginx\n"
        "55e0-55f0 r-xp 00001000 fe:00 10 /usr/sbin/nginx\n"
        "7f00-7f10 r-xp 00000000 fe:00 11 /tmp/x.so (deleted)\n"
        "7f10-7f20 rw-p 00000000 00:00 0 \n"
        "7f20-7f30 r-xp 00000000 00:01 99 /memfd:stage (deleted)\n"
        "7ffd-7ffe rw-p 00000000 00:00 0 [stack]\n"
    )
    maps = {m.path: m for m in px.parse_maps(text)}
    assert set(maps) == {"/usr/sbin/nginx", "/tmp/x.so", "/memfd:stage"}
    assert maps["/usr/sbin/nginx"].perms == "rx" and not maps["/usr/sbin/nginx"].deleted
    assert maps["/tmp/x.so"].deleted and maps["/tmp/x.so"].executable


def test_loader_env_keeps_only_loader_variables() -> None:
    block = b"PATH=/usr/bin\0DB_PASSWORD=secret\0LD_PRELOAD=/tmp/a.so\0LD_AUDIT=/x.so\0"
    assert px.parse_loader_env(block) == (("LD_PRELOAD", "/tmp/a.so"), ("LD_AUDIT", "/x.so"))
    assert px.environ_wiped(b"nginx: master process\0\0\0")
    assert not px.environ_wiped(block)
    heap = b"\x00junk\x00LD_PRELOAD=/tmp/h.so\x00XLD_PRELOAD=nope\x00"
    assert px.loader_env_in(heap) == (("LD_PRELOAD", "/tmp/h.so"),)


def test_dpkg_owner_with_merged_usr(tmp_path: Path) -> None:
    info = tmp_path / "var/lib/dpkg/info"
    info.mkdir(parents=True)
    (info / "libc6:amd64.list").write_text("/.\n/lib/x86_64-linux-gnu/libc.so.6\n")
    (info / "nginx.list").write_text("/usr/sbin/nginx\n")
    owners = DpkgOwners(str(tmp_path))
    assert owners.owner("/usr/lib/x86_64-linux-gnu/libc.so.6") == "libc6:amd64"
    assert owners.owners(["/usr/sbin/nginx", "/usr/lib/evil.so"]) == {
        "/usr/sbin/nginx": "nginx",
        "/usr/lib/evil.so": None,
    }
    assert not DpkgOwners(str(tmp_path / "none")).available


# -- baseline ----------------------------------------------------------------------------


def test_baseline_learn_load_and_foreign_files(tmp_path: Path) -> None:
    db = str(tmp_path / "proc.db")
    obs = Observations(
        pairs={("/usr/sbin/apache2", "/usr/lib/cgi-bin/app"): (1, 2)},
        peers={("/usr/sbin/apache2", "listen", "tcp", "0.0.0.0", 80): (1, 5)},
    )
    assert baseline.learn(db, obs, "2024-01-01T00:00:00Z") == (1, 1)
    assert baseline.learn(db, obs, "2024-01-02T00:00:00Z") == (0, 0)
    known = baseline.load(db)
    assert known.pairs == frozenset(obs.pairs)
    assert known.peers == frozenset(obs.peers)
    from sscguard.errors import ConfigError

    with pytest.raises(ConfigError, match="does not exist"):
        baseline.load(str(tmp_path / "missing.db"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(ConfigError):
        baseline.load(str(junk))


def test_cli_learn_then_compare(run: Callable[..., Any], tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    assert run("processes", "--learn").code == 2  # needs --baseline
    assert run("processes", "--baseline", db).code == 2  # not learned yet
    assert run("processes", "--root", "/mnt/image").code == 2
    learned = run("processes", "--baseline", db, "--learn", "--format", "json")
    assert learned.code in (0, 1, 3), learned.err
    assert "learned" in learned.err
    compared = run("processes", "--baseline", db, "--format", "json")
    assert compared.code in (0, 1, 3), compared.err
    assert compared.json()["targets"] == ["live:/proc"]


# -- proc connector ----------------------------------------------------------------------


def _event(what: int, payload: bytes) -> bytes:
    body = struct.pack("=IIIIHH", 1, 1, 0, 0, 16 + len(payload), 0)
    body += struct.pack("=IIQ", what, 0, 0) + payload
    return struct.pack("=IHHII", 16 + len(body), 3, 0, 0, 0) + body


def test_netlink_parse_batched_messages() -> None:
    data = (
        _event(netlink.PROC_EVENT_FORK, struct.pack("=IIII", 10, 10, 11, 11))
        + _event(netlink.PROC_EVENT_EXEC, struct.pack("=II", 11, 11))
        + _event(netlink.PROC_EVENT_FORK, struct.pack("=IIII", 10, 10, 12, 10))  # a thread
        + _event(netlink.PROC_EVENT_EXIT, struct.pack("=IIII", 11, 11, 0, 17))
    )
    events = list(netlink.parse(data))
    assert [(e.kind, e.pid, e.parent) for e in events] == [
        ("fork", 11, 10),
        ("exec", 11, 0),
        ("exit", 11, 0),
    ]
    assert list(netlink.parse(data[:20])) == []  # truncated: nothing, no exception


# -- log tail ----------------------------------------------------------------------------


def test_logtail_follows_appends_rotation_and_truncation(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text("old line\n")
    tail = LogTail(str(log))
    tail.start()
    assert tail.poll() == []
    with log.open("a") as handle:
        handle.write("GET /a\nGET /b")
    assert tail.poll() == ["GET /a"]
    with log.open("a") as handle:
        handle.write(" HTTP/1.1\n")
    assert tail.poll() == ["GET /b HTTP/1.1"]
    log.rename(tmp_path / "access.log.1")
    log.write_text("after rotation\n")
    assert tail.poll() == ["after rotation"]
    log.write_text("")
    assert tail.poll() == []
    with log.open("a") as handle:
        handle.write("after truncation\n")
    assert tail.poll() == ["after truncation"]
    tail.close()


# -- watch -------------------------------------------------------------------------------


def _start_watch(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sscguard.cli", "watch", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_lines(proc: subprocess.Popen[str], until: Callable[[dict[str, Any]], bool]) -> list:
    lines: list[dict[str, Any]] = []
    assert proc.stdout is not None
    for raw in proc.stdout:
        record = json.loads(raw)
        lines.append(record)
        if until(record):
            break
    return lines


def test_watch_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text("")
    proc = _start_watch("--interval", "0.2", "--access-log", str(log), "--pid", "1")
    try:
        started = _read_lines(proc, lambda r: r["type"] == "status")
        assert started[-1]["event"] == "started"
        assert str(log) in started[-1]["access_logs"]  # plus any that discovery finds
        if os.geteuid() != 0:
            assert "missed" in started[-1]["limitation"]
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    final = json.loads(out.strip().splitlines()[-1])
    assert final["type"] == "status" and final["event"] == "stopped"
    assert final["polls"] >= 1


@pytest.mark.integration
def test_watch_catches_a_short_lived_child_through_the_proc_connector(web: WebStack) -> None:
    if os.geteuid() != 0 or netlink.open_connector() is None:
        pytest.skip("the kernel proc connector needs root")
    # the shell lives ~0.3 s, far below the 60 s poll interval
    (web.root / "www" / "id.php").write_text("<?php system('id >/dev/null; sleep 0.3');\n")
    # a long interval: only the proc connector can see the child in time
    log = str(web.root / "access.log")
    proc = _start_watch("--interval", "60", "--pid", str(web.fpm_master), "--access-log", log)
    try:
        started = _read_lines(proc, lambda r: r["type"] == "status")
        assert started[-1]["process_events"] == "proc-connector"
        time.sleep(0.3)
        fetch_in_background(web.url("id.php")).join(timeout=10)
        timer = threading.Timer(20, proc.send_signal, (signal.SIGTERM,))
        timer.start()
        lines = _read_lines(
            proc, lambda r: r["type"] == "finding" and r["rule_id"] == "SSC-003-300"
        )
        timer.cancel()
        shell = lines[-1]
        assert shell.get("rule_id") == "SSC-003-300", lines
        assert shell["subject"]["path"].endswith("/usr/bin/dash")
        assert "php-fpm8.2[" in shell["evidence"][0]["excerpt"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
        web.reap()


def test_socketpair_is_not_an_inet_socket() -> None:
    left, right = socket.socketpair()
    try:
        snap = px.list_processes()
        px.inspect(snap, [os.getpid()])
        me = snap.nodes[os.getpid()]
        assert me.sockets is not None
        assert all(s.proto in ("tcp", "tcp6", "udp", "udp6") for s in me.sockets)
    finally:
        left.close()
        right.close()
