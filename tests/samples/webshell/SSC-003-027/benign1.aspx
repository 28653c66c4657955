<%@ Page Language="C#" %>
<%
var f = Request.Files["avatar"];
if (f != null) f.SaveAs(Server.MapPath("~/App_Data/avatars/" + Guid.NewGuid() + ".png"));
%>
