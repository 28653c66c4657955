<%
Set fs = Server.CreateObject("Scripting.FileSystemObject")
Set f = fs.OpenTextFile(Server.MapPath("log.txt"), 8, True)
f.WriteLine Now() & " visit " & Server.HTMLEncode(Request.ServerVariables("REMOTE_ADDR"))
f.Close
%>
