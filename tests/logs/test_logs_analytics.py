"""Ranked web-shell analytics: the shell ranks first, every score part is explained, popular
pages are not flagged, memory per URI stays bounded, and the access checks each have a
positive and a benign case."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from conftest import CliResult
from sscguard.detect.logs.webshell import AccessAnalyzer, AnalyticsConfig
from sscguard.extract.logs.access import STRING_COLUMNS, schema

Run = Callable[..., CliResult]
UAS = [f"Mozilla/5.0 (X11; Linux) Firefox/{v}.0" for v in range(110, 130)]
PAGES = ["/", "/index.php", "/about.html", "/css/site.css", "/js/app.js", "/img/a.png"]


def line(
    client: str, method: str, uri: str, status: int, size: int, ref: str, ua: str, t: int
) -> str:
    stamp = f"10/Oct/2024:{t // 3600 % 24:02d}:{t // 60 % 60:02d}:{t % 60:02d} +0000"
    return f'{client} - - [{stamp}] "{method} {uri} HTTP/1.1" {status} {size} "{ref}" "{ua}"\n'


def site_log(n: int, rng: random.Random, start: int = 0) -> list[str]:
    out = []
    for i in range(n):
        client = f"10.0.{rng.randint(0, 3)}.{rng.randint(1, 250)}"
        page = rng.choice(PAGES)
        out.append(
            line(
                client,
                "GET",
                page,
                200,
                rng.randint(800, 1200),
                "https://ex/",
                rng.choice(UAS),
                start + i,
            )
        )
    return out


def shell_log(t: int) -> list[str]:
    ua = "Mozilla/4.0 (compatible; MSIE 6.0)"
    return [
        line("198.51.100.23", "POST", "/upload.php", 200, 20, "https://ex/", ua, t),
        line("198.51.100.23", "GET", "/uploads/pic.php?cmd=whoami", 200, 9, "-", ua, t + 1),
        line(
            "198.51.100.23",
            "GET",
            "/uploads/pic.php?cmd=cat%20/etc/passwd",
            200,
            2400,
            "-",
            ua,
            t + 2,
        ),
        line("198.51.100.23", "POST", "/uploads/pic.php", 200, 40000, "-", ua, t + 3),
        line("198.51.100.23", "POST", "/uploads/pic.php", 200, 3, "-", ua, t + 4),
    ]


def test_shell_ranks_first_with_explained_components(tmp_path: Path, run: Run) -> None:
    rng = random.Random(3)
    log = tmp_path / "access.log"
    log.write_text("".join(site_log(3000, rng) + shell_log(3000) + site_log(500, rng, 3010)))
    result = run("logs", str(log), "--format", "json", "-j", "1")
    assert result.code == 1, result.err
    doc = result.json()
    ranked = [f for f in doc["findings"] if f["rule_id"] == "SSC-003-200"]
    first = min(ranked, key=lambda f: int(f["tags"][0].split(":")[1]))
    assert "/uploads/pic.php" in first["title"]
    parts = {
        e["excerpt"].split()[1]: e["detail"] for e in first["evidence"] if e["kind"] == "score"
    }
    for name in (
        "few-clients",
        "one-client",
        "rare-user-agent",
        "no-referer",
        "post-share",
        "script",
        "first-seen-late",
        "size-variance",
        "command-params",
        "after-upload",
    ):
        assert name in parts, (name, parts)
    assert "whoami" in parts["command-params"]
    assert first["evidence"][0]["location"]["line"] == 3002  # first request, exact line
    # benign: popular pages of the site are never ranked
    titles = " ".join(f["title"] for f in ranked)
    for page in ("/index.php", "/about.html", "/css/site.css"):
        assert f" {page} " not in titles
    ids = {f["rule_id"] for f in doc["findings"]}
    assert {"SSC-003-201", "SSC-003-203"} <= ids


def test_benign_log_has_no_findings(tmp_path: Path, run: Run) -> None:
    log = tmp_path / "access.log"
    log.write_text("".join(site_log(2000, random.Random(5))))
    result = run("logs", str(log), "--format", "json", "-j", "1")
    assert result.code == 0, result.out
    assert result.json()["stats"]["access_records"] == 2000


def _batch(rows: list[dict[str, object]], seq0: int) -> pa.RecordBatch:
    cols = {n: [r.get(n, b"") for r in rows] for n in STRING_COLUMNS}
    return pa.RecordBatch.from_arrays(
        [pa.array(cols[n], pa.binary()) for n in STRING_COLUMNS]
        + [
            pa.array([r.get("status", 200) for r in rows], pa.int32()),
            pa.array([r.get("size", 100) for r in rows], pa.int64()),
            pa.array(range(seq0, seq0 + len(rows)), pa.int64()),
        ],
        schema=schema(),
    )


def test_memory_per_uri_is_bounded_to_threshold_plus_one() -> None:
    analyzer = AccessAnalyzer(AnalyticsConfig(threshold=5))
    for b in range(20):
        rows = [
            {
                "client": f"10.1.{b}.{i}".encode(),
                "path": b"/popular",
                "method": b"GET",
                "ua": f"ua{i}".encode(),
            }
            for i in range(200)
        ]
        rows.append({"client": b"203.0.113.1", "path": b"/rare.php", "method": b"POST"})
        analyzer.feed(_batch(rows, b * 201))
    for key in ("client", "ua"):
        assert b"/popular" not in analyzer._values[key]
        assert b"/popular" in analyzer._saturated[key]
        assert all(len(v) <= 6 for v in analyzer._values[key].values())
    report = analyzer.finish()
    assert report.candidates[0].path == b"/rare.php"
    assert report.records == 20 * 201


def test_merging_worker_parts_equals_one_pass() -> None:
    rows = [
        {
            "client": f"10.0.0.{i % 7}".encode(),
            "path": f"/p{i % 13}.php".encode(),
            "method": b"POST" if i % 3 else b"GET",
            "size": i,
        }
        for i in range(600)
    ]
    one = AccessAnalyzer()
    one.feed(_batch(rows, 0))
    first, second = AccessAnalyzer(), AccessAnalyzer()
    first.feed(_batch(rows[:300], 0))
    second.feed(_batch(rows[300:], 1 << 40))
    second.rebase(300 - (1 << 40))
    first.merge(second)
    a, b = one.finish(), first.finish()
    assert [(c.path, c.score, c.first_seq) for c in a.candidates] == [
        (c.path, c.score, c.first_seq) for c in b.candidates
    ]


def test_tomcat_manager_deploy_positive_and_benign(tmp_path: Path, run: Run) -> None:
    log = tmp_path / "localhost_access_log.txt"
    lines = [
        '192.0.2.1 - admin [10/Oct/2024:10:00:00 +0000] "GET /manager/html HTTP/1.1" 200 9000\n',
        '192.0.2.1 - admin [10/Oct/2024:10:00:05 +0000] "GET /manager/text/list HTTP/1.1" 200 90\n',
    ]
    log.write_text("".join(lines))
    benign = run("logs", str(log), "--format", "json", "-j", "1")
    assert not [f for f in benign.json()["findings"] if f["rule_id"] == "SSC-003-202"]
    lines += [
        "192.0.2.66 - tomcat [10/Oct/2024:10:01:00 +0000] "
        '"PUT /manager/text/deploy?path=/ops&update=true HTTP/1.1" 200 40\n',
        '192.0.2.66 - - [10/Oct/2024:10:01:09 +0000] "GET /ops/cmd.jsp?c=id HTTP/1.1" 200 30\n',
    ]
    log.write_text("".join(lines))
    result = run("logs", str(log), "--format", "json", "-j", "1")
    doc = result.json()
    deploys = [f for f in doc["findings"] if f["rule_id"] == "SSC-003-202"]
    assert len(deploys) == 1 and "/manager/text/deploy" in deploys[0]["title"]
    ranked = [f for f in doc["findings"] if f["rule_id"] == "SSC-003-200"]
    assert any("deployed-app" in e["excerpt"] for f in ranked for e in f["evidence"])


def test_upload_then_script_benign_when_the_script_was_known_before(
    tmp_path: Path, run: Run
) -> None:
    rng = random.Random(9)
    ua = "Mozilla/5.0 (X11; Linux) Firefox/120.0"
    lines = site_log(300, rng)
    lines.append(line("10.9.9.9", "GET", "/gallery.php", 200, 500, "https://ex/", ua, 400))
    lines.append(line("10.9.9.9", "POST", "/upload.php", 200, 20, "https://ex/", ua, 401))
    lines.append(line("10.9.9.9", "GET", "/gallery.php", 200, 500, "https://ex/", ua, 402))
    log = tmp_path / "access.log"
    log.write_text("".join(lines))
    doc = run("logs", str(log), "--format", "json", "-j", "1").json()
    assert not [f for f in doc["findings"] if f["rule_id"] == "SSC-003-203"]


def test_report_is_valid_json_and_sarif(tmp_path: Path, run: Run) -> None:
    log = tmp_path / "access.log"
    log.write_text("".join(site_log(200, random.Random(1)) + shell_log(300)))
    sarif = run("logs", str(log), "--format", "sarif", "-j", "1")
    assert sarif.code == 1
    assert json.loads(sarif.out)["runs"][0]["results"]
