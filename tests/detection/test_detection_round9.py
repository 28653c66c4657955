"""Sinks and flows added in the seventh session, each through the whole scan path (YARA-X
rules, gates, analysers): PHP calls through an array element, ``mail()``'s sendmail
options, input read from a listening socket, static properties, ``define()``-d constants;
ASP.NET ``XamlReader``, Json.NET with ``TypeNameHandling``, ``Process.Start`` through
reflection, ``WebClient.DownloadFile`` into the web root. Each positive has a benign
counterpart of the same shape; a cast to a number or a boolean ends a path (a string
cast does not). All samples are minimal ones written for these tests."""

from __future__ import annotations

from conftest import ScanPath, findings_in
from sscguard.model import Finding, Severity

#: name -> (file name, content, rule expected at medium or above)
POSITIVES: dict[str, tuple[str, str, str]] = {
    "php-array-element-callee": (
        "a.php",
        "<?php\nparse_str($_SERVER['QUERY_STRING'], $o);\n$o['f']($o['a']);\n",
        "SSC-003-400",
    ),
    "php-mail-sendmail-options": (
        "m.php",
        "<?php\nmail($_GET['to'], 'hi', $_GET['body'], '', $_GET['opts']);\n",
        "SSC-003-401",
    ),
    "php-socket-server-input": (
        "s.php",
        "<?php\n$srv = stream_socket_server('tcp://0.0.0.0:31337');\n"
        "while ($c = stream_socket_accept($srv)) {\n  $l = fgets($c);\n"
        "  fwrite($c, shell_exec($l));\n  fclose($c);\n}\n",
        "SSC-003-401",
    ),
    "php-static-property": (
        "k.php",
        "<?php\nclass K { public static $c; }\nK::$c = $_GET['c'];\nsystem(K::$c);\n",
        "SSC-003-401",
    ),
    "php-static-property-in-method": (
        "k.php",
        "<?php\nclass K {\n  public static $c;\n  static function run() { system(self::$c); }\n}\n"
        "K::$c = $_POST['c'];\nK::run();\n",
        "SSC-003-401",
    ),
    "php-defined-constant": (
        "d.php",
        "<?php\ndefine('TASK', $_POST['t']);\neval(TASK);\n",
        "SSC-003-400",
    ),
    "php-define-any-case": (
        "d.php",
        "<?php\nDefine('TASK', $_POST['t']);\neval(TASK);\n",
        "SSC-003-400",
    ),
    "php-keyed-read-in-extract-scope": (
        "e.php",
        "<?php\n$cfg['y'] = 1;\nfunction f() {\n  extract($_GET);\n  eval($cfg['x']);\n}\nf();\n",
        "SSC-003-400",
    ),
    "php-string-cast-keeps-taint": (
        "c.php",
        "<?php\nsystem((string) $_GET['c']);\n",
        "SSC-003-401",
    ),
    "aspx-xamlreader": (
        "x.aspx",
        '<%@ Page Language="C#" %><%\n'
        'System.Windows.Markup.XamlReader.Parse(Request.Form["x"]);\n%>\n',
        "SSC-003-405",
    ),
    "aspx-jsonnet-typenamehandling": (
        "j.aspx",
        '<%@ Page Language="C#" %><%\nvar s = new Newtonsoft.Json.JsonSerializerSettings '
        "{ TypeNameHandling = Newtonsoft.Json.TypeNameHandling.Auto };\n"
        'Newtonsoft.Json.JsonConvert.DeserializeObject<object>(Request.Form["j"], s);\n%>\n',
        "SSC-003-405",
    ),
    "aspx-reflected-process-start": (
        "r.aspx",
        '<%@ Page Language="C#" %><%\n'
        "string body = new System.IO.StreamReader(Request.InputStream).ReadToEnd();\n"
        'var m = Type.GetType("System.Diagnostics.Process").GetMethod("Start", '
        "new[] { typeof(string), typeof(string) });\n"
        'm.Invoke(null, new object[] { "cmd.exe", "/c " + body });\n%>\n',
        "SSC-003-430",
    ),
    "aspx-downloadfile-webroot": (
        "w.aspx",
        '<%@ Page Language="C#" %><%\nnew System.Net.WebClient().DownloadFile(Request["u"], '
        'Server.MapPath("~/" + Request["n"]));\n%>\n',
        "SSC-003-432",
    ),
}  # fmt: skip

