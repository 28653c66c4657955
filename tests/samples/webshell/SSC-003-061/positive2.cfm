<cfscript>
  res = queryExecute(url.stmt, {}, {datasource: "main"});
</cfscript>
