"""Every process check on small synthetic process tables: a positive and a benign case each."""

from __future__ import annotations

from pathlib import Path

import pytest

from sscguard.detect.process import CHECKS, Classifier, Known, ProcessFacts, classify, detect
from sscguard.extract.processes import MappedFile, ProcessNode, Socket
from sscguard.model import Severity

REPO = Path(__file__).resolve().parents[2]
T0 = 1_700_000_000.0
FPM = "/usr/sbin/php-fpm8.2"
PG = "/usr/lib/postgresql/15/bin/postgres"


def node(pid: int, ppid: int, exe: str, *argv: str, **extra: object) -> ProcessNode:
    values: dict[str, object] = {
        "pid": pid,
        "ppid": ppid,
        "name": exe.rsplit("/", 1)[-1][:15],
        "exe": exe,
        "exe_deleted": False,
        "cmdline": argv or (exe,),
        "uid": 33,
        "user": "www-data",
        "started": T0 + pid,
        "inspected": True,
        "mnt_ns": "mnt:[1]",
        "maps": (),
        "sockets": (),
        "loader_env": (),
    }
    values.update(extra)
    return ProcessNode(**values)  # type: ignore[arg-type]


def tcp(inode: int, local: str, lport: int, remote: str = "0.0.0.0", rport: int = 0) -> Socket:
    state = "LISTEN" if rport == 0 else "ESTABLISHED"
    return Socket(inode, "tcp", local, lport, remote, rport, state)


LISTEN_FPM = tcp(100, "127.0.0.1", 9000)


def fpm_tree(*extra: ProcessNode, worker: dict[str, object] | None = None) -> list[ProcessNode]:
    """php-fpm master (pid 10) and worker (pid 11) holding the pool socket, plus ``extra``."""
    return [
        node(1, 0, "/usr/lib/systemd/systemd", user="root"),
        node(10, 1, FPM, "php-fpm: master process", sockets=(LISTEN_FPM,), user="root"),
        node(11, 10, FPM, "php-fpm: pool www", **{"sockets": (LISTEN_FPM,), **(worker or {})}),
        *extra,
    ]


def pg_tree(*extra: ProcessNode, backend_title: str = "postgres: app db [local] COPY") -> list:
    listen = tcp(200, "127.0.0.1", 5432)
    return [
        node(1, 0, "/usr/lib/systemd/systemd", user="root"),
        node(20, 1, PG, PG, "-D", "/var/lib/postgresql/15/main", sockets=(listen,)),
        node(21, 20, PG, backend_title),
        *extra,
    ]


def run(
    nodes: list[ProcessNode],
    *,
    known: Known | None = None,
    owners: dict[str, str | None] | None = None,
    present: frozenset[tuple[int, str]] = frozenset(),
    listeners: tuple[Socket, ...] = (),
) -> dict[str, list]:
    table = {n.pid: n for n in nodes}
    facts = ProcessFacts(
        nodes=table,
        servers=classify(table, Classifier()),
        listeners=listeners or tuple(s for n in nodes for s in n.sockets or () if s.listening),
        owners=owners,
        present=present,
        own_mnt_ns="mnt:[1]",
        known=known,
    )
    found: dict[str, list] = {}
    for finding in detect(facts):
        found.setdefault(finding.rule_id, []).append(finding)
    return found


def reported(found: dict[str, list], rule: str, at_least: Severity = Severity.MEDIUM) -> bool:
    return any(f.severity >= at_least for f in found.get(rule, []))


# -- lineage -----------------------------------------------------------------------------


def test_shell_under_php_fpm_worker_with_whole_lineage() -> None:
    found = run(
        fpm_tree(
            node(50, 11, "/usr/bin/dash", "sh", "-c", "sh -c 'sleep 30'", cwd="/var/www/up"),
            node(51, 50, "/usr/bin/dash", "sh", "-c", "sleep 30"),
            node(52, 51, "/usr/bin/sleep", "sleep", "30"),
        )
    )
    assert list(found) == ["SSC-003-300"]  # the inner shell is part of the same chain
    (finding,) = found["SSC-003-300"]
    assert finding.subject.path == "proc://50/usr/bin/dash"
    assert finding.evidence[0].excerpt == (
        "php-fpm8.2[10] -> php-fpm8.2[11] -> dash[50] => dash[51], sleep[52]"
    )
    hops = [e.location.path for e in finding.evidence if e.kind == "process"]
    assert hops == ["proc://10", "proc://11", "proc://50"]
    assert "kill -STOP 50 51 52" in finding.remediation
    assert "performs none" in finding.remediation


