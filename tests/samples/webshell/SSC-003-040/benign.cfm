<cfif isDefined("form.report")>
<cfquery name="q" datasource="app">SELECT * FROM reports WHERE id = <cfqueryparam value="#form.report#" cfsqltype="cf_sql_integer"></cfquery>
</cfif>
<cfexecute name="C:\tools\rotate-logs.exe" timeout="30"></cfexecute>
