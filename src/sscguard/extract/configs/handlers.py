"""Handler mappings and PHP settings of Apache directives: which file names run as scripts.

Pure functions over parsed ``Directive`` lists, shared by the component audit (SSC-003-100/101,
where the directives come from the server's configuration and the ``.htaccess`` files of its
web roots) and by the content scanner's ``.htaccess`` detector (SSC-003-408, where they come
from one scanned file). One reading of ``AddHandler``/``AddType``/``SetHandler``/``ForceType``
and ``php_value`` for both, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sscguard.extract.configs.apache import Directive

#: Handlers and MIME types that hand a file to PHP: mod_php, php-fpm through mod_proxy_fcgi,
#: the cPanel/CloudLinux variants (``x-httpd-ea-php74``, ``x-httpd-alt-php``, ``lsphp``) and
#: the ``php5-script`` spelling.
PHP_HANDLER_RE = re.compile(
    r"(x-httpd-(?:[\w-]{0,40}-)?php|php\d{0,2}-script|lsphp|proxy:unix:[^|]{0,512}php"
    r"|proxy:fcgi:[^|]{0,512}php)",
    re.I,
)
#: Any handler that executes the file: PHP, CGI/FastCGI, server-side includes (``exec cmd``),
#: mod_perl and mod_python/mod_wsgi.
SCRIPT_HANDLER_RE = re.compile(
    PHP_HANDLER_RE.pattern + r"|cgi-script|x-httpd-cgi|fcgid-script|fastcgi-script"
    r"|server-parsed|x-server-parsed|perl-script|python-program|wsgi-script",
    re.I,
)
# Extensions that are scripts by design; mapping anything else to PHP makes uploads run.
SCRIPT_EXTENSIONS = frozenset(
    {"php", "php3", "php4", "php5", "php7", "php8", "phtml", "phar", "phps", "inc"}
)
#: Extensions of pages that some sites legitimately run through PHP (old "clean URL" setups).
PAGE_EXTENSIONS = frozenset({"html", "htm", "shtml", "xhtml", "cgi", "pl", "py", "fcgi"})
#: Data that a visitor can usually upload or that is never code: mapping these to a script
#: handler is how an uploaded picture or text file becomes a web shell.
DATA_EXTENSIONS = frozenset(
    {
        "jpg", "jpeg", "jpe", "png", "gif", "bmp", "ico", "webp", "tif", "tiff", "svg", "heic",
        "txt", "log", "csv", "json", "xml", "ini", "htaccess", "pdf", "doc", "docx", "xls",
        "xlsx", "zip", "rar", "7z", "gz", "tar", "mp3", "mp4", "avi", "wav", "css", "js",
        "woff", "ttf", "eot", "rtf", "md", "dat", "tmp", "bak",
    }
)  # fmt: skip

_PHP_DIRECTIVES = ("php_value", "php_admin_value", "php_flag", "php_admin_flag")


@dataclass(frozen=True, slots=True)
class HandlerMapping:
    """One directive that hands some file names to a script handler.

    ``extensions`` is set for AddHandler/AddType (lower case, no dot); ``scope`` for
    SetHandler/ForceType: the enclosing ``<Files>``/``<FilesMatch>`` argument, ``"*"``
    when the handler applies to every file of the folder.
    """

    directive: str
    handler: str
    file: str
    line: int
    extensions: tuple[str, ...] | None = None
    scope: str = ""
    section: str = ""
    where: str = ""


@dataclass(frozen=True, slots=True)
class PhpSetting:
    """A ``php_value``/``php_flag`` (or admin) directive: ``key`` is lower case."""

    directive: str
    key: str
    value: str
    file: str
    line: int


def handler_mappings(
    directives: Iterable[Directive], handler_re: re.Pattern[str] = PHP_HANDLER_RE
) -> list[HandlerMapping]:
    """Every AddHandler/AddType/SetHandler/ForceType whose handler ``handler_re`` matches."""
    out: list[HandlerMapping] = []
    for d in directives:
        key = d.key
        if key in ("addhandler", "addtype") and len(d.args) >= 2:
            if handler_re.search(d.args[0]):
                exts = tuple(e.lower().lstrip(".") for e in d.args[1:])
                out.append(HandlerMapping(d.name, d.args[0], d.file, d.line, extensions=exts))
        elif key in ("sethandler", "forcetype") and d.args and handler_re.search(d.args[0]):
            where = d.within("Directory") or d.within("Files") or d.within("FilesMatch") or ""
            section, scope = next(
                ((n, a) for n, a in reversed(d.sections) if n.lower() in ("files", "filesmatch")),
                ("", "*"),
            )
            out.append(
                HandlerMapping(
                    d.name, d.args[0], d.file, d.line, scope=scope, section=section, where=where
                )
            )
    return out


def php_settings(directives: Iterable[Directive]) -> list[PhpSetting]:
    """``php_value name value`` and friends, in file order."""
    return [
        PhpSetting(d.key, d.args[0].lower(), " ".join(d.args[1:]), d.file, d.line)
        for d in directives
        if d.key in _PHP_DIRECTIVES and len(d.args) >= 2
    ]


def odd_extensions(extensions: Iterable[str]) -> list[str]:
    """The mapped extensions that are not PHP scripts by design."""
    return [e for e in extensions if e not in SCRIPT_EXTENSIONS]


def last_extension(name: str) -> str:
    """``php.jpg`` -> ``jpg``: Apache honours every extension of a name, the last decides
    what a browser and an upload filter see."""
    return name.rsplit(".", 1)[-1].lower()


_PROBES = ("a.jpg", "a.png", "a.gif", "a.txt", "a.ico", "a.jpg.x", "a")


def scope_matches_data(pattern: str, section: str) -> list[str]:
    """Which probe names of data files (``a.jpg`` ...) a <Files>/<FilesMatch> scope covers.

    An unparsable regular expression counts as covering everything (we cannot prove
    otherwise).
    """
    text = pattern.strip()
    if text == "*":
        return list(_PROBES)
    if section.lower() == "filesmatch" or text.startswith("~"):
        try:
            rx = re.compile(text.lstrip("~").strip().strip('"'))
        except (re.error, RecursionError, OverflowError):
            return list(_PROBES)
        return [p for p in _PROBES if rx.search(p)]
    names = text.strip('"').split()
    return [
        n
        for n in names
        if last_extension(n) not in SCRIPT_EXTENSIONS or "*" in n.rsplit(".", 1)[-1]
    ]


def scope_is_php_only(pattern: str, section: str) -> bool:
    """True when a <Files>/<FilesMatch> pattern only matches PHP script file names."""
    return not scope_matches_data(pattern, section)
