"""Scan one tree with sscguard and with `yara -r` in the same run; print speed, memory, ratio.

    python bench/webshell.py [--tree DIR] [--yara-rules FILE_OR_DIR] [--jobs N]

`--tree` defaults to the development corpus ($SSCGUARD_CORPUS or /work/eval/corpus/f).
`--yara-rules` is the rule set the peer runs (for example a checkout of a public YARA pack);
without it the peer runs sscguard's own built-in rules, so both tools do the same matching
work. Peak RSS is the largest sum of resident memory over the whole process tree (workers
included), sampled every 20 ms from /proc; CPU s is user + system time of that whole tree
(exact, see treemeasure.py), the steadier number on a shared machine. The last line states
the scan's files/s, MB/s and peak RSS against each of the issue-3 bars. Needs Debian's `yara`
package for the peer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from treemeasure import measure  # noqa: E402


def tree_size(tree: Path) -> tuple[int, int]:
    files = size = 0
    for dirpath, _, names in os.walk(tree):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.isfile(p) and not os.path.islink(p):
                files += 1
                size += os.path.getsize(p)
    return files, size


EXTERNALS = ["-d", "filename=", "-d", "filepath=", "-d", "extension=", "-d", "filetype="]


def builtin_rules_file(yara: str) -> tuple[str, int, int]:
    """sscguard's built-in rules that libyara can also compile, joined into one file.

    Returns the file, the number of rules kept and the number libyara refused (YARA-X accepts
    some regular expressions that libyara calls too complex).
    """
    parts = sorted((REPO / "src" / "sscguard" / "data" / "rules").glob("*/*.yar"))
    kept = refused = 0
    with tempfile.NamedTemporaryFile("w", suffix=".yar", delete=False) as out:
        for p in parts:
            probe = subprocess.run(
                [yara, "-w", *EXTERNALS, str(p), os.devnull], capture_output=True, check=False
            )
            if probe.returncode != 0:
                refused += 1
                continue
            kept += 1
            out.write(p.read_text() + "\n")
    return out.name, kept, refused


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    default_tree = os.environ.get("SSCGUARD_CORPUS", "/work/eval/corpus/f")
    parser.add_argument("--tree", default=default_tree)
    parser.add_argument("--yara-rules", help="rule file or folder for the peer (default: ours)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--yara-only",
        action="store_true",
        help="sscguard without its code analysers (--no-code-analysis): the same matching work",
    )
    args = parser.parse_args()

    tree = Path(args.tree)
    if not tree.is_dir():
        print(f"no tree at {tree}: build the corpus (see ../shared/eval/README.md) or pass --tree")
        return 2
    yara = shutil.which("yara")
    if not yara:
        print("the peer needs Debian's yara package: apt-get install -y yara")
        return 2
    sscguard = shutil.which("sscguard", path=str(REPO / ".venv" / "bin")) or "sscguard"
    files, size = tree_size(tree)

    note = ""
    if args.yara_rules:
        rules = args.yara_rules
    else:
        rules, kept, refused = builtin_rules_file(yara)
        note = f" ({kept} rules; {refused} that libyara cannot compile left out)"
    rule_args: list[str]
    if os.path.isdir(rules):
        rule_args = [str(p) for p in sorted(Path(rules).rglob("*.yar"))]
    else:
        rule_args = [rules]

    # Warm the page cache so neither tool pays for the first read.
    for dirpath, _, names in os.walk(tree):
        for n in names:
            try:
                with open(os.path.join(dirpath, n), "rb") as handle:
                    while handle.read(1 << 20):
                        pass
            except OSError:
                pass

    ours = measure(
        "sscguard",
        [
            sscguard,
            "scan",
            "--no-progress",
            "--format",
            "json",
            "-o",
            os.devnull,
            "-j",
            str(args.jobs),
            *(["--no-code-analysis"] if args.yara_only else []),
            str(tree),
        ],
    )
    peer = measure(
        "yara -r",
        [yara, "-r", "-w", "-p", str(args.jobs), *EXTERNALS, *rule_args, str(tree)],
        ok_codes=(0,),
    )
    print(f"tree: {tree}  files: {files}  size: {size / 1e6:.1f} MB  jobs: {args.jobs}")
    print(f"peer rules: {args.yara_rules or 'sscguard built-in rules'}{note}")
    print(f"{'tool':<10} {'wall s':>8} {'files/s':>9} {'MB/s':>8} {'peak RSS MB':>12} {'CPU s':>7}")
    for m in (ours, peer):
        print(
            f"{m.name:<10} {m.wall_s:>8.2f} {files / m.wall_s:>9.0f} "
            f"{size / 1e6 / m.wall_s:>8.1f} {m.peak_rss_mb:>12.0f} {m.cpu_s:>7.2f}"
        )
    print(
        f"ratio (yara wall / sscguard wall): {peer.wall_s / ours.wall_s:.2f}x; "
        f"RSS sscguard/yara: {ours.peak_rss_mb / max(peer.peak_rss_mb, 1):.2f}x"
    )
    mode = "YARA only (--no-code-analysis)" if args.yara_only else "default scan"
    rate = files / ours.wall_s
    print(
        f"sscguard {mode}: {rate:.0f} files/s, {size / 1e6 / ours.wall_s:.1f} MB/s, "
        f"peak RSS {ours.peak_rss_mb:.0f} MB, {ours.cpu_s:.2f} CPU s "
        f"({files / max(ours.cpu_s, 1e-9):.0f} files per CPU-second); issue-3 bars: "
        f">= 5000 files/s {'met' if rate >= 5000 else 'not met'}, "
        f"<= 300 MB {'met' if ours.peak_rss_mb <= 300 else 'not met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
