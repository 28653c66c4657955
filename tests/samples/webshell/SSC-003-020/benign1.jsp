<%@ page import="java.io.*" %>
<%
// append audit line
FileWriter w = new FileWriter("/var/log/app/audit.log", true);
w.write("login " + session.getId() + "\n");
w.close();
String u = request.getParameter("user");
%>
