"""The walker on a hostile tree: every file is analysed or listed as skipped with a reason."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run_as_nobody
from sscguard.config import ScanConfig
from sscguard.extract.files import FileEntry, Walker, WalkOptions, display_path, read_entry
from sscguard.model import SkipCode, Skipped
from sscguard.rules.yara import RuleSet
from sscguard.scan import scan

SHELL = b"<?php eval($_POST['x']); ?>\n"
DEPTH = 2000


@pytest.fixture()
def hostile(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A tree with every trap the issue names, plus an outside folder a link points to."""
    base = Path(tempfile.mkdtemp(prefix="sscguard-hostile-", dir="/tmp"))
    base.chmod(0o755)
    root = base / "root"
    outside = base / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.php").write_bytes(SHELL)
    (root / "index.php").write_bytes(b"<?php echo 'hello'; ?>\n")
    (root / "shell.php").write_bytes(SHELL)
    # symlink loop and a link out of the root
    (root / "loop").mkdir()
    (root / "loop" / "again").symlink_to("..")
    (root / "self").symlink_to("self")
    (root / "escape").symlink_to(outside)
    (root / "escape.php").symlink_to(outside / "secret.php")
    (root / "dangling").symlink_to(base / "nowhere")
    # FIFO and socket
    os.mkfifo(root / "pipe.php")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "sock.php"))
    # unreadable file
    (root / "locked.php").write_bytes(SHELL)
    (root / "locked.php").chmod(0o000)
    # non-UTF-8 name
    odd = os.fsencode(str(root)) + b"/sh\xffell\xfe.php"
    with open(odd, "wb") as handle:
        handle.write(SHELL)
    # 2,000 levels deep, with a shell at the bottom (longer than PATH_MAX as a whole)
    fd = os.open(root, os.O_RDONLY)
    for _ in range(DEPTH):
        os.mkdir("dd", dir_fd=fd)
        new = os.open("dd", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = new
    deep = os.open("deep.php", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(deep, SHELL)
    os.close(deep)
    os.close(fd)
    # above the size limit: shell code at the very end of a big file
    (root / "big.php").write_bytes(b"A" * (3 << 20) + b"\n" + SHELL)
    try:
        yield root, outside
    finally:
        sock.close()
        (root / "locked.php").chmod(0o644)
        _rmtree_deep(base)


def _rmtree_deep(base: Path) -> None:
    """shutil.rmtree recurses; coreutils' rm walks by descriptors and handles any depth."""
    subprocess.run(["rm", "-rf", "--one-file-system", str(base)], check=True)
    assert not base.exists()


def _walk(root: Path, **opts: object) -> tuple[list[FileEntry], list[Skipped]]:
    files: list[FileEntry] = []
    skips: list[Skipped] = []
    for item in Walker(WalkOptions(**opts)).walk([str(root)]):  # type: ignore[arg-type]
        (skips if isinstance(item, Skipped) else files).append(item)  # type: ignore[arg-type]
    return files, skips


def _codes(skips: list[Skipped]) -> dict[str, SkipCode]:
    return {os.path.basename(s.source): s.code for s in skips}


def test_symlinks_are_never_followed_out_of_the_root(hostile: tuple[Path, Path]) -> None:
    root, outside = hostile
    files, skips = _walk(root)
    paths = {f.path for f in files}
    assert not any(p.startswith(str(outside)) for p in paths)
    codes = _codes(skips)
    assert codes["escape"] is SkipCode.SYMLINK_OUTSIDE_ROOT
    assert codes["escape.php"] is SkipCode.SYMLINK_OUTSIDE_ROOT
    assert codes["again"] is SkipCode.SYMLINK  # loop back into the root: not followed
    assert codes["self"] is SkipCode.SYMLINK
    assert codes["dangling"] is SkipCode.SYMLINK
    reasons = {os.path.basename(s.source): s.reason for s in skips}
    assert "loop" in reasons["self"]
    assert "dangling" in reasons["dangling"]
    assert str(outside / "secret.php") in reasons["escape.php"]


def test_special_files_are_listed_not_opened(hostile: tuple[Path, Path]) -> None:
    root, _ = hostile
    _, skips = _walk(root)
    codes = _codes(skips)
    assert codes["pipe.php"] is SkipCode.SPECIAL_FILE
    assert codes["sock.php"] is SkipCode.SPECIAL_FILE


def test_deep_tree_is_walked_to_the_bottom(hostile: tuple[Path, Path]) -> None:
    root, _ = hostile
    files, skips = _walk(root)
    deep = [f for f in files if f.path.endswith("deep.php")]
    assert len(deep) == 1
    assert len(os.fsencode(deep[0].path)) > 4096  # longer than PATH_MAX
    assert deep[0].data == SHELL  # read through its directory descriptor
    assert not [s for s in skips if s.code is SkipCode.TOO_DEEP]


def test_depth_limit_is_reported(hostile: tuple[Path, Path]) -> None:
    root, _ = hostile
    files, skips = _walk(root, max_depth=10)
    assert not [f for f in files if f.path.endswith("deep.php")]
    assert [s for s in skips if s.code is SkipCode.TOO_DEEP and "max_depth=10" in s.reason]


def test_non_utf8_name_survives_to_the_report(hostile: tuple[Path, Path]) -> None:
    root, _ = hostile
    files, _ = _walk(root)
    odd = [f for f in files if "\udcff" in f.path]
    assert len(odd) == 1
    assert display_path(odd[0].path).endswith("sh\\xffell\\xfe.php")
    content = read_entry(odd[0], 1 << 20)
    assert not isinstance(content, Skipped) and content.data == SHELL


def test_big_file_gets_head_and_tail_and_a_skip_entry(hostile: tuple[Path, Path]) -> None:
    root, _ = hostile
    files, _ = _walk(root)
    big = next(f for f in files if f.path.endswith("big.php"))
    content = read_entry(big, 1 << 20)
    assert not isinstance(content, Skipped)
    assert content.truncated and len(content.data) <= (1 << 20) + 1
    assert content.data.endswith(SHELL)  # the tail is scanned


def test_file_swapped_after_listing_is_not_read(tmp_path: Path) -> None:
    target = tmp_path / "a.php"
    target.write_bytes(SHELL)
    [entry], _ = _walk(tmp_path)
    target.unlink()
    target.symlink_to("/etc/hostname")  # attacker swaps the file for a link
    result = read_entry(entry, 1 << 20)
    assert isinstance(result, Skipped) and result.code is SkipCode.CHANGED


def test_every_file_is_scanned_or_skipped_end_to_end(
    hostile: tuple[Path, Path], ruleset: RuleSet
) -> None:
    """The whole scan, run without root's powers so the mode-000 file really is unreadable."""
    root, outside = hostile
    cfg = ScanConfig(jobs=1, progress=False, max_file_size=1 << 20)

    def run() -> tuple[list[str], list[tuple[str, str]], bool]:
        doc = scan([str(root)], cfg, ruleset=ruleset)
        flagged = sorted({f.subject.path for f in doc.findings})
        skipped = [(s.source, s.code.value) for s in doc.skipped]
        return flagged, skipped, doc.incomplete

    flagged, skipped, incomplete = run_as_nobody(run)
    names = {os.path.basename(p) for p in flagged}
    assert {"shell.php", "deep.php", "big.php", "sh\\xffell\\xfe.php"} <= names
    assert "index.php" not in names
    assert not [p for p in flagged if p.startswith(str(outside))]
    by_name = {os.path.basename(src): code for src, code in skipped}
    assert by_name["locked.php"] == "unreadable"
    assert by_name["big.php"] == "too-large"
    assert incomplete  # unreadable and partly read files make the run incomplete


def test_links_within_a_hunt_root_are_followed_like_a_web_server(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    root = tmp_path / "host"
    web = root / "var" / "www" / "html"
    web.mkdir(parents=True)
    (root / "dev" / "shm").mkdir(parents=True)
    (root / "srv" / "uploads").mkdir(parents=True)
    (root / "dev" / "shm" / "evil.php").write_bytes(SHELL)
    (root / "srv" / "uploads" / "x.php").write_bytes(SHELL)
    (web / "index.php").symlink_to(root / "dev" / "shm" / "evil.php")
    (web / "up").symlink_to(root / "srv" / "uploads")
    (web / "everything").symlink_to(root)  # contains the scanned folder: never walked
    cfg = ScanConfig(jobs=1, progress=False)

    plain = scan([str(web)], cfg, ruleset=ruleset)
    assert not plain.findings
    assert {s.code for s in plain.skipped} == {SkipCode.SYMLINK_OUTSIDE_ROOT}

    hunted = scan([str(web)], cfg, ruleset=ruleset, link_boundary=str(root))
    flagged = {f.subject.path for f in hunted.findings}
    assert flagged == {
        str(root / "dev" / "shm" / "evil.php"),
        str(root / "srv" / "uploads" / "x.php"),
    }
    reasons = {os.path.basename(s.source): s.reason for s in hunted.skipped}
    assert "contains a scanned folder" in reasons["everything"]
    assert "followed" in reasons["index.php"]
    assert hunted.stats["files_scanned"] == 2
