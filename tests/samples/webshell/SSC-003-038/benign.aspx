<%@ Page Language="C#" %>
<%
// DBA health page: lists configuration, read-only
var c = new System.Data.SqlClient.SqlCommand("SELECT name, value_in_use FROM sys.configurations", conn);
string tab = Request.QueryString["tab"];
%>
