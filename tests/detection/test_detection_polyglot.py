""".htaccess/.user.ini (SSC-003-408) and image polyglots (SSC-003-409) in the content scanner.

Every sample is a minimal one written for these tests; images are assembled byte by byte.
"""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.config import ScanConfig
from sscguard.detect.webshell import polyglot
from sscguard.detect.webshell.detectors import FileContext, run_detectors
from sscguard.extract.configs.apache import MAX_SECTIONS, parse_htaccess
from sscguard.model import Confidence, Finding, Severity
from sscguard.rules.yara import RuleSet
from sscguard.scan import scan

# -- image builders ------------------------------------------------------------------------


def jpeg(*segments: tuple[int, bytes], trailer: bytes = b"") -> bytes:
    out = b"\xff\xd8"
    out += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    for marker, body in segments:
        out += bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body
    out += b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00"
    out += bytes(range(0x80, 0xFF)) * 4 + b"\xff\xd9" + trailer
    return out


def png(*chunks: tuple[bytes, bytes], trailer: bytes = b"") -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    for kind, body in chunks:
        out += chunk(kind, body)
    out += chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    return out + trailer


PHP_SHELL = b'<?php system($_GET["c"]); ?>'
PHP_EVAL = b"<?php @eval($_POST['k']); ?>"


def run(path: str, data: bytes) -> list[Finding]:
    return [f for f in run_detectors(path, data, ()) if f.rule_id in ("SSC-003-408", "SSC-003-409")]


def worst(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), default=Severity.INFO)


# -- SSC-003-408 ---------------------------------------------------------------------------

HTACCESS_HIGH = {
    "addtype-images": "AddType application/x-httpd-php .jpg .png\n",
    "addhandler-cpanel-handler": "AddHandler application/x-httpd-ea-php74 .gif\n",
    "filesmatch-sethandler": '<FilesMatch "\\.(jpe?g|gif)$">\n'
    "  SetHandler application/x-httpd-php\n</FilesMatch>\n",
    "sethandler-whole-folder": "SetHandler application/x-httpd-php\n",
    "forcetype-in-files": '<Files "avatar.png">\nForceType application/x-httpd-php\n</Files>\n',
    "double-extension": "AddHandler php5-script .php.txt\n",
    "cgi-images": "Options +ExecCGI\nAddHandler cgi-script .jpg\n",
    "prepend-data-url": "php_value auto_prepend_file data://text/plain;base64,PD9waHAg\n",
    "prepend-php-input": 'php_value auto_append_file "php://input"\n',
    "prepend-tmp": "php_value auto_prepend_file /dev/shm/.x\n",
    "self-running": "AddType application/x-httpd-php .htaccess\n"
    "php_value auto_append_file .htaccess\n# <?php system($_GET['c']); ?>\n",
}
HTACCESS_MEDIUM = {
    "unknown-extension": "AddType application/x-httpd-php .xyz\n",
    "engine-on-in-uploads": "php_flag engine on\n",
    "prepend-php-file": "php_value auto_prepend_file /var/www/html/inc/boot.php\n",
}
HTACCESS_BENIGN = {
    "wordpress": "# BEGIN WordPress\n<IfModule mod_rewrite.c>\nRewriteEngine On\nRewriteBase /\n"
    "RewriteRule ^index\\.php$ - [L]\nRewriteCond %{REQUEST_FILENAME} !-f\n"
    "RewriteCond %{REQUEST_FILENAME} !-d\nRewriteRule . /index.php [L]\n</IfModule>\n"
    "# END WordPress\n",
    "laravel": "<IfModule mod_rewrite.c>\n    <IfModule mod_negotiation.c>\n"
    "        Options -MultiViews -Indexes\n    </IfModule>\n    RewriteEngine On\n"
    "    RewriteCond %{HTTP:Authorization} .\n"
    "    RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]\n"
    "    RewriteCond %{REQUEST_FILENAME} !-d\n    RewriteRule ^ index.php [L]\n</IfModule>\n",
    "deny-and-limits": "Order deny,allow\nDeny from all\nphp_value memory_limit 256M\n"
    "php_flag display_errors off\nphp_value upload_max_filesize 64M\n",
    "hardened-uploads": "php_flag engine off\nRemoveHandler .php .phtml\nSetHandler none\n"
    "Options -ExecCGI -Indexes\n",
    "cpanel-php-version": "AddHandler application/x-httpd-ea-php81 .php .php8 .phtml\n",
    "debian-fpm": '<FilesMatch ".+\\.ph(ar|p|tml)$">\n'
    '    SetHandler "proxy:unix:/run/php/php8.2-fpm.sock|fcgi://localhost"\n</FilesMatch>\n',
    "cgi-bin": "Options +ExecCGI\nAddHandler cgi-script .cgi .pl\n",
    "prepend-none": "php_value auto_prepend_file none\n",
}


