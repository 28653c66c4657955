<% new java.io.ObjectInputStream(request.getInputStream()).readObject(); %>
