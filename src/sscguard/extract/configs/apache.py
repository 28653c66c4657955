"""Apache httpd configuration: directives with their file, line and enclosing sections.

Hand-written because no maintained Python library parses httpd's own syntax with its
``Include``/``IncludeOptional`` semantics (globs, directories, paths relative to
``ServerRoot``); the grammar is line-based and small. Conditional sections (``<IfModule>``,
``<IfDefine>``) are entered unconditionally: what is configured matters, even if it is
switched off today. ``${VAR}`` is replaced from Debian's ``envvars`` file when present.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from sscguard.extract.rootfs import RootFS, normpath
from sscguard.model import SkipCode, Skipped

MAX_FILES = 2000
MAX_DEPTH = 16
#: Nesting kept per directive of an .htaccess: each directive carries its enclosing sections,
#: so an unbounded depth would cost quadratic memory on a hostile file.
MAX_SECTIONS = 64
_VAR_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_EXPORT_RE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


@dataclass(frozen=True, slots=True)
class Directive:
    name: str
    args: tuple[str, ...]
    file: str  # in-root path
    line: int
    sections: tuple[tuple[str, str], ...] = ()  # enclosing (name, argument), outermost first

    @property
    def key(self) -> str:
        return self.name.lower()

    def within(self, section: str) -> str | None:
        """The argument of the innermost enclosing section of that name, if any."""
        for name, arg in reversed(self.sections):
            if name.lower() == section.lower():
                return arg
        return None


@dataclass(slots=True)
class ApacheConfig:
    server_root: str
    main: str
    files: list[str] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def all(self, name: str) -> list[Directive]:
        key = name.lower()
        return [d for d in self.directives if d.key == key]

    def first(self, name: str) -> Directive | None:
        found = self.all(name)
        return found[-1] if found else None  # the last one wins in httpd


def tokenize(text: str) -> list[str]:
    """Split a directive line into words as httpd does; double or single quotes group."""
    words: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            break
        if text[i] in "\"'":
            quote = text[i]
            i += 1
            buf = []
            while i < n and text[i] != quote:
                if text[i] == "\\" and i + 1 < n and text[i + 1] == quote:
                    i += 1  # httpd unescapes only the quote character inside quotes
                buf.append(text[i])
                i += 1
            i += 1
            words.append("".join(buf))
        else:
            start = i
            while i < n and text[i] not in " \t":
                i += 1
            words.append(text[start:i])
    return words


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines joined over backslash continuations, with the number of their first line."""
    out: list[tuple[int, str]] = []
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        out.append((start, pending + line))
        pending = ""
    if pending:
        out.append((start, pending))
    return out


def parse_directives(
    text: str, file: str, sections: tuple[tuple[str, str], ...] = ()
) -> list[Directive | tuple[str, str, int] | None]:
    """Directives of one file; section openings and closings appear as markers."""
    items: list[Directive | tuple[str, str, int] | None] = []
    for number, line in logical_lines(text):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("</"):
            items.append(("close", stripped[2:].rstrip(">").strip(), number))
            continue
        if stripped.startswith("<"):
            body = stripped[1:]
            if body.endswith(">"):
                body = body[:-1]
            words = tokenize(body)
            if words:
                items.append(("open:" + words[0], " ".join(words[1:]), number))
            continue
        words = tokenize(stripped)
        if words:
            items.append(Directive(words[0], tuple(words[1:]), file, number, sections))
    return items


def load_envvars(rootfs: RootFS, path: str) -> dict[str, str]:
    """Plain ``NAME=value`` assignments of Debian's ``/etc/apache2/envvars`` (not executed)."""
    env: dict[str, str] = {}
    text = rootfs.read_text(path)
    if isinstance(text, Skipped):
        return env
    for line in text.splitlines():
        match = _EXPORT_RE.match(line)
        if match and "$(" not in match.group(2) and "`" not in match.group(2):
            value = match.group(2).strip().strip("'\"")
            value = _VAR_RE.sub(lambda m: env.get(m.group(1), m.group(0)), value)
            if "$" in value:
                value = re.sub(r"\$([A-Za-z_]\w*)", lambda m: env.get(m.group(1), ""), value)
            env[match.group(1)] = value
    return env