@pytest.mark.parametrize("name", sorted(HTACCESS_HIGH))
def test_htaccess_positive_is_high(name: str) -> None:
    found = run("/srv/www/site/uploads/.htaccess", HTACCESS_HIGH[name].encode())
    assert [f.rule_id for f in found] == ["SSC-003-408"], name
    assert found[0].severity is Severity.HIGH, name
    assert all(e.location.line for e in found[0].evidence if e.kind != "score")


@pytest.mark.parametrize("name", sorted(HTACCESS_MEDIUM))
def test_htaccess_suspicious_is_medium(name: str) -> None:
    found = run("/srv/www/site/uploads/.htaccess", HTACCESS_MEDIUM[name].encode())
    assert worst(found) is Severity.MEDIUM, name


@pytest.mark.parametrize("name", sorted(HTACCESS_BENIGN))
def test_htaccess_benign_is_not_flagged(name: str) -> None:
    folder = "cgi-bin" if name == "cgi-bin" else "wp-content/uploads"
    found = run(f"/srv/www/site/{folder}/.htaccess", HTACCESS_BENIGN[name].encode())
    assert worst(found) < Severity.MEDIUM, (name, found)


def test_html_to_php_mapping_is_low_not_flagged() -> None:
    found = run("/srv/www/.htaccess", b"AddType application/x-httpd-php .html .htm\n")
    assert worst(found) is Severity.LOW


def test_engine_on_outside_upload_folder_is_not_flagged() -> None:
    assert run("/srv/www/app/.htaccess", b"php_flag engine on\n") == []


def test_only_config_file_names_are_read_as_config() -> None:
    assert run("/srv/www/notes.txt", HTACCESS_HIGH["addtype-images"].encode()) == []
    assert run("/srv/collected/site1.htaccess", HTACCESS_HIGH["addtype-images"].encode())


USER_INI = {
    "/srv/www/.user.ini": (b"auto_prepend_file = /tmp/sess_abc\n", Severity.HIGH),
    "/srv/www/a/.user.ini": (b'auto_prepend_file = "../uploads/1.gif"\n', Severity.HIGH),
    "/srv/www/b/.user.ini": (b"auto_append_file=php://input\n", Severity.HIGH),
    "/srv/www/c/.user.ini": (b"auto_prepend_file = /srv/www/waf/boot.php\n", Severity.MEDIUM),
}


@pytest.mark.parametrize("path", sorted(USER_INI))
def test_user_ini_prepend(path: str) -> None:
    data, severity = USER_INI[path]
    found = run(path, data)
    assert [f.rule_id for f in found] == ["SSC-003-408"]
    assert found[0].severity is severity


def test_user_ini_benign_settings() -> None:
    data = b"; site settings\nmemory_limit = 256M\nauto_prepend_file =\nupload_max_filesize=8M\n"
    assert run("/srv/www/.user.ini", data) == []


def test_relative_prepend_is_resolved_against_the_config_folder() -> None:
    assert polyglot.prepend_target("../x/y.php", "/srv/www/a/.user.ini") == "/srv/www/x/y.php"
    assert polyglot.prepend_target("'/abs/z.php'", "/q/.htaccess") == "/abs/z.php"


