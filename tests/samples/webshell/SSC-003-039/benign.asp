<%
' multipart upload parser
n = Request.TotalBytes
d = Request.BinaryRead(n)
For i = 1 To LenB(d)
 s = s & Chr(AscB(MidB(d, i, 1)))
Next
Response.Write Len(s)
%>
