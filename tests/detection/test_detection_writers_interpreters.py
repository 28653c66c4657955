"""Sinks added in the sixth session, each through the whole scan path (YARA-X rules, gates,
analysers): file writers (``SplFileObject``, a request-named ``fopen``, request content
written whole into a script, ``copy`` of a request-chosen source into a script), PHP tag
callbacks, ``dl``, COM shells, ``(object)`` casts and ``get_defined_vars()``; Java OGNL,
JNDI, XSLT, method handles and the Java compiler; ASP.NET XSLT scripts, VB ``Interaction.Shell``
and shellcode loaders; classic ASP WMI ``Win32_Process.Create``. Each positive has a benign
counterpart of the same shape. All samples are minimal ones written for these tests."""

from __future__ import annotations

from conftest import ScanPath, findings_in
from sscguard.model import Finding, Severity

#: name -> (file name, content, rule expected at medium or above)
POSITIVES: dict[str, tuple[str, str, str]] = {
    "php-splfileobject-write": (
        "w.php",
        '<?php\n$f = new SplFileObject($_GET["n"], "w");\n$f->fwrite($_POST["d"]);\n',
        "SSC-003-402",
    ),
    "php-fopen-request-named": (
        "w.php",
        '<?php\n$h = fopen($_GET["f"], "w");\nfwrite($h, $_POST["d"]);\nfclose($h);\n',
        "SSC-003-402",
    ),
    "php-request-written-into-script": (
        "w.php",
        '<?php\nfile_put_contents("a.php", $_POST["d"]);\n',
        "SSC-003-402",
    ),
    "php-decoded-request-into-script": (
        "w.php",
        '<?php\n$b = base64_decode($_POST["d"]);\nfile_put_contents(__DIR__ . "/x.php", $b);\n',
        "SSC-003-402",
    ),
    "php-stream-into-script": (
        "w.php",
        '<?php\n$h = fopen("up.php", "w");\nfwrite($h, $_POST["d"]);\nfclose($h);\n',
        "SSC-003-402",
    ),
    "php-copy-into-script": (
        "w.php",
        '<?php\ncopy($_GET["u"], __DIR__ . "/cache.php");\n',
        "SSC-003-402",
    ),
    "php-yaml-tag-callbacks": (
        "y.php",
        '<?php\n$cb = array("!run" => "system");\nyaml_parse($_POST["y"], 0, $n, $cb);\n',
        "SSC-003-400",
    ),
    "php-dl": ("d.php", '<?php\ndl($_GET["e"]);\n', "SSC-003-400"),
    "php-com-wscript": (
        "c.php",
        '<?php\n$w = new COM("WScript.Shell");\n$e = $w->exec("cmd /c " . $_POST["x"]);\n'
        "echo $e->StdOut->ReadAll();\n",
        "SSC-003-401",
    ),
    "php-object-cast-callee": (
        "o.php",
        '<?php\n$o = (object) array("f" => $_GET["f"]);\n($o->f)($_GET["a"]);\n',
        "SSC-003-400",
    ),
    "php-get-defined-vars": (
        "v.php",
        '<?php\n$v = get_defined_vars();\nassert($v["_GET"]["c"]);\n',
        "SSC-003-400",
    ),
    "jsp-ognl": (
        "o.jsp",
        '<% out.print(ognl.Ognl.getValue(request.getParameter("e"), new java.util.HashMap())); %>',
        "SSC-003-404",
    ),
    "jsp-jndi": (
        "n.jsp",
        '<% new javax.naming.InitialContext().lookup(request.getParameter("n")); %>',
        "SSC-003-404",
    ),
    "jsp-jndi-variable": (
        "n.jsp",
        "<% javax.naming.Context c = new javax.naming.InitialContext();\n"
        'String n = request.getParameter("n");\nc.lookup(n); %>',
        "SSC-003-404",
    ),
    "jsp-xslt": (
        "x.jsp",
        '<%@ page import="javax.xml.transform.*,javax.xml.transform.stream.*,java.io.*" %><%\n'
        "Transformer t = TransformerFactory.newInstance().newTransformer(\n"
        '  new StreamSource(new StringReader(request.getParameter("x"))));\n'
        't.transform(new StreamSource(new StringReader("<a/>")), new StreamResult(out)); %>',
        "SSC-003-404",
    ),
    "jsp-method-handle": (
        "h.jsp",
        '<%@ page import="java.lang.invoke.*" %><%\n'
        'MethodHandle h = MethodHandles.lookup().findVirtual(Runtime.class, "exec",\n'
        "  MethodType.methodType(Process.class, String.class));\n"
        'h.invoke(Runtime.getRuntime(), request.getParameter("c")); %>',
        "SSC-003-420",
    ),
    "jsp-java-compiler": (
        "j.jsp",
        '<%@ page import="javax.tools.*,java.io.*" %><%\n'
        'String src = request.getParameter("src");\n'
        'File f = new File(System.getProperty("java.io.tmpdir"), "T.java");\n'
        "FileWriter w = new FileWriter(f); w.write(src); w.close();\n"
        "ToolProvider.getSystemJavaCompiler().run(null, null, null, f.getPath()); %>",
        "SSC-003-404",
    ),
    "aspx-xslt-scripts": (
        "x.aspx",
        '<%@ Page Language="C#" %><%@ Import Namespace="System.Xml.Xsl" %>\n'
        '<script runat="server">\nvoid Page_Load(object s, EventArgs e) {\n'
        "  var x = new XslCompiledTransform();\n"
        '  x.Load(System.Xml.XmlReader.Create(new System.IO.StringReader(Request.Form["xsl"])),\n'
        "         new XsltSettings(true, true), new System.Xml.XmlUrlResolver());\n}\n</script>\n",
        "SSC-003-405",
    ),
    "aspx-vb-interaction-shell": (
        "s.aspx",
        '<%@ Page Language="VB" %>\n'
        '<% Microsoft.VisualBasic.Interaction.Shell(Request("c"), 0) %>\n',
        "SSC-003-430",
    ),
    "aspx-csharp-interaction-shell": (
        "s.aspx",
        '<%@ Page Language="C#" %>\n'
        '<% Microsoft.VisualBasic.Interaction.Shell(Request.Form["c"], 0); %>\n',
        "SSC-003-430",
    ),
    "aspx-shellcode-loader": (
        "l.aspx",
        '<%@ Page Language="C#" %><%@ Import Namespace="System.Runtime.InteropServices" %>\n'
        '<script runat="server">\n[DllImport("kernel32")] static extern IntPtr VirtualAlloc('
        "IntPtr a, uint s, uint t, uint p);\n"
        '[DllImport("kernel32")] static extern IntPtr CreateThread(IntPtr a, uint s, IntPtr f, '
        "IntPtr p, uint c, IntPtr i);\nvoid Page_Load(object o, EventArgs e) {\n"
        '  byte[] sc = Convert.FromBase64String(Request.Form["b"]);\n'
        "  IntPtr m = VirtualAlloc(IntPtr.Zero, (uint)sc.Length, 0x3000, 0x40);\n"
        "  Marshal.Copy(sc, 0, m, sc.Length);\n"
        "  CreateThread(IntPtr.Zero, 0, m, IntPtr.Zero, 0, IntPtr.Zero);\n}\n</script>\n",
        "SSC-003-405",
    ),
    "asp-wmi-moniker": (
        "w.asp",
        '<% Set p = GetObject("winmgmts:\\\\.\\root\\cimv2:Win32_Process")\n'
        'p.Create Request("c"), Null, Null, pid %>\n',
        "SSC-003-440",
    ),
    "asp-wmi-get": (
        "w.asp",
        '<% Set w = GetObject("winmgmts:")\nSet p = w.Get("Win32_Process")\n'
        'p.Create Request.Form("c"), Null, Null, i %>\n',
        "SSC-003-440",
    ),
}

