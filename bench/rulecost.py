"""What each YARA-X string costs: time every string of the built-in rules and gates alone
over a tree, and print the ones above a threshold, costliest first.

    python bench/rulecost.py [--tree DIR] [--min-s 0.05] [RULE_FILE ...]

Each string is compiled into a rule of its own next to a fixed "ballast" rule (many
case-insensitive atoms that never match) and scanned over every file of the tree, held in
memory; the ballast alone is timed first and subtracted. The ballast puts the scanner's
atom search into the same mode as the full rule set, so what is left is close to the
string's own cost: verifying its regular expression at every place its atom occurs. A
string whose only atoms are short and frequent ("$", "`", "function", "<?") shows up here;
rewrite it with a rarer literal, or move the test out of the YARA-X pass (see the note at
the top of data/gates/php.yar). Times are CPU seconds, best of two; on a shared machine the
noise is up to about a tenth of a second per string: compare strings, not runs.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BALLAST = (
    r"rule ballast { strings: $b = /strrev\s*\(\s*['\"](tressa|lave|metsys|cexe_llehs"
    r"|urhtssap|edoced_46esab|noitcnuf_etaerc|etalfnizg)['\"]/ nocase condition: $b }"
)
_STRING = re.compile(r"^\s*(\$\w+)\s*=\s*(.*)$", re.M)


def load_tree(tree: Path) -> list[bytes]:
    out = []
    for dirpath, _, names in os.walk(tree):
        for name in names:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    out.append(handle.read())
    return out


def cost(source: str, files: list[bytes]) -> tuple[float, int]:
    import yara_x

    compiler = yara_x.Compiler()
    compiler.add_source(BALLAST)
    if source:
        compiler.add_source(source)
    scanner = yara_x.Scanner(compiler.build())
    best, hits = float("inf"), 0
    for _ in range(2):
        start = time.process_time()
        hits = sum(1 for data in files if scanner.scan(data).matching_rules)
        best = min(best, time.process_time() - start)
    return best, hits


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--tree", default=os.environ.get("SSCGUARD_CORPUS", "/work/eval/corpus/f"))
    parser.add_argument("--min-s", type=float, default=0.05, help="print strings above this")
    parser.add_argument("rules", nargs="*", help="rule files (default: built-in rules, gates)")
    args = parser.parse_args()
    tree = Path(args.tree)
    if not tree.is_dir():
        print(f"no tree at {tree}: pass --tree")
        return 2
    data = REPO / "src" / "sscguard" / "data"
    paths = [Path(p) for p in args.rules] or sorted(
        [*(data / "gates").glob("*.yar"), *(data / "rules").glob("*/*.yar")]
    )
    files = load_tree(tree)
    floor, _ = cost("", files)
    print(f"{len(files)} files; ballast alone {floor:.3f} CPU s (subtracted below)")
    rows = []
    for path in paths:
        for name, body in _STRING.findall(path.read_text()):
            rule = f"rule t {{ strings: {name} = {body} condition: {name} }}"
            try:
                seconds, hits = cost(rule, files)
            except Exception as exc:  # a string that needs its rule's context
                print(f"{path.name} {name}: not timed ({str(exc).splitlines()[0][:80]})")
                continue
            rows.append((seconds - floor, hits, path.name, name, body))
    print(f"{'CPU s':>7} {'files':>6}  string")
    for extra, hits, file, name, body in sorted(rows, reverse=True):
        if extra >= args.min_s:
            print(f"{extra:7.3f} {hits:6d}  {file} {name} {body[:90]}")
    total = sum(r[0] for r in rows)
    print(f"sum over {len(rows)} strings: {total:.2f} CPU s above the ballast")
    return 0


if __name__ == "__main__":
    sys.exit(main())
