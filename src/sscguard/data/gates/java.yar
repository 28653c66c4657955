// Gate rules for the Java/JSP analyser (detect/webshell/java.py): never reported. A page is
// parsed only when it has a request source (or an embedded class blob, a WebSocket handler,
// a catalog query or a handler registration) AND one of the APIs the analysis reports on.
// `wide` also matches UTF-16 pages.
// A superset of what the analysis needs: a false match costs a parse, never a finding.
// Bounded by the largest page the analyser reads (jsp.MAX_ANALYSED): YARA-X then skips
// verifying these strings in larger files.
rule java_source
{
    strings:
        $s1 = "getParameter" ascii wide
        $s2 = "getHeader" ascii wide
        $s3 = "getInputStream" ascii wide
        $s4 = "getReader" ascii wide
        $s5 = "getQueryString" ascii wide
        $s6 = "getCookies" ascii wide
        $s7 = "getPart" ascii wide
        $s8 = "onMessage" ascii wide
        $s9 = "yv66vg" ascii wide
        $s10 = "H4sI" ascii wide
        $s11 = /-54\s*,\s*-2\s*,\s*-70\s*,\s*-66/
        $s12 = /0xca\s*,\s*0xfe\s*,\s*0xba\s*,\s*0xbe/ nocase
        $s13 = "getTables" ascii wide
        $s15 = /add(Filter|Servlet|Listener|Endpoint|Valve|Child|Interceptor|ApplicationEventListener)|registerMapping/ ascii wide
        // EL implicit request objects (jspsource: ${param.c}, #{header['x']}, ...)
        $s16 = /(param|header|cookie)(Values)?\s*(\.\s*[A-Za-z_]|\[)/
        $s14 = /information_schema|user_tab_comments|user_tables|all_tables|show\s+tables|sysobjects|pg_tables|sqlite_master/ nocase
    condition:
        any of them and filesize <= 256KB
}

rule java_sink
{
    strings:
        $k1 = "exec" ascii wide
        $k2 = "ProcessBuilder" ascii wide
        $k3 = "defineClass" ascii wide
        $k4 = "eval" ascii wide
        $k5 = "invoke" ascii wide
        $k6 = "Expression" ascii wide
        $k7 = "Statement" ascii wide
        $k8 = "ClassLoader" ascii wide
        $k9 = "FileOutputStream" ascii wide
        $k10 = "FileWriter" ascii wide
        $k11 = "PrintWriter" ascii wide
        $k12 = "PrintStream" ascii wide
        $k13 = "RandomAccessFile" ascii wide
        $k14 = "FileHandler" ascii wide
        $k15 = "Files." ascii wide
        $k16 = "FileUtils" ascii wide
        $k17 = ".write(" ascii wide
        $k18 = "transferTo" ascii wide
        $k19 = "listFiles" ascii wide
        $k20 = ".list(" ascii wide
        $k21 = "getConnection" ascii wide
        $k22 = "Socket" ascii wide
        $k23 = "Channel" ascii wide
        $k24 = /add(Filter|Servlet|Listener|Endpoint|Valve|Child|Interceptor|ApplicationEventListener)/ ascii wide
        $k25 = "registerMapping" ascii wide
        $k26 = "yv66vg" ascii wide
        $k27 = "H4sI" ascii wide
        $k28 = /-54\s*,\s*-2\s*,\s*-70\s*,\s*-66/
        $k29 = /0xca\s*,\s*0xfe\s*,\s*0xba\s*,\s*0xbe/ nocase
        $k30 = "FileInputStream" ascii wide
        $k31 = "getTables" ascii wide
        $k32 = /read(Object|Unshared)|loadClass/ ascii wide
        // OGNL, JNDI lookups, XSLT stylesheets, the Java compiler
        $k33 = /Ognl\.|\.lookup\s*\(|newTransformer|newTemplates|getSystemJavaCompiler/ ascii wide
    condition:
        any of them and filesize <= 256KB
}
