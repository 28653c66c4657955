"""Analyse one generated access log with sscguard and with goaccess in the same run.

    python bench/logs.py [--lines 2000000] [--jobs N] [--keep DIR]

The log is a realistic combined-format log made here: a few thousand clients browsing a site
(pages, assets, search and item IDs with query strings, some 404s and POSTs, 60 browser user
agents, referers), with a handful of web-shell requests planted late in it. sscguard runs its
full access-log analytics (`sscguard logs --format json`); goaccess parses the same file into
its JSON report (`goaccess --log-format=COMBINED -o report.json`). Both are timed wall-clock,
with peak resident memory of the whole process tree sampled from /proc every 20 ms. The
machine may be shared: numbers are provisional. Needs Debian's `goaccess` package.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from treemeasure import Measure, measure  # noqa: E402

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _line(
    client: str, stamp: str, method: str, uri: str, status: int, size: int, ref: str, ua: str
) -> str:
    return f'{client} - - [{stamp}] "{method} {uri} HTTP/1.1" {status} {size} "{ref}" "{ua}"\n'


def generate(path: Path, lines: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    clients = [
        f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        for _ in range(6000)
    ]
    uas = [
        f"Mozilla/5.0 (X11; Linux x86_64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"
        for v in range(100, 130)
    ]
    uas += [
        f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/{v}.0.0.0"
        for v in range(100, 130)
    ]
    pages = ["/", "/index.php", "/about.html", "/contact.php", "/blog/", "/shop/cart.php"]
    assets = ["/css/site.css", "/js/app.js", "/img/logo.png", "/img/hero.jpg", "/favicon.ico"]
    shell_at = int(lines * 0.8)
    t0 = 1728554400
    with path.open("w") as out:
        for i in range(lines):
            t = time.gmtime(t0 + i // 40)
            day = f"{t.tm_mday:02d}/{MONTHS[t.tm_mon - 1]}/{t.tm_year}"
            stamp = f"{day}:{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000"
            if shell_at <= i < shell_at + 40 and i % 4 == 0:
                cmd = rng.choice(["id", "whoami", "uname%20-a", "cat%20/etc/passwd"])
                uri = f"/wp-content/uploads/x.php?cmd={cmd}"
                size = rng.randint(10, 4000)
                out.write(_line("203.0.113.66", stamp, "GET", uri, 200, size, "-", "curl/8.5"))
                continue
            client = rng.choice(clients)
            r = rng.random()
            method, status, ref = "GET", 200, "https://shop.example/"
            if r < 0.35:
                uri = rng.choice(pages)
            elif r < 0.75:
                uri = rng.choice(assets)
            elif r < 0.85:
                uri = f"/shop/item.php?id={rng.randint(1, 5000)}"
            elif r < 0.92:
                uri = f"/search.php?q=w{rng.randint(1, 20000)}&page={rng.randint(1, 5)}"
            elif r < 0.96:
                uri, method = "/shop/cart.php", "POST"
            else:
                uri, status, ref = f"/old/{rng.randint(1, 3000)}.html", 404, "-"
            size = rng.randint(200, 60000)
            out.write(_line(client, stamp, method, uri, status, size, ref, rng.choice(uas)))


def _speed(m: Measure, lines: int) -> str:
    return f"{m.wall_s:.2f} s, {lines / m.wall_s:,.0f} lines/s, peak RSS {m.peak_rss_mb:.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", metavar="DIR", help="write the log here and keep it")
    args = parser.parse_args()
    goaccess = shutil.which("goaccess")
    sscguard = shutil.which("sscguard", path=str(Path(sys.executable).parent)) or "sscguard"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        log = work / "access.log"
        if not log.exists():
            generate(log, args.lines)
        size_mb = log.stat().st_size / 1e6
        print(
            f"log: {log} ({args.lines} lines, {size_mb:.0f} MB); cores: {os.cpu_count()}; "
            f"load average: {os.getloadavg()[0]:.2f} (shared machine: numbers are provisional)"
        )
        result = work / "sscguard.json"
        ours = measure(
            "sscguard",
            [
                sscguard,
                "logs",
                str(log),
                "--format",
                "json",
                "-o",
                str(result),
                "-j",
                str(args.jobs),
                "--no-progress",
            ],
        )
        with result.open() as handle:
            doc = json.load(handle)
        ranked = sorted(
            (f for f in doc["findings"] if f["rule_id"] == "SSC-003-200"),
            key=lambda f: int(f["tags"][0].split(":")[1]),
        )
        top = ranked[0]["title"] if ranked else "(none)"
        records = doc["stats"].get("access_records")
        print(f"sscguard: {_speed(ours, args.lines)}; records {records}; top candidate: {top}")
        if goaccess is None:
            print("goaccess is not installed (apt-get install goaccess): no comparison")
            return 0
        peer = measure(
            "goaccess",
            [
                goaccess,
                str(log),
                "--log-format=COMBINED",
                "--no-global-config",
                "-o",
                str(work / "goaccess.json"),
            ],
            ok_codes=(0,),
        )
        print(f"goaccess: {_speed(peer, args.lines)}")
        ratio = peer.wall_s / ours.wall_s
        print(f"ratio: sscguard is {ratio:.1f}x the speed of goaccess on the same log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
