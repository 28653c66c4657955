<%
Set f = Server.CreateObject("Scripting.FileSystemObject")
progId = "ADODB." & "Connection"
Set c = Server.CreateObject(progId)
%>
