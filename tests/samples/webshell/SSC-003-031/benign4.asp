<%@ codepage=65001 %>
<% Response.Write "caf+AOk-" %>
