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
        $m5 = /<%[^@#$-]/

        $a1 = /Process\s*\.\s*Start|ProcessStartInfo|StartInfo|StandardInput|Win32_Process/ wide ascii
        $a2 = /Assembly\s*\.\s*(Unsafe)?Load|CurrentDomain\s*\.\s*Load/ wide ascii
        $a3 = "CompileAssembly" wide ascii
        $a4 = /(^|[^\w.])eval\s*\(/ wide ascii
        $a5 = /(Sql|OleDb|Odbc|MySql|Npgsql|Oracle|SQLite)(Command|DataAdapter)\b/ wide ascii
        $a6 = "CommandText" wide ascii
        $a7 = /\.\s*SaveAs\s*\(/ wide ascii
        $a8 = /(WriteAll|AppendAll)(Text|Bytes|Lines)/ wide ascii
        $a9 = "StreamWriter" wide ascii
        $a10 = "FileStream" wide ascii
        $a11 = "CreateText" wide ascii
        $a12 = "OpenSubKey" wide ascii
        $a13 = /new\s+(System\.Net\.Sockets\.)?Socket\s*\(/ wide ascii
        $a14 = /(Tcp|Udp)Client/ wide ascii
        $a15 = "FromBase64String" wide ascii
        $a16 = /(File|Directory)\s*\.\s*(Create|Delete|Move|Copy|ReadAll\w+|OpenRead|SetCreationTime|SetLastWriteTime|SetAttributes|GetFiles|GetDirectories)/ wide ascii
        $a17 = /(DirectoryInfo|FileInfo)\s*\(/ wide ascii
        $a18 = /(WriteFile|TransmitFile)\s*\(/ wide ascii
        $a19 = "InvokeMember" wide ascii
        $a20 = /(Activator|Assembly|\w)\s*\.\s*CreateInstance\s*\(|Type\s*\.\s*GetType\s*\(/ wide ascii
        $a21 = /=\s*new\s+[A-Za-z_]\w*\.[\w.]+\s*\(\s*"/ wide ascii
        $a22 = /\.\s*(Begin)?Connect(Async)?\s*\(/ wide ascii
        $a23 = /(^|[^\w.])Shell\s*\(|Interaction\s*\.\s*Shell\s*\(/ wide ascii
        $a24 = "JScriptEvaluate" wide ascii
        $a25 = /AddScript|CreatePipeline|InvokeScript|EvaluateAsync|RunAsync/ wide ascii
        $a26 = /(Binary|Los|ObjectState|Soap)Formatter|NetDataContractSerializer/ wide ascii
        // XSLT with embedded scripts; native memory made executable (a shellcode loader)
        $a27 = /Xsl(Compiled)?Transform/ wide ascii
        $a28 = /VirtualAlloc|VirtualProtect|GetDelegateForFunctionPointer/ wide ascii
        // XAML and Json.NET type-name deserialisation; remote files downloaded to disk
        $a29 = /XamlReader|TypeNameHandling|DownloadFile/ wide ascii
    condition:
        any of ($m*) and any of ($a*)
}