class _Loader:
    def __init__(self, rootfs: RootFS, cfg: ApacheConfig) -> None:
        self.rootfs = rootfs
        self.cfg = cfg
        self.seen: set[str] = set()

    def subst(self, word: str) -> str:
        return _VAR_RE.sub(lambda m: self.cfg.env.get(m.group(1), m.group(0)), word)

    def load(self, path: str, depth: int, sections: tuple[tuple[str, str], ...]) -> None:
        cfg = self.cfg
        if len(cfg.files) >= MAX_FILES:
            cfg.skipped.append(
                Skipped(self.rootfs.display(path), SkipCode.TOO_DEEP, "too many included files")
            )
            return
        if depth > MAX_DEPTH or path in self.seen:
            if path in self.seen:
                return
            cfg.skipped.append(
                Skipped(self.rootfs.display(path), SkipCode.TOO_DEEP, "includes nested too deep")
            )
            return
        self.seen.add(path)
        text = self.rootfs.read_text(path)
        if isinstance(text, Skipped):
            cfg.skipped.append(text)
            return
        cfg.files.append(path)
        stack = list(sections)
        for item in parse_directives(text, path):
            if item is None:
                continue
            if isinstance(item, tuple):
                kind, arg, _ = item
                if kind.startswith("open:"):
                    stack.append((kind[5:], self.subst(arg)))
                elif stack and len(stack) > len(sections):
                    stack.pop()
                continue
            directive = Directive(
                item.name,
                tuple(self.subst(a) for a in item.args),
                path,
                item.line,
                tuple(stack),
            )
            cfg.directives.append(directive)
            key = directive.key
            if key == "serverroot" and directive.args:
                cfg.server_root = normpath(directive.args[0])
            elif key in ("include", "includeoptional") and directive.args:
                self.include(directive, key == "includeoptional", depth, tuple(stack))

    def include(
        self, d: Directive, optional: bool, depth: int, sections: tuple[tuple[str, str], ...]
    ) -> None:
        pattern = d.args[0]
        if not pattern.startswith("/"):
            pattern = posixpath.join(self.cfg.server_root, pattern)
        pattern = normpath(pattern)
        if any(c in pattern for c in "*?["):
            matches = self.rootfs.glob(pattern)
        elif self.rootfs.exists(pattern):
            matches = [pattern]
        else:
            matches = []
        if not matches and not optional:
            self.cfg.skipped.append(
                Skipped(
                    f"{self.rootfs.display(d.file)}:{d.line}",
                    SkipCode.NOT_FOUND,
                    f"Include target {pattern} not found",
                )
            )
        for match in matches:
            for file in self._files_of(match):
                self.load(file, depth + 1, sections)

    def _files_of(self, path: str) -> list[str]:
        if not self.rootfs.is_dir(path):
            return [path]
        files: list[str] = []
        for name in self.rootfs.listdir(path):
            child = posixpath.join(path, name)
            files.extend(self._files_of(child) if self.rootfs.is_dir(child) else [child])
        return files


def load_apache(
    rootfs: RootFS, main: str, server_root: str, env: dict[str, str] | None = None
) -> ApacheConfig:
    """Parse ``main`` and everything it includes."""
    cfg = ApacheConfig(server_root=server_root, main=main, env=dict(env or {}))
    _Loader(rootfs, cfg).load(main, 0, ())
    return cfg


def parse_htaccess(text: str, file: str) -> list[Directive]:
    """Directives of an ``.htaccess`` file (no includes), with their sections."""
    out: list[Directive] = []
    stack: list[tuple[str, str]] = []
    too_deep = 0  # sections opened beyond MAX_SECTIONS (an attacker's file): not recorded
    for item in parse_directives(text, file):
        if isinstance(item, tuple):
            kind, arg, _ = item
            if kind.startswith("open:"):
                if len(stack) < MAX_SECTIONS:
                    stack.append((kind[5:], arg))
                else:
                    too_deep += 1
            elif too_deep:
                too_deep -= 1
            elif stack:
                stack.pop()
        elif item is not None:
            out.append(Directive(item.name, item.args, file, item.line, tuple(stack)))
    return out
