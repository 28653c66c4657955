<%@ page import="javax.crypto.*" %>
<%
// verify signed session token
String tok = request.getParameter("t");
byte[] raw = java.util.Base64.getDecoder().decode(tok);
Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
ClassLoader cl = Thread.currentThread().getContextClassLoader();
%>
