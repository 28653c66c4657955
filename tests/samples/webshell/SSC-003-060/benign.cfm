<cfset dest = expandPath("/uploads/avatars")>
<cffile action="upload" filefield="form.avatar" destination="#dest#" nameconflict="makeunique" accept="image/png,image/jpeg">
<cffile action="read" file="#expandPath('/config/site.json')#" variable="cfg">