# -- SSC-003-409 ---------------------------------------------------------------------------

POLYGLOTS = {
    "jpeg-comment": ("up/avatar.jpg", jpeg((0xFE, PHP_SHELL)), "COM"),
    "jpeg-exif": ("up/p.jpeg", jpeg((0xE1, b"Exif\x00\x00" + PHP_EVAL)), "APP1"),
    "jpeg-trailer": ("up/p.jpg", jpeg(trailer=b"\n" + PHP_SHELL), "after the JPEG end marker"),
    "png-text": ("up/p.png", png((b"tEXt", b"Comment\x00" + PHP_EVAL)), "tEXt"),
    "png-after-iend": ("up/q.png", png(trailer=PHP_SHELL), "after IEND"),
    "gif-asp-write": (
        "up/x.asp",
        b"GIF89a\x01\x00\x01\x00;<%\nset fs=server.CreateObject(\"scripting.filesystemobject\")\n"
        b'set f=fs.CreateTextFile(Request.Form("p"),True)\nf.Write Request.Form("d")\n%>',
        "GIF",
    ),
    "gif-jsp-exec": (
        "up/i.gif",
        b'GIF89a<% Runtime.getRuntime().exec(request.getParameter("c")); %>',
        "GIF",
    ),
    "bmp-server-script": (
        "up/b.bmp",
        b"BM" + struct.pack("<IHHII", 90, 0, 0, 54, 40) + b"\x00" * 12
        + b'<script runat="server">eval(Request.Item["z"],"unsafe");</script>',
        "BMP",
    ),
    "jpg-extension-plain-php": ("up/thumb.jpg", b"<?php passthru($_REQUEST['x']);", ".jpg"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(POLYGLOTS))
def test_polyglot_positive(name: str) -> None:
    path, data, where = POLYGLOTS[name]
    found = [f for f in run(path, data) if f.rule_id == "SSC-003-409"]
    assert found, name
    assert found[0].severity is Severity.HIGH
    assert found[0].confidence >= Confidence.MEDIUM
    details = " ".join(e.detail for e in found[0].evidence)
    assert where in details, details


def test_polyglot_is_left_to_the_yara_rule_when_it_already_matched(ruleset: RuleSet) -> None:
    from sscguard.rules.yara import Matcher

    data = b"GIF89a;" + PHP_SHELL
    hits = Matcher(ruleset).match(data, {"filename": "a.gif", "filepath": "a.gif"})
    assert any(h.rule.id == "SSC-003-014" for h in hits)
    assert polyglot.detect(FileContext("a.gif", data, hits)) == []


BENIGN_IMAGES = {
    "jpeg-text-comment": ("a.jpg", jpeg((0xFE, b"Created with an image editor; quality 90"))),
    "jpeg-xmp": (
        "b.jpg",
        jpeg((0xE1, b'http://ns.adobe.com/xap/1.0/\x00<?xpacket begin="" id="W5M0"?>'
              b"<x:xmpmeta/><?xpacket end='w'?>")),
    ),
    "png-description": ("c.png", png((b"tEXt", b"Description\x00Our system exec summary (2024)"))),
    "random-bytes-with-tags": (
        "d.png",
        png((b"IDAT", bytes(range(256)) + b"<?=\x01 system(" + b"<%\x02 Execute %>" + b"\x00" * 9)),
    ),
    "pdf-quoting-asp": ("e.pdf", b"%PDF-1.4\n(<% Execute Request(\"x\") %>) Tj\n%%EOF\n"),
    "gif-plain": ("f.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;"),
    "text-starting-with-bm": ("g.txt", b"BMW parts list <?php system($x); ?>"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BENIGN_IMAGES))
def test_benign_images_are_not_flagged(name: str) -> None:
    path, data = BENIGN_IMAGES[name]
    assert [f for f in run(path, data) if f.rule_id == "SSC-003-409"] == [], name


def test_jpeg_and_png_walkers_name_segments() -> None:
    segs = polyglot.jpeg_segments(jpeg((0xFE, b"hi")))
    assert [s[0] for s in segs] == ["APP0", "COM", "SOS"]
    chunks = polyglot.png_chunks(png(trailer=b"x"))
    assert [c[0] for c in chunks] == ["IHDR", "IDAT", "IEND", "data after IEND"]


# -- across files (scan-level correlation) -------------------------------------------------


def test_prepend_of_a_flagged_file_is_raised_to_high(tmp_path: Path, ruleset: RuleSet) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "boot.php").write_text("<?php eval($_POST['k']);\n")
    (tmp_path / ".user.ini").write_text("auto_prepend_file = inc/boot.php\n")
    doc = scan([str(tmp_path)], ScanConfig(jobs=1), ruleset=ruleset)
    config = [f for f in doc.findings if f.rule_id == "SSC-003-408"]
    assert len(config) == 1 and config[0].severity is Severity.HIGH
    assert any(e.kind == "correlation" for e in config[0].evidence)


