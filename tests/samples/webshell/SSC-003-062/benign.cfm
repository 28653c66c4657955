<cfset rt = createObject("java", "java.lang.Runtime").getRuntime()>
<cfoutput>Free: #rt.freeMemory()# of #rt.totalMemory()# (page #url.page#)</cfoutput>
