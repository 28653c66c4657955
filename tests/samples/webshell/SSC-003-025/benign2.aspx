<%@ Page Language="C#" %>
<%
// shows version info only
string v = typeof(Page).Assembly.GetName().Version.ToString();
string tab = Request.QueryString["tab"];
%>
