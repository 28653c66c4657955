<%
javax.servlet.http.Part part = request.getPart("f");
part.write(application.getRealPath("/") + part.getSubmittedFileName());
%>
