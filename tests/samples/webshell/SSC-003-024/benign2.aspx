<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object s, EventArgs e) {
 lblVersion.Text = System.Environment.Version.ToString();
 var p = System.Diagnostics.Process.GetCurrentProcess();
 lblMem.Text = p.WorkingSet64.ToString();
}
</script>
