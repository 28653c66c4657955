<%@ page import="java.io.*" %><%
ObjectInputStream in = new ObjectInputStream(request.getInputStream());
Object o = in.readObject();
%>
