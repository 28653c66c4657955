"""Parsers and the root-confined file view on hostile or unusual input."""

from __future__ import annotations

import os
from pathlib import Path

from sscguard.extract.configs.apache import load_apache, tokenize
from sscguard.extract.configs.esxi import parse_vib_list
from sscguard.extract.rootfs import RootFS
from sscguard.model import SkipCode
from sscguard.targets import discover


def test_symlinks_resolve_inside_the_root_never_outside(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "real.conf").write_text("inside")
    os.symlink("/etc/real.conf", tmp_path / "etc" / "abs.conf")  # absolute: means root/etc
    os.symlink("../../../../../etc/passwd", tmp_path / "etc" / "climb")  # cannot climb out
    fs = RootFS(str(tmp_path))
    assert fs.read_text("/etc/abs.conf") == "inside"
    assert fs.resolve("/etc/climb") == "/etc/passwd"
    skipped = fs.read("/etc/climb")
    assert not isinstance(skipped, bytes) and skipped.code is SkipCode.NOT_FOUND


def test_apache_include_cycle_and_missing_include(tmp_path: Path) -> None:
    conf = tmp_path / "etc" / "apache2"
    conf.mkdir(parents=True)
    (conf / "apache2.conf").write_text("Include apache2.conf\nInclude missing.conf\nListen 80\n")
    cfg = load_apache(RootFS(str(tmp_path)), "/etc/apache2/apache2.conf", "/etc/apache2")
    assert [d.name for d in cfg.directives] == ["Include", "Include", "Listen"]
    assert [s.code for s in cfg.skipped] == [SkipCode.NOT_FOUND]


def test_apache_tokenizer_keeps_regex_backslashes() -> None:
    assert tokenize('FilesMatch ".+\\.ph(?:ar|p)$" "a \\" b"') == [
        "FilesMatch",
        ".+\\.ph(?:ar|p)$",
        'a " b',
    ]


def test_malformed_and_entity_bomb_xml_become_skipped(tmp_path: Path) -> None:
    conf = tmp_path / "var" / "lib" / "tomcat10" / "conf"
    conf.mkdir(parents=True)
    (conf / "server.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>'
    )
    inv = discover(str(tmp_path))
    assert not inv.servers
    assert any(s.code is SkipCode.ERROR and "server.xml" in s.source for s in inv.skipped)


def test_vib_list_csv_and_xml_formats() -> None:
    csv_text = (
        "AcceptanceLevel,CreationDate,ID,InstallDate,Name,Vendor,Version,\n"
        "CommunitySupported,2024-02-01,X_bootbank_x_1.0,2024-02-03,x,Acme,1.0,\n"
    )
    xml_text = (
        '<?xml version="1.0"?><output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">'
        '<root><list type="structure"><structure typeName="VIB">'
        '<field name="Name"><string>x</string></field>'
        '<field name="Vendor"><string>Acme</string></field>'
        '<field name="AcceptanceLevel"><string>CommunitySupported</string></field>'
        "</structure></list></root></output>"
    )
    for text in (csv_text, xml_text):
        (vib,) = parse_vib_list(text)
        assert (vib.name, vib.vendor, vib.acceptance) == ("x", "Acme", "CommunitySupported")