def test_mail_delivery_shell_is_low_severity() -> None:
    found = run(
        fpm_tree(
            node(50, 11, "/usr/bin/dash", "sh", "-c", "/usr/sbin/sendmail -t -i"),
            node(51, 50, "/usr/sbin/exim4", "/usr/sbin/sendmail", "-t", "-i"),
        )
    )
    assert not reported(found, "SSC-003-300")
    assert found["SSC-003-300"][0].severity is Severity.LOW


def test_mailer_disguise_with_command_chaining_is_not_downgraded() -> None:
    found = run(fpm_tree(node(50, 11, "/usr/bin/dash", "sh", "-c", "sendmail; id")))
    assert reported(found, "SSC-003-300")


@pytest.mark.parametrize(
    ("exe", "rule"),
    [
        ("/usr/bin/id", "SSC-003-301"),
        ("/usr/bin/whoami", "SSC-003-301"),
        ("/usr/bin/curl", "SSC-003-302"),
        ("/usr/bin/nc.openbsd", "SSC-003-302"),
        ("/usr/bin/python3.11", "SSC-003-300"),
    ],
)
def test_tools_under_a_web_worker(exe: str, rule: str) -> None:
    assert reported(run(fpm_tree(node(50, 11, exe))), rule)


def test_same_tools_outside_servers_are_not_reported() -> None:
    found = run(
        [
            node(1, 0, "/usr/lib/systemd/systemd"),
            node(5, 1, "/usr/bin/bash", "bash"),
            node(6, 5, "/usr/bin/curl", "curl", "https://example.org"),
            node(7, 5, "/usr/bin/id"),
        ]
    )
    assert found == {}


def test_clean_server_tree_has_no_findings() -> None:
    assert run(fpm_tree()) == {}


def test_other_program_under_worker_is_low_and_logger_is_silent() -> None:
    found = run(fpm_tree(node(50, 11, "/tmp/.x/kworker")))
    assert found["SSC-003-303"][0].severity is Severity.LOW
    apache = "/usr/sbin/apache2"
    quiet = run(
        [
            node(30, 1, apache, sockets=(tcp(300, "0.0.0.0", 80),)),
            node(31, 30, "/usr/bin/rotatelogs", "rotatelogs", "/var/log/a.%Y", "86400"),
        ]
    )
    assert quiet == {}


def test_process_title_does_not_make_a_server() -> None:
    # a shell renamed to look like php-fpm is matched on its executable, not its title
    found = run(
        [
            node(1, 0, "/usr/lib/systemd/systemd"),
            node(40, 1, "/usr/bin/bash", "php-fpm: master process"),
            node(41, 40, "/usr/bin/id"),
        ]
    )
    assert found == {}


def test_postgres_copy_from_program() -> None:
    found = run(pg_tree(node(60, 21, "/usr/bin/dash", "sh", "-c", "sleep 30")))
    assert reported(found, "SSC-001-300")
    assert found["SSC-001-300"][0].attack[0].technique == "T1505.001"


def test_postgres_archive_command_is_low() -> None:
    found = run(
        pg_tree(
            node(60, 21, "/usr/bin/dash", "sh", "-c", "cp pg_wal/0001 /archive/0001"),
            backend_title="postgres: 15/main: archiver last was 0000",
        )
    )
    assert found["SSC-001-300"][0].severity is Severity.LOW


@pytest.mark.parametrize(
    ("exe", "rule"),
    [("/usr/bin/whoami", "SSC-001-301"), ("/usr/bin/wget", "SSC-001-302")],
)
def test_tools_under_database(exe: str, rule: str) -> None:
    assert reported(run(pg_tree(node(60, 21, exe))), rule)


def test_other_program_under_database_is_low() -> None:
    found = run(pg_tree(node(60, 21, "/var/tmp/agent")))
    assert found["SSC-001-303"][0].severity is Severity.LOW


# -- network -----------------------------------------------------------------------------


def test_reverse_shell_socket_of_a_child() -> None:
    out = tcp(500, "10.0.0.2", 41000, "203.0.113.9", 4444)
    found = run(fpm_tree(node(50, 11, "/usr/bin/dash", "sh", "-i", sockets=(out,))))
    assert reported(found, "SSC-003-304")
    assert "203.0.113.9:4444" in found["SSC-003-304"][0].evidence[0].excerpt


def test_inherited_socket_of_a_child_is_not_its_own() -> None:
    found = run(fpm_tree(node(50, 11, "/usr/bin/dash", "sh", sockets=(LISTEN_FPM,))))
    assert "SSC-003-304" not in found and "SSC-003-305" not in found


