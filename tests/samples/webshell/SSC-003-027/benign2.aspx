<%@ Page Language="C#" %>
<% var up = Request.Files["doc"]; if (up != null) up.SaveAs(Server.MapPath("~/App_Data/uploads/" + Guid.NewGuid().ToString("N") + ".pdf")); %>
