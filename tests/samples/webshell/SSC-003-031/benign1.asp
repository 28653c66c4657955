<%
Function Nl() : Nl = Chr(13) & Chr(10) : End Function
Set rs = conn.Execute("SELECT 1")
Response.Write StrReverse("olleh")
%>
