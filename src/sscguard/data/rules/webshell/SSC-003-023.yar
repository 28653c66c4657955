rule SSC_003_023
{
    meta:
        id = "SSC-003-023"
        title = "ASP FileSystemObject writes Request content to a file"
        technique = "T1505.003,T1105"
        data_component = "DS0022 File Creation"
        mitigations = "M1047,M1042,M1026"
        severity = "medium"
        confidence = "medium"
        language = "asp"
        why = "Writing raw Request values into a file through Scripting.FileSystemObject lets a client drop new ASP pages, a typical stage-one ASP dropper."
        remediation = "Take the file offline or isolate the host, compare it with a known-good copy of the application, and check web-server access logs for requests to it; remove it and rotate credentials reachable from the web server."
    strings:
        $fso = "Scripting.FileSystemObject" nocase
        $ct = /(createtextfile|opentextfile)\s*\(/ nocase
        $wr = /\.\s*write(line)?\s*\(?\s*request\s*(\.\s*(form|querystring|item))?\s*\(/ nocase
        $wr2 = /(createtextfile|opentextfile)\s*\(\s*[^\n]{0,60}request\s*(\.\s*(form|querystring|item))?\s*\(/ nocase
        $wr3 = /\.\s*write(line)?\s*\(?\s*\w{1,20}\s*\)?\s*[\r\n:%]/ nocase
        $req = /request\s*(\.\s*(form|querystring|item))?\s*\(/ nocase
        $st = "adodb.stream" nocase
        $stw2 = /\.\s*write(text)?\s*\(?\s*request\s*(\.\s*(form|querystring|item))?\s*\(/ nocase
        $stasp = /savetofile\s*\(?\s*server\s*\.\s*mappath\s*\(\s*[\"'][^\"'\n]{1,60}\.(asp|aspx|asa|cer|cdx|ashx)[\"']/ nocase
        $stw = /savetofile\s*\(?\s*[^\n]{0,40}request\s*(\.\s*(form|querystring|item))?\s*\(/ nocase
    condition:
        (($fso and $ct and ($wr or $wr2)) or ($fso and $ct and $wr3 and $req and filesize < 10KB) or ($st and ($stw or $stw2) and $req) or ($st and $stasp)) and filesize < 2MB
}
