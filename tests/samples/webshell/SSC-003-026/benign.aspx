<%@ Page Language="C#" %>
<asp:Repeater runat="server" ID="r"><ItemTemplate><%# Eval("Title") %></ItemTemplate></asp:Repeater>
<% string q = Request.QueryString["q"]; %>
