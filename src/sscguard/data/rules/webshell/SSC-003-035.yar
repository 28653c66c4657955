rule SSC_003_035
{
    meta:
        id = "SSC-003-035"
        title = "ASP object name split into pieces to hide it"
        technique = "T1505.003,T1027"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "high"
        confidence = "medium"
        language = "asp"
        why = "Building ProgIDs such as WScript.Shell or Scripting.FileSystemObject from concatenated pieces serves only to hide shell capabilities from scanners."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $a = /createobject\s*\(\s*["'][^"'\n]{0,20}(s["']\s*[&+]\s*["']cripti|sc["']\s*[&+]\s*["']riptin|scr["']\s*[&+]\s*["']ipting|scri["']\s*[&+]\s*["']pting.|scrip["']\s*[&+]\s*["']ting.f|script["']\s*[&+]\s*["']ing.fi|scripti["']\s*[&+]\s*["']ng.fil|scriptin["']\s*[&+]\s*["']g.file|scripting["']\s*[&+]\s*["'].files|scripting.["']\s*[&+]\s*["']filesy|scripting.f["']\s*[&+]\s*["']ilesys|scripting.fi["']\s*[&+]\s*["']lesyst|scripting.fil["']\s*[&+]\s*["']esyste|scripting.file["']\s*[&+]\s*["']system|scripting.files["']\s*[&+]\s*["']ystemo|scripting.filesy["']\s*[&+]\s*["']stemob|scripting.filesys["']\s*[&+]\s*["']temobj|scripting.filesyst["']\s*[&+]\s*["']emobje|scripting.filesyste["']\s*[&+]\s*["']mobjec|scripting.filesystem["']\s*[&+]\s*["']object|scripting.filesystemo["']\s*[&+]\s*["']bject|scripting.filesystemob["']\s*[&+]\s*["']ject|scripting.filesystemobj["']\s*[&+]\s*["']ect|scripting.filesystemobje["']\s*[&+]\s*["']ct|scripting.filesystemobjec["']\s*[&+]\s*["']t|w["']\s*[&+]\s*["']script|ws["']\s*[&+]\s*["']cript.|wsc["']\s*[&+]\s*["']ript.s|wscr["']\s*[&+]\s*["']ipt.sh|wscri["']\s*[&+]\s*["']pt.she|wscrip["']\s*[&+]\s*["']t.shel|wscript["']\s*[&+]\s*["'].shell|wscript.["']\s*[&+]\s*["']shell|wscript.s["']\s*[&+]\s*["']hell|wscript.sh["']\s*[&+]\s*["']ell|wscript.she["']\s*[&+]\s*["']ll|wscript.shel["']\s*[&+]\s*["']l|s["']\s*[&+]\s*["']hell.a|sh["']\s*[&+]\s*["']ell.ap|she["']\s*[&+]\s*["']ll.app|shel["']\s*[&+]\s*["']l.appl|shell["']\s*[&+]\s*["'].appli|shell.["']\s*[&+]\s*["']applic|shell.a["']\s*[&+]\s*["']pplica|shell.ap["']\s*[&+]\s*["']plicat|shell.app["']\s*[&+]\s*["']licati|shell.appl["']\s*[&+]\s*["']icatio|shell.appli["']\s*[&+]\s*["']cation|shell.applic["']\s*[&+]\s*["']ation|shell.applica["']\s*[&+]\s*["']tion|shell.applicat["']\s*[&+]\s*["']ion|shell.applicati["']\s*[&+]\s*["']on|shell.applicatio["']\s*[&+]\s*["']n|a["']\s*[&+]\s*["']dodb.s|ad["']\s*[&+]\s*["']odb.st|ado["']\s*[&+]\s*["']db.str|adod["']\s*[&+]\s*["']b.stre|adodb["']\s*[&+]\s*["'].strea|adodb.["']\s*[&+]\s*["']stream|adodb.s["']\s*[&+]\s*["']tream|adodb.st["']\s*[&+]\s*["']ream|adodb.str["']\s*[&+]\s*["']eam|adodb.stre["']\s*[&+]\s*["']am|adodb.strea["']\s*[&+]\s*["']m|w["']\s*[&+]\s*["']script|ws["']\s*[&+]\s*["']cript.|wsc["']\s*[&+]\s*["']ript.n|wscr["']\s*[&+]\s*["']ipt.ne|wscri["']\s*[&+]\s*["']pt.net|wscrip["']\s*[&+]\s*["']t.netw|wscript["']\s*[&+]\s*["'].netwo|wscript.["']\s*[&+]\s*["']networ|wscript.n["']\s*[&+]\s*["']etwork|wscript.ne["']\s*[&+]\s*["']twork|wscript.net["']\s*[&+]\s*["']work|wscript.netw["']\s*[&+]\s*["']ork|wscript.netwo["']\s*[&+]\s*["']rk|wscript.networ["']\s*[&+]\s*["']k)/ nocase
        $b = /createobject\s*\(\s*[\"'][^\"'\n]{1,12}[\"']\s*&\s*[\"'][^\"'\n]{1,12}[\"']\s*&\s*[\"']/ nocase
        $c = /createobject\s*\(\s*[\"'][^\"'\n]{1,12}[\"']\s*&\s*\w{1,12}\s*&\s*[\"'][^\"'\n]{1,30}[\"']\s*\)/ nocase
        $d = /[\"'][^\"'\n]{0,12}(ell\.Applicat|ing\.File|ystemObj|WScri|cript\.Sh|pt\.She|ripting\.F)[^\"'\n]{0,12}[\"']\s*&\s*\w{1,10}\s*&\s*[\"']/ nocase
    condition:
        any of them and filesize < 5MB
}
