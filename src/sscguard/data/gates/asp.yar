// Gate rules for the classic ASP analyser (never reported): a page with server code
// (<% %> or a runat=server script/object) AND a capability atom worth interpreting (code or
// command execution, COM objects, file and stream writes, the UTF-7 code page). A superset of
// what the analysis needs: a false match costs one tokenisation, never a finding.
rule asp_code
{
    strings:
        $open = "<%"
        $runat = /runat\s*=\s*["']?server/ nocase
    condition:
        any of them
}

rule asp_capability
{
    strings:
        $k1 = /(^|[^\w.])(execute|executeglobal|eval)\b/ nocase
        $k2 = /createobject|activexobject|getobject/ nocase
        $k3 = /\.(savetofile|createtextfile|opentextfile|executestatement|shellexecute|addcode)\b/ nocase
        $k4 = /codepage\s*=\s*["']?65000/ nocase
        $k5 = /classid\s*=\s*["']?clsid:/ nocase
    condition:
        any of them
}
