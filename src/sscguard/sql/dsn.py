"""Connection URLs: parse them, find the password, and keep it out of every message."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from sscguard.errors import ConfigError

SCHEMES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pg": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mssql": "mssql",
    "sqlserver": "mssql",
    "oracle": "oracle",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mssql": 1433, "oracle": 1521}
#: Query parameters passed on to the driver, per engine; anything else is an error.
PARAMS = {
    "postgresql": frozenset({"host", "sslmode", "sslrootcert", "sslcert", "sslkey"}),
    "mysql": frozenset({"unix_socket", "ssl_ca", "charset"}),
    "mssql": frozenset({"tds_version", "charset"}),
    "oracle": frozenset({"sid"}),
}
LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1", "[::1]"})

_URL_SECRET = re.compile(r"([a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@]*@", re.IGNORECASE)
_KV_SECRET = re.compile(r"(password\s*[=:]\s*)('[^']*'|\"[^\"]*\"|\S+)", re.IGNORECASE)
#: Secrets shorter than this are only scrubbed in URL and key=value form.
MIN_SCRUB = 3


@dataclass(frozen=True, slots=True)
class Dsn:
    engine: str
    host: str
    port: int
    database: str
    user: str
    password: str = field(default="", repr=False)
    params: tuple[tuple[str, str], ...] = ()

    @property
    def param(self) -> Mapping[str, str]:
        return dict(self.params)

    @property
    def local(self) -> bool:
        """Does the server run on this machine (loopback or a Unix socket)?"""
        return (
            self.host in LOCAL_HOSTS or self.host.startswith("/") or ("unix_socket" in self.param)
        )

    def shown(self) -> str:
        """A printable form without the password."""
        user = f"{self.user}@" if self.user else ""
        return f"{self.engine}://{user}{self.host}:{self.port}/{self.database}"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove passwords from text: URL userinfo, ``password=...`` and each known secret."""
    text = _URL_SECRET.sub(r"\1***@", text)
    text = _KV_SECRET.sub(r"\1***", text)
    for secret in secrets:
        if secret and len(secret) >= MIN_SCRUB:
            text = text.replace(secret, "***")
    return text


def parse_dsn(url: str, *, password: str | None = None) -> Dsn:
    """Parse ``scheme://user[:password]@host[:port]/database[?param=value]``.

    ``password`` (from an environment variable or a file) may not be combined with one in the
    URL. Errors never contain the password.
    """
    try:
        parts = urlsplit(url.strip())
        port_text = parts.port
    except ValueError as exc:
        raise ConfigError(f"bad --dsn {scrub(url)!r}: {scrub(str(exc))}") from None
    engine = SCHEMES.get(parts.scheme.lower())
    if engine is None:
        known = ", ".join(sorted(SCHEMES))
        raise ConfigError(f"bad --dsn {scrub(url)!r}: unknown scheme (use one of: {known})")
    host = unquote(parts.hostname or "")
    if parts.netloc.rsplit("@", 1)[-1].startswith("%2F") or parts.netloc.rsplit("@", 1)[
        -1
    ].startswith("%2f"):
        host = unquote(parts.netloc.rsplit("@", 1)[-1].split(":", 1)[0])
    user = unquote(parts.username or "")
    url_password = unquote(parts.password) if parts.password is not None else None
    if url_password and password:
        raise ConfigError("give the password once: in --dsn, --password-env or --password-file")
    database = unquote(parts.path.lstrip("/"))
    if "/" in database:
        raise ConfigError(f"bad --dsn {scrub(url)!r}: the path must be a single database name")
    params: list[tuple[str, str]] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in PARAMS[engine]:
            allowed = ", ".join(sorted(PARAMS[engine])) or "none"
            raise ConfigError(
                f"bad --dsn {scrub(url)!r}: unknown parameter {key!r} (allowed: {allowed})"
            )
        params.append((key, value))
    if not host and not params:
        host = "localhost"
    if engine == "oracle" and not database and "sid" not in dict(params):
        raise ConfigError(f"bad --dsn {scrub(url)!r}: name the service: oracle://host/SERVICE")
    return Dsn(
        engine=engine,
        host=host,
        port=port_text or DEFAULT_PORTS[engine],
        database=database,
        user=user,
        password=password if password is not None else (url_password or ""),
        params=tuple(params),
    )


def read_password(env: str | None, file: str | None, environ: Mapping[str, str]) -> str | None:
    """The password from ``--password-env VAR`` or ``--password-file FILE`` (first line)."""
    if env and file:
        raise ConfigError("use either --password-env or --password-file, not both")
    if env:
        if env not in environ:
            raise ConfigError(f"--password-env: environment variable {env} is not set")
        return environ[env]
    if file:
        try:
            with open(file, "rb") as handle:
                data = handle.read(4097)
        except OSError as exc:
            raise ConfigError(f"--password-file {file}: {exc.strerror or exc}") from None
        if len(data) > 4096:
            raise ConfigError(f"--password-file {file}: longer than 4 KiB, not a password")
        first = data.decode("utf-8", "replace").splitlines()
        return first[0] if first else ""
    return None
