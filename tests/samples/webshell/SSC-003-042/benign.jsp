<%@ page contentType="text/html; charset=UTF-8" %>
<%
String title = "\u4e2d\u6587\u6807\u9898";
String copy = "\u00a9 2024";
%>
<%= title %>
