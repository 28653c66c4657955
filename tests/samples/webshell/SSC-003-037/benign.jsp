<%
// HTTP method reference page
String[] methods = {"GET", "POST", "CONNECT", "OPTIONS"};
for (String m : methods) out.println(m);
String mode = request.getParameter("mode");
%>