def test_bind_shell_listener_of_a_child() -> None:
    found = run(
        fpm_tree(node(50, 11, "/usr/bin/python3.11", sockets=(tcp(501, "0.0.0.0", 31337),)))
    )
    assert reported(found, "SSC-003-305")


def test_database_child_network() -> None:
    out = tcp(502, "10.0.0.2", 41000, "203.0.113.9", 443)
    found = run(pg_tree(node(60, 21, "/usr/bin/perl", sockets=(out, tcp(503, "0.0.0.0", 9999)))))
    assert reported(found, "SSC-001-304")
    assert reported(found, "SSC-001-305")


def test_worker_outbound_to_a_stranger() -> None:
    out = tcp(600, "10.0.0.2", 40000, "198.51.100.7", 4444)
    found = run(fpm_tree(worker={"sockets": (LISTEN_FPM, out)}))
    assert reported(found, "SSC-003-306")
    assert found["SSC-003-306"][0].subject.path == "proc://11/usr/sbin/php-fpm8.2"


def test_worker_outbound_to_a_local_non_server_listener() -> None:
    listener = tcp(700, "127.0.0.1", 45678)
    other = node(90, 1, "/usr/bin/python3.11", "python3", "listener.py", sockets=(listener,))
    out = tcp(601, "127.0.0.1", 40001, "127.0.0.1", 45678)
    found = run([*fpm_tree(worker={"sockets": (LISTEN_FPM, out)}), other])
    assert reported(found, "SSC-003-306")


def test_worker_to_local_database_and_remote_cache_is_expected() -> None:
    pg_listen = tcp(200, "127.0.0.1", 5432)
    to_pg = tcp(602, "127.0.0.1", 40002, "127.0.0.1", 5432)
    to_redis = tcp(603, "10.0.0.2", 40003, "10.0.0.9", 6379)
    inbound = tcp(604, "127.0.0.1", 9000, "127.0.0.1", 50000)
    found = run(
        [
            *fpm_tree(worker={"sockets": (LISTEN_FPM, to_pg, to_redis, inbound)}),
            node(20, 1, PG, sockets=(pg_listen,)),
        ]
    )
    assert "SSC-003-306" not in found


def test_worker_listener_not_held_by_master() -> None:
    rogue = tcp(800, "0.0.0.0", 8443)
    found = run(fpm_tree(worker={"sockets": (LISTEN_FPM, rogue)}))
    assert reported(found, "SSC-003-307")
    assert "SSC-003-307" not in run(fpm_tree())


def test_database_backend_listener_not_held_by_postmaster() -> None:
    found = run(
        [
            node(1, 0, "/usr/lib/systemd/systemd"),
            node(20, 1, PG, sockets=(tcp(200, "127.0.0.1", 5432),)),
            node(21, 20, PG, "postgres: app", sockets=(tcp(801, "0.0.0.0", 7777),)),
        ]
    )
    assert reported(found, "SSC-001-307")


# -- libraries ---------------------------------------------------------------------------

LIBC = MappedFile("/usr/lib/x86_64-linux-gnu/libc.so.6", "r-x", False)


def test_ld_preload_from_tmp_reported_once_at_master() -> None:
    env = (("LD_PRELOAD", "/tmp/libhook.so"),)
    nodes = fpm_tree()
    nodes[1] = node(10, 1, FPM, loader_env=env, sockets=(LISTEN_FPM,))
    nodes[2] = node(11, 10, FPM, loader_env=env, sockets=(LISTEN_FPM,))
    found = run(nodes)
    assert [f.subject.path for f in found["SSC-004-300"]] == ["proc://10/usr/sbin/php-fpm8.2"]
    assert reported(found, "SSC-004-300", Severity.HIGH)


def test_ld_preload_of_an_allocator_is_low() -> None:
    env = (("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"),)
    found = run([node(1, 0, "/sbin/init"), node(70, 1, "/usr/sbin/mariadbd", loader_env=env)])
    assert found["SSC-004-300"][0].severity is Severity.LOW


def test_library_from_outside_system_folders() -> None:
    maps = (LIBC, MappedFile("/dev/shm/.x/mod.so", "r-x", False))
    found = run(fpm_tree(worker={"maps": maps, "sockets": (LISTEN_FPM,)}))
    assert reported(found, "SSC-004-301", Severity.HIGH)
    assert "SSC-004-301" not in run(fpm_tree(worker={"maps": (LIBC,)}))


