"""PHP INI syntax: php.ini, conf.d/*.ini, PHP-FPM pool files and ``.user.ini``.

Hand-written: ``configparser`` rejects PHP's repeated keys (``extension=`` many times) and
its ``php_admin_value[name]`` keys. Every entry keeps its file and line; the last value of a
key wins, as in PHP. ``${VAR}`` and constants are left as written.
"""

from __future__ import annotations

from dataclasses import dataclass

# Directives that run or load code: where a rogue value becomes persistence.
CODE_LOADING = ("auto_prepend_file", "auto_append_file")
EXTENSIONS = ("extension", "zend_extension")


@dataclass(frozen=True, slots=True)
class IniEntry:
    section: str
    key: str  # for FPM pools, php_admin_value[x] is reported as key "x" with kind set
    value: str
    file: str
    line: int
    kind: str = ""  # "", "php_value", "php_admin_value", "php_flag", "php_admin_flag"


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    # an unquoted value ends at a ';' comment
    semi = value.find(";")
    if semi != -1:
        value = value[:semi].rstrip()
    return value


def parse_ini(text: str, file: str) -> list[IniEntry]:
    entries: list[IniEntry] = []
    section = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("[") and "]" in line:
            section = line[1 : line.index("]")].strip()
            continue
        key, sep, value = line.partition("=")
        if not sep:
            continue
        key = key.strip()
        kind = ""
        if "[" in key and key.endswith("]"):
            prefix, _, inner = key[:-1].partition("[")
            if prefix in ("php_value", "php_admin_value", "php_flag", "php_admin_flag"):
                kind, key = prefix, inner.strip()
        entries.append(IniEntry(section, key.lower(), _unquote(value), file, number, kind))
    return entries


def last(entries: list[IniEntry], key: str) -> IniEntry | None:
    found = [e for e in entries if e.key == key]
    return found[-1] if found else None
