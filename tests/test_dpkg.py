"""The one dpkg reader (extract/dpkg.py) and its three views, on databases built here."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sscguard.baseline import dpkg as baseline_dpkg
from sscguard.extract import dpkg
from sscguard.extract.rootfs import RootFS
from sscguard.model import SkipCode, Skipped


def _db(root: Path) -> Path:
    info = root / "var/lib/dpkg/info"
    info.mkdir(parents=True)
    module = root / "usr/lib/apache2/modules/mod_ok.so"
    module.parent.mkdir(parents=True)
    module.write_bytes(b"\x7fELF real module")
    digest = hashlib.md5(b"\x7fELF real module", usedforsecurity=False).hexdigest()
    (info / "apache2-bin:amd64.list").write_text(
        "/.\n/usr/lib/apache2/modules/mod_ok.so\n/lib/x86_64-linux-gnu/libapr.so.1\n"
    )
    (info / "apache2-bin:amd64.md5sums").write_text(
        f"{digest}  usr/lib/apache2/modules/mod_ok.so\nnot-a-digest  usr/x\n"
        f"{'z' * 32}  usr/bad-hex\n"
    )
    return info


def test_three_views_agree(tmp_path: Path) -> None:
    _db(tmp_path)
    (tmp_path / "lib").symlink_to("usr/lib")
    fs = RootFS(str(tmp_path))
    db = dpkg.PackageDb.load(fs)
    assert db.owner("/usr/lib/apache2/modules/mod_ok.so") == "apache2-bin"
    assert db.owner("/usr/lib/x86_64-linux-gnu/libapr.so.1") == "apache2-bin"  # merged /usr
    assert db.verify("/usr/lib/apache2/modules/mod_ok.so") == "ok"
    assert db.verify("/usr/lib/apache2/modules/evil.so") == "unowned"
    (tmp_path / "usr/lib/apache2/modules/mod_ok.so").write_bytes(b"\x7fELF swapped")
    assert db.verify("/usr/lib/apache2/modules/mod_ok.so") == "modified"

    owners = dpkg.DpkgOwners(str(tmp_path))
    assert owners.available
    assert owners.owners(["/usr/lib/x86_64-linux-gnu/libapr.so.1", "/tmp/x.so"]) == {
        "/usr/lib/x86_64-linux-gnu/libapr.so.1": "apache2-bin:amd64",
        "/tmp/x.so": None,
    }

    index = baseline_dpkg.load(str(tmp_path), ["/usr/lib"])
    assert set(index.owners) == {
        b"/usr/lib/apache2/modules/mod_ok.so",
        b"/usr/lib/x86_64-linux-gnu/libapr.so.1",  # mapped through the /lib link
    }
    owner = index.owner("/usr/lib/apache2/modules/mod_ok.so")
    assert owner is not None and owner.md5 is not None and len(owner.md5) == 16
    assert baseline_dpkg.package_md5s(str(tmp_path), "apache2-bin:amd64") == {
        b"/usr/lib/apache2/modules/mod_ok.so": owner.md5
    }


def test_link_out_of_the_image_stays_inside(tmp_path: Path) -> None:
    """An image whose dpkg directory is an absolute link must not read the analyst's own."""
    image = tmp_path / "image"
    (image / "var/lib").mkdir(parents=True)
    (image / "var/lib/dpkg").symlink_to("/var/lib/dpkg")  # absolute: means the image's /var
    assert not dpkg.present(RootFS(str(image)))
    assert dpkg.PackageDb.load(RootFS(str(image))).owners == {}
    assert not dpkg.DpkgOwners(str(image)).available
    assert not baseline_dpkg.load(str(image), ["/usr"]).present


def test_hostile_info_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    info = _db(tmp_path)
    os.mkfifo(info / "fifo.list")  # must not block
    (info / "outside.list").symlink_to(tmp_path / "var/lib/dpkg/info/apache2-bin:amd64.list")
    (info / ".list").write_text("/usr/nameless\n")  # no package name: ignored
    got = dict(dpkg.info_files(RootFS(str(tmp_path)), ".list"))
    assert set(got) == {"apache2-bin:amd64", "fifo", "outside"}
    fifo, link = got["fifo"], got["outside"]
    assert isinstance(fifo, Skipped) and fifo.code is SkipCode.SPECIAL_FILE
    assert isinstance(link, Skipped) and link.code is SkipCode.UNREADABLE  # O_NOFOLLOW
    db = dpkg.PackageDb.load(RootFS(str(tmp_path)))
    assert {s.code for s in db.skipped} == {SkipCode.SPECIAL_FILE, SkipCode.UNREADABLE}
    assert "/usr/nameless" not in db.owners


def test_oversize_list_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = _db(tmp_path)
    (info / "huge.list").write_bytes(b"/usr/a\n" * 100)
    monkeypatch.setattr(dpkg, "MAX_INFO_BYTES", 64)
    got = dict(dpkg.info_files(RootFS(str(tmp_path)), ".list"))
    huge = got["huge"]
    assert isinstance(huge, Skipped) and huge.code is SkipCode.TOO_LARGE


def test_md5sum_lines_and_aliases() -> None:
    good = "0" * 32
    lines = list(dpkg.md5sum_lines(f"{good}  /usr/a\n{good} one-space\n\n{good}  \n".encode()))
    assert lines == [(b"/usr/a", bytes(16))]
    assert dpkg.aliases("/lib/x.so") == ("/lib/x.so", "/usr/lib/x.so")
    assert dpkg.aliases("/usr/sbin/nginx") == ("/usr/sbin/nginx", "/sbin/nginx")
    assert dpkg.aliases("/etc/passwd") == ("/etc/passwd",)
