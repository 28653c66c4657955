"""Sigma: rules written here in SigmaHQ's format, evaluated on access logs and host events;
modifiers, keyword-only rules, conditions, and rule errors reported as skipped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from test_logs_events import SYS32, W3WP, proc

from conftest import CliResult
from sscguard.detect.logs.sigma import SigmaError, compile_condition, parse_rule

Run = Callable[..., CliResult]

PROCESS_RULE = """\
title: Web server spawns a shell with recon
id: 6f1d2b1e-0000-4000-8000-000000000001
status: experimental
description: A web server worker starts a shell that runs discovery commands.
logsource:
    category: process_creation
    product: windows
detection:
    selection_parent:
        ParentImage|endswith:
            - '\\w3wp.exe'
            - '\\httpd.exe'
    selection_child:
        Image|endswith: '\\cmd.exe'
        CommandLine|contains|all:
            - '/c'
            - 'whoami'
    filter_admin:
        User|startswith: 'CORP\\'
    condition: all of selection_* and not filter_admin
level: high
tags:
    - attack.persistence
    - attack.t1505.003
"""

KEYWORD_RULE = """\
title: Shell keywords anywhere
id: 6f1d2b1e-0000-4000-8000-000000000002
logsource:
    product: windows
    category: process_creation
detection:
    keywords:
        - 'net user'
        - 'Invoke-WebRequest'
    condition: keywords
level: medium
"""

WEB_RULE = """\
title: Command parameter in a web request
id: 6f1d2b1e-0000-4000-8000-000000000003
logsource:
    category: webserver
detection:
    selection:
        cs-method: 'GET'
        cs-uri-query|contains:
            - 'cmd='
            - 'exec='
    regex:
        cs-uri-stem|re: '\\.(php|jspx?)$'
    condition: selection and regex
level: high
"""

WEB_KEYWORDS = """\
title: etc passwd in request
id: 6f1d2b1e-0000-4000-8000-000000000004
logsource:
    category: webserver
detection:
    keywords:
        - '/etc/passwd'
    condition: 1 of them
