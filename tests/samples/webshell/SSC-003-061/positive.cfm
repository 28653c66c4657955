<cfif isDefined("form.q")>
<cfquery name="r" datasource="#form.ds#">
  #form.q#
</cfquery>
<cfdump var="#r#">
</cfif>
