<%
Set rs = conn.Execute("SELECT * FROM news WHERE id=" & CLng(Request("id")))
Response.Write Server.HTMLEncode(rs("title"))
%>