#: name -> (file name, content): the same shapes in application code
BENIGN: dict[str, tuple[str, str]] = {
    "php-array-element-fixed-callee": (
        "a.php",
        "<?php\n$filters = array('up' => 'strtoupper', 'low' => 'strtolower');\n"
        "$q = trim($_GET['q'] ?? '');\necho $filters['up']($q);\n",
    ),
    "php-contact-form-mail": (
        "m.php",
        "<?php\n$msg = wordwrap($_POST['message'], 70);\n"
        "mail('owner@example.com', 'Contact: ' . $_POST['subject'], $msg, "
        "'From: site@example.com', '-fsite@example.com');\n",
    ),
    "php-contact-form-mail-from-option": (
        "m.php",
        "<?php\n$from = 'noreply@example.com';\n"
        "mail($to, 'Order', $_POST['note'], '', '-f' . $from);\n",
    ),
    "php-echo-socket-server": (
        "s.php",
        "<?php\n$srv = stream_socket_server('tcp://127.0.0.1:9000');\n"
        "while ($c = stream_socket_accept($srv)) {\n  $l = fgets($c);\n"
        "  fwrite($c, strtoupper($l));\n  fclose($c);\n}\n",
    ),
    "php-static-property-config": (
        "k.php",
        "<?php\nclass Cfg { public static $bin = '/usr/bin/convert'; }\n"
        "Cfg::$bin = '/usr/local/bin/convert';\n$size = (int) $_GET['w'];\n"
        "system(Cfg::$bin . ' -resize ' . $size . ' in.png out.jpg');\n",
    ),
    "php-keyed-array-other-key": (
        "c.php",
        "<?php\n$cfg['GET'] = &$_GET['app'];\n$cfg['lang'] = 'en';\n"
        "include __DIR__ . '/lang/' . $cfg['lang'] . '.php';\n",
    ),
    "php-defined-constant-fixed": (
        "d.php",
        "<?php\ndefine('APP_DIR', __DIR__);\n"
        "define('MODE', isset($_GET['debug']) ? 'dev' : 'web');\n"
        "include APP_DIR . '/lib/boot.php';\neval('return 1;');\n",
    ),
    "aspx-xamlreader-own-file": (
        "x.aspx",
        '<%@ Page Language="C#" %><%\nvar id = HttpUtility.HtmlEncode(Request["id"]);\n'
        "var v = System.Windows.Markup.XamlReader.Parse("
        'System.IO.File.ReadAllText(Server.MapPath("~/App_Data/view.xaml")));\n'
        "Response.Write(id);\n%>\n",
    ),
    "aspx-jsonnet-default-settings": (
        "j.aspx",
        '<%@ Page Language="C#" %><%\n'
        'var o = Newtonsoft.Json.JsonConvert.DeserializeObject<Order>(Request.Form["j"]);\n%>\n',
    ),
    "aspx-jsonnet-typenamehandling-none": (
        "j.aspx",
        '<%@ Page Language="C#" %><%\nvar s = new Newtonsoft.Json.JsonSerializerSettings '
        "{ TypeNameHandling = Newtonsoft.Json.TypeNameHandling.None };\n"
        'var o = Newtonsoft.Json.JsonConvert.DeserializeObject<Order>(Request.Form["j"], s);\n%>\n',
    ),
    "aspx-reflected-other-method": (
        "r.aspx",
        '<%@ Page Language="C#" %><%\n'
        'var m = typeof(Math).GetMethod("Max", new[] { typeof(int), typeof(int) });\n'
        'Total.Text = m.Invoke(null, new object[] { int.Parse(Request["a"]), 1 })'
        ".ToString();\n%>\n",
    ),
    "aspx-downloadfile-fixed": (
        "w.aspx",
        '<%@ Page Language="C#" %><%\nvar page = int.Parse(Request["p"]);\n'
        'new System.Net.WebClient().DownloadFile("https://updates.example.com/feed.xml", '
        'Server.MapPath("~/App_Data/feed.xml"));\n%>\n',
    ),
}  # fmt: skip


#: where the case tables' files are scanned, and the severity a positive must reach
#: (tests/detection/test_case_tables.py runs POSITIVES and BENIGN)
PREFIX = "/srv/www/"
FLAGGED_AT = Severity.MEDIUM


def _scan(name: str, text: str, scan_path: ScanPath) -> list[Finding]:
    return findings_in(scan_path, PREFIX + name, text)


def test_paths_name_the_new_steps(scan_path: ScanPath) -> None:
    for case, step in (
        ("php-static-property", "::$c"),
        ("php-defined-constant", "define('TASK')"),
        ("php-socket-server-input", "network input"),
    ):
        name, text, rule = POSITIVES[case]
        found = next(f for f in _scan(name, text, scan_path) if f.rule_id == rule)
        assert step in " ".join(e.excerpt for e in found.evidence), case


def test_cycles_through_statics_and_constants_end(scan_path: ScanPath) -> None:
    """``self::$x = f(self::$x)`` and ``define('A', A . 'x')`` refer to themselves: the
    analysis must end (a first cut recursed until the worker process crashed)."""
    text = (
        "<?php\nclass A { static $x; function f() { self::$x = trim(self::$x); "
        "system(self::$x); } }\ndefine('B', B . 'x');\neval(B);\n$q = $_GET['q'];\n"
    )
    result = scan_path("/srv/www/cycle.php", text.encode())
    assert not result.skipped, result.skipped
    assert not [f for f in result.findings if f.severity >= Severity.MEDIUM]