level: critical
"""


def _rules(tmp_path: Path, **rules: str) -> Path:
    folder = tmp_path / "sigma"
    folder.mkdir(exist_ok=True)
    for name, text in rules.items():
        (folder / f"{name}.yml").write_text(text)
    return folder


def test_process_creation_rule_with_modifiers(tmp_path: Path, run: Run) -> None:
    rules = _rules(tmp_path, proc_rule=PROCESS_RULE, kw=KEYWORD_RULE)
    events = tmp_path / "ev.xml"
    events.write_text(
        "<Events>"
        + proc(W3WP, SYS32 + "cmd.exe", "cmd.exe /c whoami /priv")  # matches
        + proc(W3WP, SYS32 + "cmd.exe", "cmd.exe /c whoami", "CORP\\ops")  # filtered
        + proc(W3WP, SYS32 + "cmd.exe", "cmd.exe /c dir")  # |all not satisfied
        + proc("C:\\x\\a.exe", SYS32 + "net.exe", "NET USER admin x /add", "CORP\\x")  # keyword
        + "</Events>"
    )
    doc = run("logs", "--events", str(events), "--sigma", str(rules), "--format", "json").json()
    sigma = {f["rule_id"]: f for f in doc["findings"] if f["rule_id"].startswith("SIGMA:")}
    hit = sigma["SIGMA:6f1d2b1e-0000-4000-8000-000000000001"]
    assert "(1 event(s))" in hit["title"] and hit["severity"] == "high"
    assert hit["attack"][0]["technique"] == "T1505.003"
    assert hit["attack"][0]["data_component"] == "DS0009 Process Creation"
    kw = sigma["SIGMA:6f1d2b1e-0000-4000-8000-000000000002"]
    assert "NET USER" in kw["evidence"][0]["excerpt"]  # keywords are case-insensitive
    assert doc["stats"]["sigma_rules"] == 2


def test_webserver_rules_on_access_logs(tmp_path: Path, run: Run) -> None:
    rules = _rules(tmp_path, web=WEB_RULE, kw=WEB_KEYWORDS)
    log = tmp_path / "access.log"
    log.write_text(
        '192.0.2.1 - - [10/Oct/2024:10:00:00 +0000] "GET /a.php?cmd=id HTTP/1.1" 200 3 "-" "x"\n'
        '192.0.2.1 - - [10/Oct/2024:10:00:01 +0000] "GET /a.html?cmd=id HTTP/1.1" 200 3 "-" "x"\n'
        '192.0.2.1 - - [10/Oct/2024:10:00:02 +0000] "POST /a.php?cmd=id HTTP/1.1" 200 3 "-" "x"\n'
        "192.0.2.2 - - [10/Oct/2024:10:00:03 +0000] "
        '"GET /v.jsp?f=../../etc/passwd HTTP/1.1" 200 3 "-" "x"\n'
    )
    doc = run("logs", str(log), "--sigma", str(rules), "--format", "json", "-j", "1").json()
    sigma = {f["rule_id"]: f for f in doc["findings"] if f["rule_id"].startswith("SIGMA:")}
    web = sigma["SIGMA:6f1d2b1e-0000-4000-8000-000000000003"]
    assert "(1 event(s))" in web["title"]
    assert web["evidence"][0]["location"]["line"] == 1
    kw = sigma["SIGMA:6f1d2b1e-0000-4000-8000-000000000004"]
    assert kw["severity"] == "critical" and kw["evidence"][0]["location"]["line"] == 4


def test_rule_errors_become_skipped_with_file_and_reason(tmp_path: Path, run: Run) -> None:
    rules = _rules(
        tmp_path,
        good=PROCESS_RULE,
        broken_yaml="title: x\ndetection: [unclosed\n",
        no_condition="title: x\nlogsource: {category: webserver}\ndetection:\n  sel: {a: b}\n",
        bad_modifier=(
            "title: x\nlogsource: {category: webserver}\n"
            "detection:\n  sel: {a|frobnicate: b}\n  condition: sel\n"
        ),
        aggregation=(
            "title: x\nlogsource: {category: webserver}\n"
            "detection:\n  sel: {a: b}\n  condition: sel | count() > 5\n"
        ),
        unknown_selection=(
            "title: x\nlogsource: {category: webserver}\n"
            "detection:\n  sel: {a: b}\n  condition: sel and other\n"
        ),
    )
    events = tmp_path / "ev.xml"
    events.write_text("<Events>" + proc(W3WP, SYS32 + "cmd.exe", "cmd /c whoami") + "</Events>")
    result = run("logs", "--events", str(events), "--sigma", str(rules), "--format", "json")
    doc = result.json()
    reasons = {s["source"].rsplit("/", 1)[-1]: s["reason"] for s in doc["skipped"]}
    yaml_error = next(v for k, v in reasons.items() if k.startswith("broken_yaml.yml:"))
    assert "YAML error" in yaml_error  # the source carries the line of the error
    assert "missing detection.condition" in reasons["no_condition.yml"]
    assert "frobnicate" in reasons["bad_modifier.yml"]
    assert "aggregation" in reasons["aggregation.yml"]
    assert "unknown selection 'other'" in reasons["unknown_selection.yml"]
    assert doc["stats"]["sigma_rules"] == 1


def _match(detection: str, event: dict[str, str]) -> bool:
    doc = yaml.safe_load(
        "title: t\nlogsource: {category: process_creation}\ndetection:\n" + detection
    )
    return parse_rule(doc, "t.yml").match(event)


@pytest.mark.parametrize(
    ("detection", "event", "expected"),
    [
        (
            "  s: {CommandLine|startswith: 'powershell'}\n  condition: s\n",
            {"CommandLine": "PowerShell -nop"},
            True,
        ),
        (
            "  s: {CommandLine|startswith: 'powershell'}\n  condition: s\n",
            {"CommandLine": "x powershell"},
            False,
        ),
        ("  s: {Image: '*\\\\cmd.exe'}\n  condition: s\n", {"Image": "C:\\W\\CMD.EXE"}, True),
        ("  s: {Image: 'cmd.ex?'}\n  condition: s\n", {"Image": "cmd.exe"}, True),
        ("  s: {Image: 'a\\*b'}\n  condition: s\n", {"Image": "aXb"}, False),
        (
            "  s: {CommandLine|re: '-e(nc)? [A-Za-z0-9+/=]{8,}'}\n  condition: s\n",
            {"CommandLine": "ps -enc SQBFAFgA"},
            True,
        ),
        ("  s: {CommandLine|re: 'WHOAMI'}\n  condition: s\n", {"CommandLine": "whoami"}, False),
        ("  s: {CommandLine|re|i: 'WHOAMI'}\n  condition: s\n", {"CommandLine": "whoami"}, True),
        (
            "  s: {CommandLine|cased|contains: 'Whoami'}\n  condition: s\n",
            {"CommandLine": "whoami"},
            False,
        ),
        (
            "  s: {CommandLine|windash|contains: ' -enc '}\n  condition: s\n",
            {"CommandLine": "p /enc x"},
            True,
        ),
        (
            "  s: {CommandLine|base64offset|contains: 'whoami'}\n  condition: s\n",
            {"CommandLine": "x d2hvYW1p y"},
            True,
        ),
        ("  s: {User: null}\n  condition: s\n", {"Image": "a"}, True),
        ("  s: {User|exists: true}\n  condition: s\n", {"Image": "a"}, False),
        (
            "  s: {DestinationIp|cidr: '10.0.0.0/8'}\n  condition: s\n",
            {"DestinationIp": "10.2.3.4"},
            True,
        ),
        ("  s: {DestinationPort|gte: 1024}\n  condition: s\n", {"DestinationPort": "80"}, False),
        (
            "  s:\n    - {Image|endswith: '\\\\a.exe'}\n"
            "    - {Image|endswith: '\\\\b.exe'}\n  condition: s\n",
            {"Image": "c:\\b.exe"},
            True,
        ),
        (
            "  a: {Image|endswith: 'x'}\n  b: {Image|endswith: 'y'}\n  condition: 1 of them\n",
            {"Image": "y"},
            True,
        ),
        (
            "  a: {Image|endswith: 'x'}\n  b: {Image|endswith: 'y'}\n  condition: all of them\n",
            {"Image": "y"},
            False,
        ),
        (
            "  a: {Image|contains: 'x'}\n  b: {Image|contains: 'y'}\n"
            "  c: {Image|contains: 'z'}\n  condition: a and (b or c) and not 1 of c*\n",
            {"Image": "xy"},
            True,
        ),
    ],
)
def test_matcher_semantics(detection: str, event: dict[str, str], expected: bool) -> None:
    assert _match(detection, event) is expected


def test_condition_errors() -> None:
    sel = {"a": lambda e: True}
    for bad in ("a and", "(a", "a b", "1 of z*", "a | count()"):
        with pytest.raises(SigmaError):
            compile_condition(bad, sel)
