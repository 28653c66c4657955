<cfscript>
if (structKeyExists(url, "p")) { writeOutput(fileRead(url.p)); }
</cfscript>
