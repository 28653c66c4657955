"""What each code-analysis check is (``sscguard rules``, the docs test): one ``CheckInfo``
per ID the detectors in ``detectors.DETECTORS`` may emit.

Severity and confidence here are the usual outcome; the scoring policy (``scoring.py``)
sets them per finding from the evidence (a guarded path, a long path, a dual-use tool ...).
"""

from __future__ import annotations

from sscguard import attack
from sscguard.checks import CheckInfo
from sscguard.model import AttackRef, Confidence, Severity

_SHELL = attack.ref("T1505.003", "DS0022 File Creation", "M1047", "M1045")
_OBF = attack.ref("T1027", "DS0022 File Creation", "M1047")
_CMD = attack.ref("T1059", "DS0022 File Creation", "M1047")
_TRANSFER = attack.ref("T1105", "DS0022 File Creation", "M1047")
_PROXY = attack.ref("T1090", "DS0022 File Creation", "M1047")
_TUNNEL = attack.ref("T1572", "DS0022 File Creation", "M1047")
_REFLECT = attack.ref("T1620", "DS0022 File Creation", "M1047")
_COLLECT = attack.ref("T1213", "DS0022 File Creation", "M1047")
_SNIFF = attack.ref("T1040", "DS0022 File Creation", "M1047")
_REGISTRY = attack.ref("T1012", "DS0022 File Creation", "M1047")
_DISCOVER = attack.ref("T1083", "DS0022 File Creation", "M1047")
_MASQ = attack.ref("T1036", "DS0022 File Creation", "M1047")
_SCAN = attack.ref("T1046", "DS0022 File Creation", "M1047")
_CREDS = attack.ref("T1552", "DS0022 File Creation", "M1047")
_ACCOUNT = attack.ref("T1136", "DS0022 File Creation", "M1047")
_DEFACE = attack.ref("T1491", "DS0022 File Creation", "M1047")
_DOS = attack.ref("T1499", "DS0022 File Creation", "M1047")
_PHISH = attack.ref("T1566", "DS0022 File Creation", "M1047")
_EXFIL = attack.ref("T1048", "DS0022 File Creation", "M1047")
_RANSOM = attack.ref("T1486", "DS0022 File Modification", "M1047")

_REMOVE = (
    "Take the file offline or isolate the host, preserve it with the web server's access "
    "logs, compare it with a known-good copy of the application and remove it."
)
_H, _M, _L, _C = Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.CRITICAL
_CH, _CM, _CL = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW


def _info(
    check_id: str,
    title: str,
    refs: tuple[AttackRef, ...],
    severity: Severity,
    confidence: Confidence,
    why: str,
    remediation: str = _REMOVE,
) -> CheckInfo:
    return CheckInfo(check_id, title, refs, severity, confidence, why, remediation)


