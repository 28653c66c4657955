<%@ page import="java.io.*" %>
<%
String q = request.getParameter("q");
out.println("Results for " + org.owasp.encoder.Encode.forHtml(q));
%>
