<%@ page import="java.io.*" %>
<%
byte[] img = java.util.Base64.getDecoder().decode(avatar.getData());
FileOutputStream o = new FileOutputStream(new File(cacheDir, user.getId() + ".png"));
o.write(img); o.close();
%>