CODE_CHECKS: dict[str, CheckInfo] = {
    i.id: i
    for i in (
        _info(
            "SSC-003-400", "Request input reaches code execution", (_SHELL,), _C, _CH,
            "Data from the HTTP request flows into a code-execution sink, so whoever can "
            "reach the page can run arbitrary code on the server.",
        ),
        _info(
            "SSC-003-401", "Request input reaches command execution", (_SHELL, _CMD), _C, _CH,
            "Data from the HTTP request flows into an operating-system command, so whoever "
            "can reach the page can run commands as the web server user.",
        ),
        _info(
            "SSC-003-402", "Request input written to a request-chosen file or into a script",
            (_SHELL,), _L, _CM,
            "Both the name and the content of a file written by the page come from the "
            "request, or request content goes whole into a file the server runs, which lets a "
            "visitor drop a new web shell.",
        ),
        _info(
            "SSC-003-403", "Decoded payload executed as code", (_SHELL, _OBF), _H, _CH,
            "The file decodes a hidden string and runs it as code; legitimate applications "
            "do not hide their own source this way.",
        ),
        _info(
            "SSC-003-411", "Packed code with execution capability", (_SHELL, _OBF), _M, _CL,
            "Most of the file is one encoded blob and it can execute code, the shape of a "
            "packed web shell.",
        ),
        _info(
            "SSC-003-412", "Dual-use administration tool", (_SHELL,), _L, _CM,
            "A published file manager or database client with its own login: legitimate "
            "software that attackers also drop.",
            "Confirm with the site owner that the tool was installed on purpose; if not, "
            "remove it; if so, restrict it by IP and strong authentication.",
        ),
        _info(
            "SSC-003-404", "Request input reaches code execution (JSP/Java)", (_SHELL,), _C, _CH,
            "Request data reaches class definition, a script engine, reflection or a class "
            "loader in the page, so whoever can reach it can run arbitrary Java code.",
        ),
        _info(
            "SSC-003-420", "Request input reaches command execution (JSP/Java)", (_SHELL, _CMD),
            _C, _CH,
            "Request data reaches Runtime.exec, ProcessBuilder or a reflective exec call, so "
            "whoever can reach the page can run operating-system commands.",
        ),
        _info(
            "SSC-003-421", "Request content written to a request-chosen file (JSP)",
            (_SHELL, _TRANSFER), _M, _CM,
            "The page writes request content to a path the request chooses, which lets a "
            "visitor drop new pages into the web root.",
        ),
        _info(
            "SSC-003-422", "Request-driven file browser (JSP)", (_SHELL,), _M, _CM,
            "The page lists a directory the request chooses and reads, deletes, renames or "
            "writes files there: a remote file manager.",
        ),
        _info(
            "SSC-003-423", "Database console or dumper (JSP)", (_SHELL,), _M, _CM,
            "The page runs SQL or opens a JDBC URL taken whole from the request, or dumps "
            "every table: a remote database console.",
        ),
        _info(
            "SSC-003-424", "Page registers a servlet, filter, listener or valve at run time",
            (_SHELL,), _H, _CM,
            "Adding request handlers from a page at run time is how memory-resident web "
            "shells are installed; applications declare theirs in configuration.",
        ),
        _info(
            "SSC-003-425", "Reverse shell or request-chosen socket (JSP)",
            (_SHELL, _PROXY, _TUNNEL), _H, _CM,
            "The page wires a process to a socket or opens sockets to hosts the request "
            "chooses: a reverse shell, proxy or tunnel into the network.",
        ),
        _info(
            "SSC-003-426", "Java class file embedded in a page", (_SHELL, _OBF, _REFLECT), _H,
            _CM,
            "A compiled class hidden in a page as Base64 or a byte array is how loaders "
            "smuggle code past review; pages do not need to carry class files.",
        ),
        _info(
            "SSC-003-405", "Request input reaches code execution (ASP.NET)", (_SHELL,), _C, _CH,
            "Request data reaches Assembly.Load, a compiler, JScript eval or reflection in the "
            "page, so whoever can reach it can run arbitrary .NET code.",
        ),
        _info(
            "SSC-003-430", "Request input reaches command execution (ASP.NET)", (_SHELL, _CMD),
            _C, _CH,
            "Request data reaches Process.Start, a shell's input, WMI or Shell, so whoever can "
            "reach the page can run operating-system commands.",
        ),
        _info(
            "SSC-003-431", "SQL console (ASP.NET)", (_SHELL, _COLLECT), _H, _CM,
            "The page runs SQL statements the request supplies whole, or against a server the "
            "request chooses: a remote database console.",
        ),
        _info(
            "SSC-003-432", "File dropper (ASP.NET)", (_SHELL, _TRANSFER), _H, _CM,
            "The page writes request content to a path the request chooses, or saves uploads "
            "under their own names into the web root without a type check.",
        ),
        _info(
            "SSC-003-433", "Embedded assembly loaded by a page", (_SHELL, _OBF, _REFLECT), _H,
            _CH,
            "A compiled assembly hidden in the page is loaded at run time, the way loaders "
            "smuggle code past review.",
        ),
        _info(
            "SSC-003-434", "Packet sniffer or request-chosen socket (ASP.NET)",
            (_SHELL, _SNIFF, _PROXY), _H, _CM,
            "The page opens a raw socket to capture traffic or connects to hosts the request "
            "chooses: a sniffer, proxy or tunnel.",
        ),
        _info(
            "SSC-003-435", "Registry browser (ASP.NET)", (_SHELL, _REGISTRY), _M, _CM,
            "The page opens registry keys the request names or crawls whole hives, which web "
            "applications do not do.",
        ),
        _info(
            "SSC-003-436", "Request-driven file access (ASP.NET)", (_SHELL, _DISCOVER), _M, _CM,
            "The page lists, reads, writes or deletes files at paths taken whole from the "
            "request: a remote file manager.",
        ),
        _info(
            "SSC-003-437", "Encoded request-reading code (ASP.NET)", (_SHELL, _OBF), _H, _CH,
            "An encoded literal in the page decodes to code that reads the request, the shape "
            "of an obfuscated eval one-liner.",
        ),
        _info(
            "SSC-003-438", "Loader stub page (ASP.NET)", (_SHELL, _MASQ), _M, _CL,
            "A page with no markup whose only server code constructs a custom class hands "
            "control to code hidden in a compiled assembly.",
        ),
        _info(
            "SSC-003-406", "Request input reaches code execution (classic ASP)", (_SHELL,), _C,
            _CH,
            "Request data reaches Execute, ExecuteGlobal, Eval or a script control, so whoever "
            "can reach the page can run arbitrary script on the server.",
        ),
        _info(
            "SSC-003-440", "Request input reaches command execution (classic ASP)",
            (_SHELL, _CMD), _C, _CH,
            "Request data reaches WScript.Shell or Shell.Application, so whoever can reach the "
            "page can run operating-system commands.",
        ),
        _info(
            "SSC-003-441", "Dropper (classic ASP)", (_SHELL, _TRANSFER), _H, _CM,
            "Both the name and the content of a file the page writes come from the request, "
            "which lets a visitor drop new pages anywhere the server can write.",
        ),
        _info(
            "SSC-003-442", "Downloader (classic ASP)", (_SHELL, _TRANSFER), _H, _CM,
            "The page fetches content over HTTP and saves it to disk as a script or executable, "
            "or from a URL or to a path the request chooses.",
        ),
        _info(
            "SSC-003-443", "SQL console (classic ASP)", (_SHELL, _COLLECT), _M, _CM,
            "The page runs SQL text or opens a connection string taken whole from the request: "
            "a remote database console.",
        ),
        _info(
            "SSC-003-444", "Request-driven file manager (classic ASP)", (_SHELL, _DISCOVER), _M,
            _CM,
            "The page lists, reads, writes, deletes or moves files at paths the request chooses: "
            "a remote file manager.",
        ),
        _info(
            "SSC-003-445", "Writes an executable or script and runs it (classic ASP)",
            (_SHELL, _CMD), _H, _CM,
            "The page writes an embedded executable or a script to disk and runs it, the way "
            "droppers start their second stage.",
        ),
        _info(
            "SSC-003-446", "Hidden payload run through the page's own decoder (classic ASP)",
            (_SHELL, _OBF), _H, _CM,
            "The page executes what its own decoder function makes of a long opaque constant; "
            "applications do not hide their code this way.",
        ),
        _info(
            "SSC-003-447", "Shell hidden in an XSLT stylesheet script", (_SHELL, _OBF), _H, _CM,
            "A script block inside an XSLT stylesheet creates a shell object, a way to run "
            "commands that page-level scanners miss.",
        ),
        _info(
            "SSC-003-408", "Server configuration in the tree makes data files executable",
            (_SHELL, attack.ref("T1505.004", "DS0022 File Modification", "M1042", "M1047")), _H,
            _CM,
            "A .htaccess or .user.ini hands images or text to a script handler or prepends a "
            "file to every page, the way attackers make an uploaded picture run as code.",
            "Remove the directive (or the file), check the files it made executable or "
            "prepended, and set AllowOverride None / user_ini.filename = '' where users upload.",
        ),
        _info(
            "SSC-003-409", "Image carries executable server-side code", (_SHELL, _MASQ), _H, _CM,
            "The file looks like an image but holds script code that runs commands or writes "
            "files, the way shells pass upload filters.",
        ),
        _info(
            "SSC-003-470", "Request input reaches code execution (Perl)", (_SHELL,), _C, _CH,
            "CGI request input reaches eval or require in the script, so whoever can reach it "
            "can run arbitrary Perl code.",
        ),
        _info(
            "SSC-003-471", "Request input reaches command execution (Perl)", (_SHELL, _CMD), _C,
            _CH,
            "CGI request input reaches system, exec, backticks or a pipe open, so whoever can "
            "reach the script can run operating-system commands.",
        ),
        _info(
            "SSC-003-472", "Network connection drives a shell (Perl)", (_SHELL, _CMD, _TUNNEL),
            _H, _CM,
            "The script hands a shell's standard handles to a socket or runs commands it reads "
            "from one: a reverse shell or bot.",
        ),
        _info(
            "SSC-003-473", "Request input reaches code execution (Python)", (_SHELL,), _C, _CH,
            "CGI or WSGI request input reaches eval, exec, compile, an import or an unpickler "
            "in the script, so whoever can reach it can run arbitrary Python code.",
        ),
        _info(
            "SSC-003-474", "Request input reaches command execution (Python)", (_SHELL, _CMD),
            _C, _CH,
            "CGI or WSGI request input reaches os.system, os.popen, subprocess or pty.spawn, "
            "so whoever can reach the script can run operating-system commands.",
        ),
        _info(
            "SSC-003-450", "Callback API runs an exec-type or request-chosen function (PHP)",
            (_SHELL, _OBF), _H, _CM,
            "A callback API is handed an execution function or one the request or the code "
            "builds at run time, a way to call eval or system without naming it.",
        ),
        _info(
            "SSC-003-451", "Mass mailer (PHP)", (_SHELL, _PHISH), _M, _CM,
            "The page sends mail in a loop to recipients and with content the request "
            "supplies: a spam or phishing relay on the server.",
        ),
        _info(
            "SSC-003-452", "Mails typed-in secrets or the server's own path (PHP)",
            (_SHELL, _EXFIL), _M, _CM,
            "The page mails passwords or card fields, or its own location on the server, to a "
            "fixed address: a phishing kit or a shell reporting home.",
        ),
        _info(
            "SSC-003-453", "SQL console (PHP)", (_SHELL, _COLLECT), _M, _CM,
            "The page runs SQL statements the request supplies whole, or loads a native library "
            "into the database: a remote database console.",
        ),
        _info(
            "SSC-003-454", "Port scanner or flooder (PHP)", (_SHELL, _SCAN, _DOS), _M, _CM,
            "The page connects to request-chosen hosts or ports in a loop, or floods a host: a "
            "scanner or denial-of-service tool running from the server.",
        ),
        _info(
            "SSC-003-455", "Proxy or tunnel (PHP)", (_SHELL, _PROXY, _TUNNEL), _M, _CM,
            "The page relays traffic between sockets or forwards request data to a "
            "request-chosen host: a way into the internal network.",
        ),
        _info(
            "SSC-003-456", "Writes request content to a request-named file (PHP)",
            (_SHELL, _TRANSFER), _M, _CM,
            "The page stores request content or uploads under a name the request chooses, "
            "which lets a visitor drop new scripts.",
        ),
        _info(
            "SSC-003-457", "Drops or rewrites PHP code (PHP)", (_SHELL, _TRANSFER), _H, _CM,
            "The page writes PHP that runs request input, appends to its own source, or "
            "back-dates files it wrote, the way droppers hide new shells.",
        ),
        _info(
            "SSC-003-458", "Overwrites index pages (PHP)", (_SHELL, _DEFACE), _M, _CM,
            "The page overwrites index files with fixed content or downloads a page into the "
            "document root: a defacement tool.",
        ),
        _info(
            "SSC-003-459", "Host reconnaissance and credential theft (PHP)", (_SHELL, _CREDS),
            _M, _CM,
            "The page reads account lists, other sites' configuration files or session files, "
            "or guesses FTP logins: a tool for taking over the rest of the server.",
        ),
        _info(
            "SSC-003-460", "Reads request-chosen files through stream wrappers (PHP)",
            (_SHELL, _DISCOVER), _M, _CM,
            "The page reads paths the request chooses through compress.zlib:// or file://, a "
            "known way around open_basedir and safe_mode.",
        ),
        _info(
            "SSC-003-461", "Looks for writable places or browses any directory (PHP)",
            (_SHELL, _DISCOVER), _M, _CM,
            "The page walks request-chosen directories for writable places, shows any file, "
            "or makes paths world-writable: a foothold-spreading tool.",
        ),
        _info(
            "SSC-003-462", "WordPress administrator backdoor (PHP)", (_SHELL, _ACCOUNT), _H, _CM,
            "The page creates an administrator from request parameters or logs in as one, "
            "which keeps access even after passwords change.",
        ),
        _info(
            "SSC-003-463", "Hard-coded hash unlocks writes, mail or queries (PHP)", (_SHELL,),
            _M, _CM,
            "A request value compared with a hash in the file gates writes, mail or queries, "
            "the password check of a private backdoor.",
        ),
        _info(
            "SSC-003-500", "Database dumper with credentials in the page (PHP)",
            (_SHELL, _COLLECT), _H, _CM,
            "A page with database credentials written into it and no login exports every "
            "table, or the tables, columns and row ranges the request names: a data-theft tool.",
        ),
        _info(
            "SSC-003-501", "Captures visitors' form or payment-card data (PHP)",
            (_SHELL, _EXFIL, _PHISH), _H, _CM,
            "The whole request or card fields are written to a file disguised as an image, "
            "script or hidden file, or card fields are mailed to a fixed address: a skimmer.",
        ),
        _info(
            "SSC-003-502", "Module of a multi-file web shell (PHP)", (_SHELL, _CMD), _H, _CM,
            "Values the shell core collects for this file's own form reach mail, a whole SQL "
            "statement, a command or code: one tab of a modular web shell.",
        ),
        _info(
            "SSC-003-504", "Enables CGI for a script it drops (PHP)", (_SHELL, _CMD), _H, _CM,
            "The page writes a configuration that runs files as CGI programs and a shell script "
            "to run that way, getting commands past disable_functions.",
        ),
        _info(
            "SSC-003-505", "Site packer: zips the web site for download (PHP)",
            (_SHELL, _DISCOVER, _CREDS), _M, _CM,
            "A page with no login walks the site and writes a zip archive of the files the "
            "request picks: source and configuration packed for theft.",
        ),
        _info(
            "SSC-003-490", "Downloads or decodes a payload into a local file (PHP)",
            (_SHELL, _TRANSFER), _H, _CM,
            "The page saves code fetched from a fixed internet address as a PHP file, or writes "
            "a decoded blob to a path the request names: a stager installing the next shell.",
        ),
        _info(
            "SSC-003-491", "Search-engine cloaking: crawlers get another server's content (PHP)",
            (_SHELL, _DEFACE), _M, _CM,
            "The page prints content fetched from a fixed internet address to search-engine "
            "crawlers and treats search visitors differently: injected SEO spam.",
        ),
        _info(
            "SSC-003-492", "Encrypts the site's files in place (PHP)", (_SHELL, _RANSOM), _H, _CM,
            "The page walks directories and overwrites each file with an encrypted copy: "
            "ransomware for the web tree.",
        ),
        # SSC-003-480..483: obfuscation shapes (phpobf.py)
        _info(
            "SSC-003-480", "Non-alphanumeric PHP code (names built from punctuation)",
            (_SHELL, _OBF), _H, _CM,
            "The PHP code has no letters: names are assembled from XOR-ed or incremented "
            "punctuation and called through variables named with underscores only.",
        ),
        _info(
            "SSC-003-481", "PHP source stored reversed (strrev)", (_SHELL, _OBF), _H, _CH,
            "The file is PHP code written backwards (reversed superglobals and execution "
            "functions), which a loader reverses with strrev and runs.",
        ),
        _info(
            "SSC-003-482", "XSLT or XPath runs PHP execution functions", (_SHELL, _CMD), _H, _CM,
            "A stylesheet or XPath expression calls system, assert or a similar function "
            "through php:function, code execution without eval in the PHP code.",
        ),
        _info(
            "SSC-003-483", "Functions called through a runtime-decoded name table (PHP)",
            (_SHELL, _OBF), _M, _CM,
            "The file calls functions whose names its own decoder or an indexed table "
            "produces only at run time, the output of a packer.",
        ),
        _info(
            "SSC-003-484", "Encoded PHP with machine-generated names runs code", (_SHELL, _OBF),
            _M, _CM,
            "Nearly every variable is named with non-ASCII bytes (an encoder's output) and the "
            "code evaluates or calls what it decodes.",
        ),
    )
}  # fmt: skip
