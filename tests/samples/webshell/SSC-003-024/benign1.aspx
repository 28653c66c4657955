<%@ Page Language="C#" %>
<%
// open the help PDF for the logged-in user
string page = Server.HtmlEncode(Request.QueryString["page"]);
Response.Redirect("help.aspx?page=" + page);
%>
