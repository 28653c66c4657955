<%
id = CLng(Request("id"))
Set rs = conn.Execute("SELECT * FROM t WHERE id=" & id)
Response.Write rs("name")
%>
