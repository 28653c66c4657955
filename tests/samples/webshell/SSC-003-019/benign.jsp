<%
// renders a chart; script is a fixed resource
javax.script.ScriptEngine e = new javax.script.ScriptEngineManager().getEngineByName("js");
Object r = e.eval(new java.io.FileReader(application.getRealPath("/WEB-INF/chart.js")));
String title = request.getParameter("title");
%>
