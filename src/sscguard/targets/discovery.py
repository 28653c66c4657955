"""The discovery run: one ``Builder`` collects what each per-platform finder reports."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from sscguard.extract.dpkg import PackageDb
from sscguard.extract.rootfs import RootFS
from sscguard.model import Location, SkipCode, Skipped
from sscguard.targets import (
    SIG_MISSING,
    SIG_MODIFIED,
    SIG_NA,
    SIG_NO_DIGEST,
    SIG_OK,
    SIG_UNKNOWN,
    SIG_UNOWNED,
    Account,
    Component,
    Inventory,
    PathFacts,
    Server,
    Setting,
)

_STATE = {
    "ok": SIG_OK,
    "modified": SIG_MODIFIED,
    "unowned": SIG_UNOWNED,
    "no-digest": SIG_NO_DIGEST,
    "unreadable": SIG_UNKNOWN,
}


@dataclass(slots=True)
class Builder:
    fs: RootFS
    _db: PackageDb | None = None
    servers: list[Server] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    paths: dict[str, PathFacts] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    _versions: dict[str, str] | None = None

    @property
    def db(self) -> PackageDb:
        if self._db is None:
            self._db = PackageDb.load(self.fs)
            self.skipped.extend(self._db.skipped)
        return self._db

    def loc(self, path: str, line: int | None = None) -> Location:
        return Location(self.fs.display(path), line)

    def note_path(self, path: str) -> None:
        """Record owner and mode of a path (for the permission checks)."""
        if path in self.paths:
            return
        st = self.fs.stat(path)
        if st is not None:
            self.paths[path] = PathFacts(path, st.uid, st.gid, st.mode, st.is_dir)

    def file_state(self, path: str | None) -> tuple[str | None, str]:
        """Owner package and signature state of a component file."""
        if path is None:
            return None, SIG_NA
        if not self.fs.exists(path):
            return self.db.owner(path), SIG_MISSING
        self.note_path(path)
        if not self.db.present:
            return None, SIG_UNKNOWN
        real = self.fs.resolve(path) or path
        owner = self.db.owner(path) or self.db.owner(real)
        if owner is None:
            return None, SIG_UNOWNED
        return owner, _STATE[self.db.verify(real if self.db.owner(real) else path)]

    def add_component(
        self,
        server: Server,
        kind: str,
        name: str,
        path: str | None,
        at: Location,
        detail: dict[str, str] | None = None,
        *,
        check_file: bool = True,
        owner: str | None = None,
        state: str | None = None,
    ) -> None:
        if check_file and state is None:
            owner, state = self.file_state(path)
        self.components.append(
            Component(
                server.name,
                kind,
                name,
                path,
                at,
                owner,
                state or SIG_NA,
                tuple(sorted((detail or {}).items())),
            )
        )

    def add_setting(
        self, server: Server, name: str, value: str, at: Location, /, **detail: str
    ) -> None:
        self.settings.append(Setting(server.name, name, value, at, tuple(sorted(detail.items()))))

    def skip(self, path: str, code: SkipCode, reason: str) -> None:
        self.skipped.append(Skipped(self.fs.display(path), code, reason))

    def package_version(self, *packages: str) -> str | None:
        if self._versions is None:
            self._versions = _dpkg_versions(self.fs)
        for package in packages:
            if package in self._versions:
                return self._versions[package]
        return None

    def accounts(self) -> dict[str, Account]:
        return _accounts(self.fs)


def _dpkg_versions(fs: RootFS) -> dict[str, str]:
    text = fs.read_text("/var/lib/dpkg/status", 64 << 20)
    versions: dict[str, str] = {}
    if isinstance(text, Skipped):
        return versions
    for stanza in text.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in stanza.splitlines() if ": " in line and line[0] != " "
        )
        if "install ok installed" in fields.get("Status", "") and "Package" in fields:
            versions[fields["Package"]] = fields.get("Version", "")
    return versions


def _accounts(fs: RootFS) -> dict[str, Account]:
    users: dict[str, tuple[int, int]] = {}
    text = fs.read_text("/etc/passwd")
    if not isinstance(text, Skipped):
        for line in text.splitlines():
            parts = line.split(":")
            if len(parts) >= 4 and parts[2].isdigit() and parts[3].isdigit():
                users[parts[0]] = (int(parts[2]), int(parts[3]))
    extra: dict[str, set[int]] = {name: {gid} for name, (_, gid) in users.items()}
    text = fs.read_text("/etc/group")
    if not isinstance(text, Skipped):
        for line in text.splitlines():
            parts = line.split(":")
            if len(parts) >= 4 and parts[2].isdigit():
                for member in filter(None, parts[3].split(",")):
                    extra.setdefault(member, set()).add(int(parts[2]))
    return {
        name: Account(name, uid, frozenset(extra.get(name, set())))
        for name, (uid, _) in users.items()
    }


def discover(root: str) -> Inventory:
    from sscguard.targets import esxi, linux, windows

    fs = RootFS(root)
    if not fs.is_dir("/"):
        return Inventory(
            root=fs.root,
            skipped=(Skipped(root, SkipCode.NOT_FOUND, "root is not a readable directory"),),
        )
    builder = Builder(fs)
    for finder in (*linux.FINDERS, *windows.FINDERS, *esxi.FINDERS):
        try:
            finder(builder)
        except RecursionError:  # pragma: no cover - defensive: pathological nesting
            builder.skip("/", SkipCode.ERROR, f"{finder.__name__}: nesting too deep")
    for server in builder.servers:
        for path in (*server.config_files, *server.web_roots, *server.component_dirs):
            builder.note_path(path)
            parent = posixpath.dirname(path)
            if parent != path:
                builder.note_path(parent)
    return Inventory(
        root=fs.root,
        servers=tuple(builder.servers),
        components=tuple(builder.components),
        settings=tuple(builder.settings),
        paths=dict(builder.paths),
        accounts=builder.accounts(),
        skipped=tuple(builder.skipped),
    )
