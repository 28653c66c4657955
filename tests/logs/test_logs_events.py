"""Host event records: EVTX (a real binary file built here), event XML and JSON, auditd, and
every host check with a positive and a benign case."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from evtx_builder import build_evtx

from conftest import REPO, CliResult
from sscguard.detect.logs.host import HostAnalyzer, image_name
from sscguard.extract.logs.events import EventStats, read_auditd, read_events, sniff_event_file

Run = Callable[..., CliResult]
NS = "http://schemas.microsoft.com/win/2004/08/events/event"
SYSMON = ("Microsoft-Windows-Sysmon", "Microsoft-Windows-Sysmon/Operational")


def event(provider: str, channel: str, eid: int, data: dict[str, str] | list[str]) -> str:
    if isinstance(data, dict):
        items = "".join(f'<Data Name="{k}">{escape(v)}</Data>' for k, v in data.items())
    else:
        items = "".join(f"<Data>{escape(v)}</Data>" for v in data)
    return (
        f'<Event xmlns="{NS}"><System><Provider Name="{provider}"/><EventID>{eid}</EventID>'
        f'<TimeCreated SystemTime="2024-10-10T10:00:00.000Z"/><Channel>{channel}</Channel>'
        f"</System><EventData>{items}</EventData></Event>"
    )


def proc(parent: str, image: str, cmd: str, user: str = "IIS APPPOOL\\DefaultAppPool") -> str:
    return event(
        *SYSMON, 1, {"ParentImage": parent, "Image": image, "CommandLine": cmd, "User": user}
    )


W3WP = "C:\\Windows\\System32\\inetsrv\\w3wp.exe"
SYS32 = "C:\\Windows\\System32\\"


def findings_for(tmp_path: Path, run: Run, events: list[str], name: str = "ev.xml") -> list[dict]:
    path = tmp_path / name
    path.write_text("<Events>" + "".join(events) + "</Events>")
    result = run("logs", "--events", str(path), "--format", "json", "--min-severity", "info")
    assert result.code in (0, 1), result.err
    return list(result.json()["findings"])


def ids(findings: list[dict]) -> list[str]:
    return sorted(f["rule_id"] for f in findings)


CASES = [
    # (check, positive events, benign events)
    (
        "SSC-003-250",
        [proc(W3WP, SYS32 + "cmd.exe", "cmd.exe /c whoami")],
        [proc("C:\\Windows\\explorer.exe", SYS32 + "cmd.exe", "cmd.exe", "CORP\\alice")],
    ),
    (
        "SSC-003-251",
        [proc(W3WP, SYS32 + "whoami.exe", "whoami /all")],
        [proc(SYS32 + "services.exe", SYS32 + "whoami.exe", "whoami", "SYSTEM")],
    ),
    (
        "SSC-000-200",
        [proc(W3WP, SYS32 + "notepad.exe", "notepad.exe")],
        [
            proc(
                W3WP,
                "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe",
                "csc.exe /noconfig",
            )
        ],
    ),
    (
        "SSC-003-252",
        [
            event(
                *SYSMON,
                11,
                {"Image": W3WP, "TargetFilename": "C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx"},
            )
        ],
        [
            event(*SYSMON, 11, {"Image": W3WP, "TargetFilename": "C:\\inetpub\\logs\\x.log"}),
            event(*SYSMON, 11, {"Image": "C:\\x\\setup.exe", "TargetFilename": "C:\\Temp\\a.aspx"}),
        ],
    ),
    (
        "SSC-001-200",
        [event("MSSQLSERVER", "Application", 15457, ["xp_cmdshell", "0", "1"])],
        [
            event("MSSQLSERVER", "Application", 15457, ["show advanced options", "0", "1"]),
            event("MSSQLSERVER", "Application", 15457, ["xp_cmdshell", "1", "0"]),
        ],
    ),
    (
        "SSC-001-201",
        [
            event(
                "MSSQLSERVER",
                "Application",
                33205,
                [
                    "Audit event: audit_schema_version:1 event_time:2024-10-10 10:00:00 "
                    "action_id:EX succeeded:true server_principal_name:sa "
                    "statement:EXEC master..xp_cmdshell 'whoami' additional_information:"
                ],
            )
        ],
        [
            event(
                "MSSQLSERVER",
                "Application",
                33205,
                ["Audit event: action_id:SL statement:SELECT name FROM sys.databases "],
            )
        ],
    ),
    (
        "SSC-001-202",
        [event("MSSQLSERVER", "Application", 8128, ["C:\\Temp\\xpshell.dll", "1.0", "xp_run"])],
        [
            event(
                "MSSQLSERVER",
                "Application",
                8128,
                ["xpstar.dll", "2019.150.2000.5", "xp_instance_regread"],
            )
        ],
    ),
    (
        "SSC-002-200",
        [
            event(
                "MSExchange CmdletLogs",
                "MSExchange Management",
                6,
                [
                    "Install-TransportAgent",
                    "-Name 'Mail Filter' -TransportAgentFactory 'X.Factory' "
                    "-AssemblyPath "
                    "'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\x.dll'",
                ],
            )
        ],
        [event("MSExchange CmdletLogs", "MSExchange Management", 6, ["Get-TransportAgent", ""])],
    ),
    (
        "SSC-004-200",
        [
            event(
                "Microsoft-Windows-IIS-Configuration",
                "Microsoft-IIS-Configuration/Operational",
                29,
                {
                    "ConfigPath": "MACHINE/WEBROOT/APPHOST",
                    "EffectiveLocation": "",
                    "ChangeType": "add",
                    "Section": "system.webServer/globalModules",
                    "Name": "ProtocolSupport",
                },
            )
        ],
        [
            event(
                "Microsoft-Windows-IIS-Configuration",
                "Microsoft-IIS-Configuration/Operational",
                29,
                {
                    "ConfigPath": "MACHINE/WEBROOT/APPHOST",
                    "ChangeType": "modify",
                    "Section": "system.applicationHost/sites",
                },
            )
        ],
    ),
    (
        "SSC-004-201",
        [
            event(
                "Microsoft-Windows-IIS-W3SVC-WP",
                "Application",
                2282,
                ["C:\\Windows\\System32\\inetsrv\\cache.dll", ""],
            )
        ],
        [event("Microsoft-Windows-IIS-W3SVC-WP", "Application", 2283, ["x"])],
    ),
    (
        "SSC-004-202",
        [
            proc(
                SYS32 + "cmd.exe",
                SYS32 + "inetsrv\\appcmd.exe",
                "appcmd.exe install module /name:Cache /image:C:\\Windows\\cache.dll",
                "CORP\\admin",
            )
        ],
        [
            proc(
                SYS32 + "cmd.exe",
                SYS32 + "inetsrv\\appcmd.exe",
                "appcmd.exe list modules",
                "CORP\\admin",
            )
        ],
    ),
]


@pytest.mark.parametrize(("check", "positive", "benign"), CASES, ids=[c[0] for c in CASES])
def test_host_check_positive_and_benign(
    tmp_path: Path, run: Run, check: str, positive: list[str], benign: list[str]
) -> None:
    assert check in ids(findings_for(tmp_path, run, positive, "pos.xml"))
    assert check not in ids(findings_for(tmp_path, run, benign, "benign.xml"))


def test_evtx_file_is_read_through_python_evtx(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "Microsoft-Windows-Sysmon%4Operational.evtx"
    path.write_bytes(
        build_evtx(
            [
                proc(W3WP, SYS32 + "cmd.exe", "cmd.exe /c net user"),
                proc(SYS32 + "services.exe", SYS32 + "svchost.exe", "svchost -k netsvcs", "SYSTEM"),
            ]
        )
    )
    assert sniff_event_file(str(path)) == "evtx"
    stats = EventStats(str(path))
    events = list(read_events(str(path), "evtx", stats))
    assert stats.records == 2 and not stats.error
    assert events[0].fields["Image"].endswith("cmd.exe") and events[0].record == 1
    assert events[0].category == "process_creation"
    # auto-detected among plain FILE arguments
    result = run("logs", str(path), "--format", "json")
    found = result.json()["findings"]
    assert ids(found) == ["SSC-003-250"]
    assert found[0]["subject"]["line"] == 1


def test_corrupt_evtx_is_reported_not_raised(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "bad.evtx"
    path.write_bytes(build_evtx([proc(W3WP, SYS32 + "cmd.exe", "cmd")])[: 0x1000 + 0x300])
    result = run("logs", str(path), "--format", "json")
    doc = result.json()
    assert result.code in (0, 3)
    assert doc["skipped"] or doc["stats"]["event_records"] == 0


def test_security_4688_and_json_events(tmp_path: Path, run: Run) -> None:
    sec = event(
        "Microsoft-Windows-Security-Auditing",
        "Security",
        4688,
        {
            "NewProcessName": SYS32 + "WindowsPowerShell\\v1.0\\powershell.exe",
            "ParentProcessName": (
                "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\EdgeTransport.exe"
            ),
            "CommandLine": "powershell -enc AAAA",
            "SubjectUserName": "NETWORK SERVICE",
        },
    )
    assert "SSC-003-250" in ids(findings_for(tmp_path, run, [sec]))
    lines = [
        {
            "winlog": {
                "event_id": 1,
                "channel": SYSMON[1],
                "provider_name": SYSMON[0],
                "event_data": {
                    "ParentImage": "C:\\Program Files\\SQL\\sqlservr.exe",
                    "Image": SYS32 + "cmd.exe",
                    "CommandLine": "cmd /c dir",
                },
            },
            "@timestamp": "2024-10-10T10:00:00Z",
        },
        {
            "EventID": 1,
            "Channel": SYSMON[1],
            "Provider_Name": SYSMON[0],
            "ParentImage": "/usr/sbin/apache2",
            "Image": "/usr/bin/id",
            "CommandLine": "id",
        },
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    doc = run("logs", str(path), "--format", "json").json()
    assert ids(doc["findings"]) == ["SSC-003-250", "SSC-003-251"]


AUDIT = (REPO / "tests" / "samples" / "logs" / "audit.log").read_text()


def test_auditd_execve_with_parent_from_earlier_record_and_web_user(
    tmp_path: Path, run: Run
) -> None:
    path = tmp_path / "audit.log"
    path.write_text(AUDIT)
    assert sniff_event_file(str(path)) == "auditd"
    stats = EventStats(str(path))
    events = list(read_auditd(str(path), stats))
    assert [e.fields["Image"] for e in events] == [
        "/usr/sbin/apache2",
        "/usr/bin/dash",
        "/usr/bin/uname",
        "/usr/bin/ls",
    ]
    shell = events[1]
    assert shell.fields["ParentImage"] == "/usr/sbin/apache2"  # from record 101
    assert shell.fields["CommandLine"] == "sh -c id -a"  # hex-encoded argument decoded
    assert events[2].fields["User"] == "www-data" and events[2].fields["ParentImage"] == ""
    doc = run("logs", str(path), "--format", "json").json()
    assert ids(doc["findings"]) == ["SSC-003-250", "SSC-003-251"]  # ls by a user: benign


def test_image_names_and_first_seen_counts() -> None:
    assert image_name("C:\\Windows\\System32\\inetsrv\\w3wp.exe") == "w3wp"
    assert image_name("/usr/sbin/php-fpm8.2") == "php-fpm"
    host = HostAnalyzer()
    assert host.finish() == []


def test_unreadable_records_are_counted(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"EventID": 1, "Image": "x"}\n{"EventID": "oops"}\nnot json\n')
    doc = run("logs", str(path), "--format", "json").json()
    assert doc["stats"]["event_unparsed"] == 2
    assert any("could not be read" in s["reason"] for s in doc["skipped"])
