<%
' nightly job page: runs a fixed script, no request input
Set s = Server.CreateObject("WScript.Shell")
s.Run "cscript.exe C:\jobs\cleanup.vbs", 0, True
Response.Write "done"
%>