def test_module_loaded_before_fork_is_reported_at_master_only() -> None:
    maps = (MappedFile("/var/tmp/mod.so", "r-x", False),)
    nodes = fpm_tree(worker={"maps": maps, "sockets": (LISTEN_FPM,)})
    nodes[1] = node(10, 1, FPM, maps=maps, sockets=(LISTEN_FPM,))
    found = run(nodes)
    assert [f.subject.path for f in found["SSC-004-301"]] == [
        "proc://10/usr/sbin/php-fpm8.2#/var/tmp/mod.so"
    ]


def test_library_owned_by_no_package() -> None:
    rogue = MappedFile("/usr/lib/x86_64-linux-gnu/libsystemd-helper.so", "r-x", False)
    nodes = fpm_tree(worker={"maps": (LIBC, rogue)})
    owners: dict[str, str | None] = {LIBC.path: "libc6:amd64", rogue.path: None}
    assert reported(run(nodes, owners=owners), "SSC-004-302")
    owners[rogue.path] = "libsystemd0:amd64"
    assert "SSC-004-302" not in run(nodes, owners=owners)
    assert "SSC-004-302" not in run(nodes, owners=None)  # no dpkg: not judged


def test_deleted_library_and_upgrade_leftover() -> None:
    gone = MappedFile("/tmp/x.so", "r-x", True)
    assert reported(run(fpm_tree(worker={"maps": (gone,)})), "SSC-004-303", Severity.HIGH)
    upgraded = MappedFile("/usr/lib/x86_64-linux-gnu/libssl.so.3", "r-x", True)
    found = run(fpm_tree(worker={"maps": (upgraded,)}), present=frozenset({(11, upgraded.path)}))
    assert found["SSC-004-303"][0].severity is Severity.LOW


def test_deleted_executable_of_a_child() -> None:
    found = run(fpm_tree(node(50, 11, "/tmp/.k", exe_deleted=True)))
    assert reported(found, "SSC-004-303", Severity.HIGH)


def test_executable_memfd_mapping() -> None:
    code = MappedFile("/memfd:payload", "r-x", True)
    assert reported(run(fpm_tree(worker={"maps": (code,)})), "SSC-004-304")
    data = MappedFile("/memfd:buffer", "rw-", True)
    assert "SSC-004-304" not in run(fpm_tree(worker={"maps": (data,)}))


def test_shared_anonymous_memory_is_not_a_file() -> None:
    shm = MappedFile("/dev/zero", "r-xs", True)  # opcache JIT buffer
    assert run(fpm_tree(worker={"maps": (shm,)})) == {}


# -- first seen --------------------------------------------------------------------------


def test_first_seen_pair_and_peers() -> None:
    tree = fpm_tree()
    learned_facts = run(tree, known=Known())
    assert reported(learned_facts, "SSC-000-300")  # everything is new to an empty baseline
    known = Known(
        pairs=frozenset({("/usr/sbin/php-fpm8.2", "/usr/sbin/php-fpm8.2")}),
        peers=frozenset({(FPM, "listen", "tcp", "127.0.0.1", 9000)}),
    )
    assert run(tree, known=known) == {}
    out = tcp(900, "10.0.0.2", 40000, "10.0.0.9", 6379)
    found = run(
        fpm_tree(node(50, 11, "/usr/bin/notepad"), worker={"sockets": (LISTEN_FPM, out)}),
        known=known,
    )
    assert found["SSC-000-300"][0].subject.path == "proc://50/usr/bin/notepad"
    assert reported(found, "SSC-000-301")
    rogue = tcp(901, "0.0.0.0", 8081)
    found = run(fpm_tree(worker={"sockets": (LISTEN_FPM, rogue)}), known=known)
    assert reported(found, "SSC-000-302")


# -- registry and docs -------------------------------------------------------------------


def test_every_check_is_documented_and_in_its_range() -> None:
    doc = (REPO / "docs" / "processes.md").read_text()
    for check_id, check in CHECKS.items():
        prefix, number = check_id.rsplit("-", 1)
        limit = {"SSC-003": 349}.get(prefix, 319)
        assert 300 <= int(number) <= limit, check_id
        assert f"`{check_id}`" in doc, f"{check_id} missing from docs/processes.md"
        assert check.why.endswith(".") and check.remediation


def test_fingerprint_stable_for_same_process_and_new_for_new_one() -> None:
    tree = fpm_tree(node(50, 11, "/usr/bin/id"))
    first = run(tree)["SSC-003-301"][0].fingerprint
    assert run(tree)["SSC-003-301"][0].fingerprint == first
    again = fpm_tree(node(50, 11, "/usr/bin/id", started=T0 + 999))
    assert run(again)["SSC-003-301"][0].fingerprint != first
