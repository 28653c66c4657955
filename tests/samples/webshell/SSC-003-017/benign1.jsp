<%@ page import="java.util.*" %>
<%
String name = request.getParameter("name");
out.println("Hello " + org.apache.commons.text.StringEscapeUtils.escapeHtml4(name));
Runtime rt = Runtime.getRuntime(); out.println(rt.freeMemory());
%>