def test_mapping_and_polyglot_in_one_tree(tmp_path: Path, ruleset: RuleSet) -> None:
    up = tmp_path / "uploads"
    up.mkdir()
    (up / ".htaccess").write_text("AddType application/x-httpd-php .png\n")
    (up / "a.png").write_bytes(png((b"tEXt", b"c\x00<?php $f=$_GET['f']; $f($_GET['a']); ?>")))
    doc = scan([str(tmp_path)], ScanConfig(jobs=1), ruleset=ruleset)
    image = [f for f in doc.findings if f.rule_id in ("SSC-003-409", "SSC-003-014")]
    assert image and image[0].confidence is Confidence.HIGH
    assert any(e.kind == "correlation" for e in image[0].evidence)


# -- robustness ----------------------------------------------------------------------------

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ("/w/.htaccess", "/w/uploads/.user.ini", "/w/a.jpg", "/w/a.png", "/w/x.gif", "/w/y")
HEADS = (
    b"",
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"GIF89a",
    b"BM",
    b"%PDF-",
    b"\x00\x00\x01\x00",
)


@FAST
@given(st.sampled_from(NAMES), st.sampled_from(HEADS), st.binary(max_size=4096))
def test_random_input_never_crashes(name: str, head: bytes, body: bytes) -> None:
    for f in polyglot.detect(FileContext(name, head + body)):
        assert f.rule_id in polyglot.IDS


@FAST
@given(st.text(alphabet="<>/\"'\\ \n\tAddTypeSetHandlerphp_value.jpg*~()|FilesMatch", max_size=600))
def test_random_htaccess_text_never_crashes(text: str) -> None:
    polyglot.htaccess_issues(text, "/w/uploads/.htaccess")
    polyglot.user_ini_issues(text, "/w/.user.ini")


@FAST
@given(st.binary(max_size=2048))
def test_segment_walkers_are_bounded(body: bytes) -> None:
    assert len(polyglot.jpeg_segments(b"\xff\xd8" + body)) <= polyglot.MAX_CHUNKS
    assert len(polyglot.png_chunks(b"\x89PNG\r\n\x1a\n" + body)) <= polyglot.MAX_CHUNKS + 1


def test_deeply_nested_htaccess_costs_linear_memory() -> None:
    text = "<Files a>\n" * 20000 + "AddType application/x-httpd-php .jpg\n" * 20000
    started = time.monotonic()
    directives = parse_htaccess(text, "/w/.htaccess")
    assert max(len(d.sections) for d in directives) == MAX_SECTIONS
    assert time.monotonic() - started < 5


def test_huge_image_with_many_tags_is_bounded() -> None:
    data = b"\xff\xd8\xff\xe0" + (b"<?php " + b"\x01" * 10 + b"<% x %>") * 50000
    started = time.monotonic()
    polyglot.detect(FileContext("/w/big.jpg", data))
    assert time.monotonic() - started < 2
