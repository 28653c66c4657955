<%@ Page Language="C#" %>
<%
// plugin list comes from the bin folder, not from the request
var asm = System.Reflection.Assembly.Load("Contoso.Plugins");
string id = Request.QueryString["id"];
byte[] img = Convert.FromBase64String(Model.Thumbnail);
%>
