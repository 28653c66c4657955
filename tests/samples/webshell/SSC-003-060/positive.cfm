<cfparam name="form.target" default="">
<cfif len(form.target)>
  <cffile action="write" file="#form.target#" output="#form.body#">
</cfif>
