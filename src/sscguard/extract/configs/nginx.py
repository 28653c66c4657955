"""nginx configuration through crossplane, with ``include`` resolved inside the root.

crossplane parses one file at a time here (``single=True``): its own include handling would
open absolute paths on this machine, outside a ``--root``. We follow ``include`` ourselves
through ``RootFS`` (globs, paths relative to the configuration folder), so every directive
keeps its own file and line and nothing outside the root is read.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from sscguard.extract.rootfs import MAX_CONFIG, RootFS, normpath
from sscguard.model import SkipCode, Skipped

MAX_FILES = 2000
MAX_DEPTH = 16


@dataclass(frozen=True, slots=True)
class NginxDirective:
    name: str
    args: tuple[str, ...]
    file: str
    line: int
    context: tuple[str, ...] = ()  # enclosing block names, outermost first (http, server, ...)


@dataclass(slots=True)
class NginxConfig:
    main: str
    prefix: str
    files: list[str] = field(default_factory=list)
    directives: list[NginxDirective] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def all(self, name: str) -> list[NginxDirective]:
        return [d for d in self.directives if d.name == name]


class _Loader:
    def __init__(self, rootfs: RootFS, cfg: NginxConfig) -> None:
        self.rootfs = rootfs
        self.cfg = cfg
        self.seen: set[str] = set()
        self.confdir = posixpath.dirname(cfg.main)

    def load(self, path: str, depth: int, context: tuple[str, ...]) -> None:
        import crossplane

        cfg = self.cfg
        shown = self.rootfs.display(path)
        if path in self.seen:
            return
        if depth > MAX_DEPTH or len(cfg.files) >= MAX_FILES:
            cfg.skipped.append(Skipped(shown, SkipCode.TOO_DEEP, "too many or too deep includes"))
            return
        self.seen.add(path)
        st = self.rootfs.stat(path)
        if st is None or not st.is_file:
            cfg.skipped.append(Skipped(shown, SkipCode.NOT_FOUND, "not a regular file"))
            return
        if st.size > MAX_CONFIG:
            cfg.skipped.append(Skipped(shown, SkipCode.TOO_LARGE, f"{st.size} bytes"))
            return
        try:
            payload = crossplane.parse(
                self.rootfs.host(st.path),
                single=True,
                catch_errors=True,
                check_ctx=False,
                check_args=False,
                comments=False,
            )
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            cfg.skipped.append(Skipped(shown, SkipCode.ERROR, f"nginx parser: {exc}"[:200]))
            return
        cfg.files.append(path)
        for entry in payload.get("config", []):
            for err in entry.get("errors", []):
                where = f"{shown}:{err.get('line')}" if err.get("line") else shown
                cfg.skipped.append(Skipped(where, SkipCode.ERROR, str(err.get("error"))[:200]))
            self._walk(entry.get("parsed", []), path, depth, context)

    def _walk(self, block: list[Any], path: str, depth: int, context: tuple[str, ...]) -> None:
        for item in block:
            name = str(item.get("directive", ""))
            args = tuple(str(a) for a in item.get("args", []))
            directive = NginxDirective(name, args, path, int(item.get("line", 0)), context)
            self.cfg.directives.append(directive)
            if name == "include" and args:
                self._include(directive, depth, context)
            if "block" in item:
                self._walk(item["block"], path, depth, (*context, name))

    def _include(self, d: NginxDirective, depth: int, context: tuple[str, ...]) -> None:
        pattern = d.args[0]
        if not pattern.startswith("/"):
            pattern = posixpath.join(self.confdir, pattern)
        pattern = normpath(pattern)
        if any(c in pattern for c in "*?["):
            matches = self.rootfs.glob(pattern)
        else:
            matches = [pattern]
            if not self.rootfs.exists(pattern):
                self.cfg.skipped.append(
                    Skipped(
                        f"{self.rootfs.display(d.file)}:{d.line}",
                        SkipCode.NOT_FOUND,
                        f"include target {pattern} not found",
                    )
                )
                return
        for match in matches:
            self.load(match, depth + 1, context)


def load_nginx(rootfs: RootFS, main: str, prefix: str = "/usr/share/nginx") -> NginxConfig:
    """Parse ``main`` and everything it includes; ``prefix`` resolves relative module paths."""
    cfg = NginxConfig(main=main, prefix=prefix)
    _Loader(rootfs, cfg).load(main, 0, ())
    return cfg
