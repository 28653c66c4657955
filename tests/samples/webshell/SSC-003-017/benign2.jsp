<%
// JDBC driver registration
Class.forName("org.postgresql.Driver");
String id = request.getParameter("id");
%>
