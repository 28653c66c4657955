<%@ LANGUAGE = VBScript %>
<% ' encoding handled by IIS
Response.Write "VBScript.Encode is not used here"
%>
