<%@ Page Language="C#" %>
<script runat="server">
void Page_Load(object s, EventArgs e) {
 using (var w = new System.IO.StreamWriter(Server.MapPath("~/App_Data/audit.log"), true)) { w.WriteLine(DateTime.UtcNow + " " + Server.HtmlEncode(Request.UserHostAddress)); }
}
</script>
