"""Measure sscguard's web-shell detection on the development corpus with the shared scorer.

    python bench/accuracy.py [--corpus DIR] [--eval DIR] [--by language|source_repo|ext]

Builds nothing: the corpus must exist (see ../shared/eval/README.md; default
$SSCGUARD_CORPUS_ROOT or /work/eval/corpus). Runs `sscguard scan` on it under
`/usr/bin/time -v`, writes the files with a finding of severity medium or higher to
flagged.txt, and runs the corpus's own score.py, which prints recall, false-positive rate
and (from the time report) files/s, MB/s and peak RSS. Nothing from the corpus is kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLAGGING = {"medium", "high", "critical"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--corpus", default=os.environ.get("SSCGUARD_CORPUS_ROOT", "/work/eval/corpus")
    )
    parser.add_argument("--eval", default=str(REPO.parent / "shared" / "eval"))
    parser.add_argument("--by", default="language", choices=("language", "source_repo", "ext"))
    parser.add_argument("--keep", help="also write the result document here")
    parser.add_argument(
        "--misses",
        metavar="DIR",
        help="write missed shells and flagged benign files per language to DIR (for triage)",
    )
    parser.add_argument(
        "--yara-only",
        action="store_true",
        help="switch the code analysers off (--no-code-analysis): the YARA-only baseline",
    )
    args = parser.parse_args()

    corpus = Path(args.corpus)
    score = Path(args.eval) / "score.py"
    if not (corpus / "manifest.csv").exists() or not score.exists():
        print(f"need {corpus}/manifest.csv and {score}: build the corpus first")
        return 2
    sscguard = str(REPO / ".venv" / "bin" / "sscguard")
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(args.keep or Path(tmp) / "result.json")
        timing = Path(tmp) / "time.txt"
        flagged = Path(tmp) / "flagged.txt"
        cmd = [
            "/usr/bin/time", "-v", "-o", str(timing),
            sscguard, "scan", "--no-progress", "--min-severity", "low",
            "--format", "json", "-o", str(result), str(corpus / "f"),
            *(["--no-code-analysis"] if args.yara_only else []),
        ]  # fmt: skip
        run = subprocess.run(cmd, check=False)
        if run.returncode not in (0, 1, 3):
            print(f"sscguard failed with exit code {run.returncode}")
            return 1
        doc = json.loads(result.read_text())
        paths = sorted({f["subject"]["path"] for f in doc["findings"] if f["severity"] in FLAGGING})
        flagged.write_text("".join(p + "\n" for p in paths))
        print(f"sscguard: {len(paths)} files flagged, {len(doc['skipped'])} skipped")
        if args.misses:
            write_misses(corpus, set(paths), Path(args.misses))
        scored = subprocess.run(
            [sys.executable, str(score), "--manifest", str(corpus / "manifest.csv"),
             "--flagged", str(flagged), "--split", "dev", "--by", args.by, "--time", str(timing)],
            check=False,
        )  # fmt: skip
        return scored.returncode


def write_misses(corpus: Path, flagged: set[str], out: Path) -> None:
    """One file per language and kind: ``<lang>.missed`` and ``<lang>.fp`` (absolute paths)."""
    out.mkdir(parents=True, exist_ok=True)
    lists: dict[str, list[str]] = {}
    with (corpus / "manifest.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["split"] != "dev":
                continue
            path = str((corpus / row["relpath"]).resolve())
            hit = path in flagged
            if row["label"] == "malicious" and not hit:
                lists.setdefault(f"{row['language']}.missed", []).append(path)
            elif row["label"] == "benign" and hit:
                lists.setdefault(f"{row['language']}.fp", []).append(path)
    for old in out.glob("*.missed"):
        old.unlink()
    for old in out.glob("*.fp"):
        old.unlink()
    for name, items in sorted(lists.items()):
        (out / name).write_text("".join(p + "\n" for p in sorted(items)))
        print(f"  {name}: {len(items)} -> {out / name}")


if __name__ == "__main__":
    sys.exit(main())
