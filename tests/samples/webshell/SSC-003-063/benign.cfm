<cfexecute name="/usr/bin/convert" arguments="#expandPath('img/in.png')# -resize 50% #expandPath('img/out.png')#" timeout="30"></cfexecute>
<cfoutput>Done for #encodeForHTML(form.user)#</cfoutput>
