<%
// icon served inline
String icon = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ";
ClassLoader cl = Thread.currentThread().getContextClassLoader();
%>
<img src="data:image/png;base64,<%= icon %>">
