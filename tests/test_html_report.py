"""The HTML report in real headless Chromium: sorting, filtering, the timeline chart, and
attacker-controlled strings that execute nothing."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sscguard.model import (
    AttackRef,
    Confidence,
    Evidence,
    Finding,
    Location,
    ResultDocument,
    Severity,
    SkipCode,
    Skipped,
)
from sscguard.report import RenderOptions
from sscguard.report.html import render_html

XSS_PATH = "/var/www/<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>.php"
XSS_LINE = '10.0.0.9 - - "GET /x.php?c=<img src=x onerror=alert(document.domain)> HTTP/1.1" 200'


def _finding(rule: str, sev: Severity, path: str, time: str, kind: str = "file") -> Finding:
    return Finding(
        rule_id=rule,
        title=f"title of {rule}",
        subject=Location(path),
        attack=(AttackRef("T1505.003", "DS0022 File Creation", ("M1047",)),),
        severity=sev,
        confidence=Confidence.HIGH,
        why="Because <b>bold</b> would be markup.",
        remediation="Remove it.",
        evidence=(Evidence(kind, Location(path, line=1), XSS_LINE, "detail", time),),
    )


def _doc() -> ResultDocument:
    findings = (
        _finding("SSC-003-002", Severity.CRITICAL, "/var/www/b.php", "2026-11-20T10:00:00Z"),
        _finding("SSC-003-001", Severity.HIGH, XSS_PATH, "2026-11-21T11:00:00Z", "request"),
        _finding("SSC-003-003", Severity.MEDIUM, "/var/www/c.jsp", "2026-11-22T12:00:00Z",
                 "process"),
        _finding("SSC-003-031", Severity.LOW, "/var/www/adminer.php", ""),
    )  # fmt: skip
    return ResultDocument(
        tool_version="0.1.0",
        rules_version="r1",
        command="sscguard scan /var/www",
        started="2026-11-23T10:00:00Z",
        finished="2026-11-23T10:01:00Z",
        host="<b>web1</b>",
        targets=("/var/www",),
        findings=findings,
        skipped=(Skipped("/var/www/<svg onload=alert(1)>", SkipCode.UNREADABLE, "denied"),),
        stats={"files_scanned": 4},
    )


def _html(doc: ResultDocument) -> str:
    out = io.StringIO()
    render_html(doc, out, RenderOptions(min_severity=Severity.INFO))
    return out.getvalue()


def test_html_is_self_contained_and_escaped() -> None:
    page = _html(_doc())
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "'unsafe-inline'" not in page
    assert page.count("<script") == 2  # our data element and our one script


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = shutil.which("chromium")
    driver_bin = shutil.which("chromedriver")
    if not (chromium and driver_bin):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium and chromium-driver are required under CI (.ci/apt/report.txt)")
        pytest.skip("chromium/chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage",
    ):  # fmt: skip
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="sscguard-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_bin), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(browser: object, tmp_path: Path, page: str) -> object:
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())  # type: ignore[attr-defined]
    return browser


def _rule_order(driver: object) -> list[str]:
    return driver.execute_script(  # type: ignore[attr-defined,no-any-return]
        "return Array.from(document.querySelectorAll('#findings-table tbody tr'))"
        ".filter(r => !r.hidden).map(r => r.cells[1].textContent);"
    )


def test_table_sorts_and_filters(browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = _open(browser, tmp_path, _html(_doc()))
    assert _rule_order(driver) == ["SSC-003-002", "SSC-003-001", "SSC-003-003", "SSC-003-031"]
    header = driver.find_elements(By.CSS_SELECTOR, "#findings-table th")[1]  # type: ignore[attr-defined]
    header.click()
    assert _rule_order(driver) == sorted(_rule_order(driver))
    header.click()
    assert _rule_order(driver) == sorted(_rule_order(driver), reverse=True)
    box = driver.find_element(By.ID, "filter")  # type: ignore[attr-defined]
    box.send_keys("c.jsp")
    assert _rule_order(driver) == ["SSC-003-003"]
    assert driver.find_element(By.ID, "shown-count").text == "1"  # type: ignore[attr-defined]
    box.clear()
    box.send_keys(" ")  # clear() does not fire 'input'; a space then backspace does
    box.send_keys("\b")
    driver.find_element(By.CSS_SELECTOR, "#minsev option[value='high']").click()  # type: ignore[attr-defined]
    assert set(_rule_order(driver)) == {"SSC-003-002", "SSC-003-001"}


def test_timeline_chart_renders_one_dot_per_timed_event(browser: object, tmp_path: Path) -> None:
    driver = _open(browser, tmp_path, _html(_doc()))
    dots = driver.execute_script(  # type: ignore[attr-defined]
        "return Array.from(document.querySelectorAll('#chart circle.event'))"
        ".map(c => [c.getAttribute('data-rule'), Number(c.getAttribute('cy'))]);"
    )
    assert sorted(rule for rule, _ in dots) == ["SSC-003-001", "SSC-003-002", "SSC-003-003"]
    lanes = dict(dots)
    assert len(set(lanes.values())) == 3  # file change, request and process lanes differ


def test_attacker_strings_execute_nothing(browser: object, tmp_path: Path) -> None:
    driver = _open(browser, tmp_path, _html(_doc()))
    state = driver.execute_script(  # type: ignore[attr-defined]
        "return [typeof window.__pwned, document.querySelectorAll('img').length,"
        " document.querySelectorAll('main svg[onload], main [onerror]').length, document.title,"
        " document.body.innerText.indexOf('<script>window.__pwned=1</script>') >= 0];"
    )
    assert state == ["undefined", 0, 0, "sscguard report: <b>web1</b>", True]
    logs = driver.get_log("browser")  # type: ignore[attr-defined]
    assert not [entry for entry in logs if entry["level"] == "SEVERE"], logs


def test_csp_blocks_script_that_escaping_missed(browser: object, tmp_path: Path) -> None:
    """Defense in depth: even raw injected script (as if escaping failed) does not run."""
    page = _html(_doc()).replace(
        "<main>", "<main><script>window.__pwned=3</script><img src=x onerror='window.__pwned=4'>", 1
    )
    driver = _open(browser, tmp_path, page)
    assert driver.execute_script("return typeof window.__pwned;") == "undefined"  # type: ignore[attr-defined]
    assert (
        driver.execute_script(  # type: ignore[attr-defined]
            "return document.querySelectorAll('#chart circle.event').length;"
        )
        == 3
    )  # our own script still ran
    logs = " ".join(e["message"] for e in driver.get_log("browser"))  # type: ignore[attr-defined]
    assert "Content Security Policy" in logs
