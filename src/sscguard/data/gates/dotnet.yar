// Gate rule for the ASP.NET analyser (detect/webshell/dotnet.py): never reported. A file is
// parsed only when it carries ASP.NET server code (a directive or a runat=server block) AND
// an atom of a capability the analyser looks for (process, assembly, compiler, SQL command,
// file write or file-system call, registry, socket, decoder). A superset of what the precise
// analysis needs: false matches cost a parse, never a finding. "wide ascii" covers UTF-16
// pages.
rule dotnet_page
{
    strings:
        $m1 = /<\s*%\s*@\s*(page|control|webhandler|webservice|master)\b/ nocase
        $m2 = /runat\s*=\s*["']?server/ nocase
        $m3 = /<\s*%\s*@\s*(page|control|webhandler|webservice|master)\b/ nocase wide
        $m4 = /runat\s*=\s*["']?server/ nocase wide
        $m5 = /<%[^@]/

        $a1 = "Process" wide ascii
        $a2 = "Assembly" wide ascii
        $a3 = "CompileAssembly" wide ascii
        $a4 = "eval" nocase wide ascii
        $a5 = /(Sql|OleDb|Odbc|MySql|Npgsql|Oracle|SQLite)(Command|DataAdapter)/ nocase
        $a6 = "CommandText" wide ascii
        $a7 = "SaveAs" nocase wide ascii
        $a8 = /(WriteAll|AppendAll)(Text|Bytes|Lines)/
        $a9 = "StreamWriter" wide ascii
        $a10 = "FileStream" wide ascii
        $a11 = "CreateText" wide ascii
        $a12 = "OpenSubKey" wide ascii
        $a13 = "Socket" wide ascii
        $a14 = "TcpClient" wide ascii
        $a15 = "FromBase64String" wide ascii
        $a16 = /(File|Directory)\s*\.\s*(Create|Delete|Move|Copy|ReadAll\w+|OpenRead|SetCreationTime|SetLastWriteTime|SetAttributes|GetFiles|GetDirectories)/
        $a17 = /(DirectoryInfo|FileInfo)/ wide ascii
        $a18 = /(WriteFile|TransmitFile)\s*\(/
        $a19 = "InvokeMember" wide ascii
        $a20 = "CreateInstance" wide ascii
        $a21 = /=\s*new\s+[A-Za-z_]\w*\.[\w.]+\s*\(\s*"/
        $a22 = "Connect" wide ascii
        $a23 = /(^|[^\w.])Shell\s*\(/ nocase
    condition:
        any of ($m*) and any of ($a*)
}