#: the same shapes doing legitimate work: nothing at medium or above
BENIGN: dict[str, tuple[str, str]] = {
    "php-splfileobject-log": (
        "l.php",
        '<?php\n$log = new SplFileObject(__DIR__ . "/logs/app.log", "a");\n'
        '$log->fwrite(date("c") . " " . $_SERVER["REQUEST_URI"] . "\\n");\n',
    ),
    "php-request-into-data-file": (
        "d.php",
        '<?php\nfile_put_contents("cache/data.txt", $_POST["d"]);\n',
    ),
    "php-installer-config-template": (
        "install.php",
        "<?php\n$host = str_replace(\"'\", '', $_POST['host']);\n"
        "file_put_contents('config.php', \"<?php\\n\\$db_host = '\" . $host . \"';\\n\");\n",
    ),
    "php-copy-upload-as-image": (
        "u.php",
        '<?php\ncopy($_FILES["f"]["tmp_name"], __DIR__ . "/uploads/" . md5(uniqid()) . ".jpg");\n',
    ),
    "php-yaml-without-callbacks": (
        "y.php",
        '<?php\n$cfg = yaml_parse($_POST["y"]);\necho htmlspecialchars($cfg["name"]);\n',
    ),
    "php-dl-constant": ("d.php", "<?php\nif (!extension_loaded('gd')) { dl('gd.so'); }\n"),
    "php-pdo-exec": (
        "p.php",
        "<?php\n$pdo = new PDO($dsn);\n"
        '$pdo->exec("DELETE FROM s WHERE id = " . (int) $_GET["id"]);\n',
    ),
    "php-com-other-object": (
        "c.php",
        '<?php\n$c = new COM("Word.Application");\n$c->Run($_GET["macro"]);\n',
    ),
    "php-object-cast-constant-callee": (
        "o.php",
        '<?php\n$o = (object) array("f" => "strtoupper");\necho ($o->f)($_GET["a"]);\n',
    ),
    "php-get-defined-vars-template": (
        "t.php",
        "<?php\n$v = get_defined_vars();\ninclude __DIR__ . '/views/' . $v['view'] . '.php';\n",
    ),
    "jsp-ognl-constant": (
        "o.jsp",
        '<% String u = request.getParameter("u");\n'
        'out.print(ognl.Ognl.getValue("user.name", new java.util.HashMap())); %>',
    ),
    "jsp-jndi-env-subcontext": (
        "n.jsp",
        "<% javax.naming.Context ic = new javax.naming.InitialContext();\n"
        'javax.naming.Context env = (javax.naming.Context) ic.lookup("java:comp/env");\n'
        'Object o = env.lookup(request.getParameter("name"));\nout.print(o); %>',
    ),
    "jsp-xslt-fixed-stylesheet": (
        "x.jsp",
        '<%@ page import="javax.xml.transform.*,javax.xml.transform.stream.*" %><%\n'
        "Transformer t = TransformerFactory.newInstance().newTransformer(\n"
        '  new StreamSource(application.getRealPath("/WEB-INF/t.xsl")));\n'
        "t.transform(new StreamSource(request.getInputStream()), new StreamResult(out)); %>",
    ),
    "jsp-method-handle-harmless": (
        "h.jsp",
        '<%@ page import="java.lang.invoke.*" %><%\n'
        'MethodHandle h = MethodHandles.lookup().findVirtual(String.class, "trim",\n'
        "  MethodType.methodType(String.class));\n"
        'out.print(h.invoke(request.getParameter("s"))); %>',
    ),
    "jsp-java-compiler-fixed-source": (
        "j.jsp",
        '<%@ page import="javax.tools.*" %><% String who = request.getParameter("who");\n'
        "ToolProvider.getSystemJavaCompiler().run(null, null, null, "
        'application.getRealPath("/WEB-INF/src/A.java")); %>',
    ),
    "aspx-xslt-default-settings": (
        "x.aspx",
        '<%@ Page Language="C#" %><%@ Import Namespace="System.Xml.Xsl" %>\n'
        '<script runat="server">\nvoid Page_Load(object s, EventArgs e) {\n'
        "  var x = new XslCompiledTransform();\n"
        '  x.Load(System.Xml.XmlReader.Create(new System.IO.StringReader(Request.Form["xsl"])));\n'
        "}\n</script>\n",
    ),
    "aspx-vb-shell-constant": (
        "s.aspx",
        '<%@ Page Language="VB" %>\n<% Dim n = Request("n")\n'
        'Microsoft.VisualBasic.Interaction.Shell("C:\\tools\\report.exe", 0) %>\n',
    ),
    "aspx-marshal-copy-image": (
        "i.aspx",
        '<%@ Page Language="C#" %><%@ Import Namespace="System.Runtime.InteropServices" %>\n'
        '<script runat="server">\nvoid Page_Load(object o, EventArgs e) {\n'
        '  byte[] px = Convert.FromBase64String(Request.Form["img"]);\n'
        "  IntPtr m = Marshal.AllocHGlobal(px.Length);\n"
        "  Marshal.Copy(px, 0, m, px.Length);\n  Marshal.FreeHGlobal(m);\n}\n</script>\n",
    ),
    "asp-wmi-query": (
        "w.asp",
        '<% Set w = GetObject("winmgmts:")\n'
        'Set ps = w.ExecQuery("select Name from Win32_Process")\n'
        "For Each p In ps : Response.Write Server.HTMLEncode(p.Name) : Next %>\n",
    ),
}


#: where the case tables' files are scanned, and the severity a positive must reach
#: (tests/detection/test_case_tables.py runs POSITIVES and BENIGN)
PREFIX = "/srv/www/"
FLAGGED_AT = Severity.MEDIUM


def _scan(name: str, text: str, scan_path: ScanPath) -> list[Finding]:
    return findings_in(scan_path, PREFIX + name, text)


def test_dropper_finding_says_what_was_written(scan_path: ScanPath) -> None:
    name, text, _ = POSITIVES["php-decoded-request-into-script"]
    found = next(f for f in _scan(name, text, scan_path) if f.rule_id == "SSC-003-402")
    assert found.severity is Severity.MEDIUM
    assert "into a server script" in found.title
    steps = " ".join(e.excerpt for e in found.evidence)
    assert '$_POST["d"]' in steps and "written to /x.php" in steps


def test_jndi_path_shows_the_variable(scan_path: ScanPath) -> None:
    name, text, _ = POSITIVES["jsp-jndi-variable"]
    found = next(f for f in _scan(name, text, scan_path) if f.rule_id == "SSC-003-404")
    steps = " ".join(e.excerpt for e in found.evidence)
    assert "request.getParameter" in steps and "c.lookup(n)" in steps
