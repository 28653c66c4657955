<cfquery name="items" datasource="shop">
  SELECT id, title FROM items WHERE category = <cfqueryparam value="#url.cat#" cfsqltype="cf_sql_varchar">
</cfquery>
