"""Scan configuration: command line > environment > TOML file > defaults.

The TOML file is only read when named (``--config FILE`` or ``SSCGUARD_CONFIG``): sscguard is
often run from inside a directory an attacker controls, so it never picks up a config file from
the working directory by itself. Unknown sections and keys are errors, so a typo never silently
turns a check off.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from sscguard.errors import ConfigError
from sscguard.model import Severity
from sscguard.suppress import Suppression, load_file, parse_entries

FORMATS = ("table", "json", "jsonl", "sarif", "html", "ecs")

_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kmgt]?)(i?b?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(value: object) -> int:
    """Parse ``1048576``, ``"512k"``, ``"32MiB"`` or ``"1G"`` into bytes."""
    if isinstance(value, bool):
        raise ConfigError(f"not a size: {value!r}")
    if isinstance(value, int):
        if value <= 0:
            raise ConfigError(f"size must be positive: {value}")
        return value
    if isinstance(value, str):
        match = _SIZE_RE.match(value)
        if match:
            size = int(match.group(1)) * _UNITS[match.group(2).lower()]
            if size > 0:
                return size
    raise ConfigError(f"not a size: {value!r} (use bytes or a suffix such as 512k, 32MiB, 1G)")


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Everything a run needs to know besides its targets."""

    format: str = "table"
    output: str | None = None
    min_severity: Severity = Severity.MEDIUM
    progress: bool = True
    verbosity: int = 0
    max_file_size: int = 32 << 20
    max_depth: int = 4096
    jobs: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    rules: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    one_file_system: bool = False
    code_analysis: bool = True
    suppressions: tuple[Suppression, ...] = ()

    def with_overrides(self, **overrides: Any) -> ScanConfig:
        """A copy with the given non-None values applied (validated)."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        return _validated(replace(self, **clean))


# section -> key -> attribute of ScanConfig
_TOML_KEYS: dict[str, dict[str, str]] = {
    "output": {
        "format": "format",
        "output": "output",
        "min_severity": "min_severity",
        "progress": "progress",
    },
    "scan": {
        "max_file_size": "max_file_size",
        "max_depth": "max_depth",
        "jobs": "jobs",
        "rules": "rules",
        "exclude": "exclude",
        "one_file_system": "one_file_system",
        "code_analysis": "code_analysis",
    },
}

_ENV_KEYS = {
    "SSCGUARD_FORMAT": "format",
    "SSCGUARD_MIN_SEVERITY": "min_severity",
    "SSCGUARD_MAX_FILE_SIZE": "max_file_size",
    "SSCGUARD_JOBS": "jobs",
    "SSCGUARD_RULES": "rules",
    "SSCGUARD_CODE_ANALYSIS": "code_analysis",
}


def _coerce(attr: str, value: Any, where: str) -> Any:
    """Turn a TOML/env value into the attribute's type, or raise ``ConfigError``."""
    try:
        if attr in ("format", "output"):
            if not isinstance(value, str):
                raise TypeError("expected a string")
            return value
        if attr == "min_severity":
            return Severity.parse(str(value))
        if attr in ("progress", "one_file_system", "code_analysis"):
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("1", "true", "yes", "on"):
                return True
            if isinstance(value, str) and value.lower() in ("0", "false", "no", "off"):
                return False
            raise TypeError("expected true or false")
        if attr == "max_file_size":
            return parse_size(value)
        if attr in ("jobs", "max_depth"):
            number = int(value) if isinstance(value, str) else value
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                raise TypeError("expected a positive integer")
            return number
        if attr in ("rules", "exclude"):
            if isinstance(value, str):
                return tuple(p for p in value.split(os.pathsep) if p)
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return tuple(value)
            raise TypeError("expected a list of strings")
    except (TypeError, ValueError, ConfigError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
    raise ConfigError(f"{where}: unknown setting")  # pragma: no cover - guarded by tables


def _validated(cfg: ScanConfig) -> ScanConfig:
    if cfg.format not in FORMATS:
        raise ConfigError(f"unknown format {cfg.format!r}; choose one of {', '.join(FORMATS)}")
    return cfg


def load_toml(path: str) -> dict[str, Any]:
    """Read a config file into attribute -> value, rejecting unknown sections and keys."""
    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section == "suppress":
            values["suppressions"] = parse_entries(table, path)
            continue
        keys = _TOML_KEYS.get(section)
        if keys is None or not isinstance(table, dict):
            known = ", ".join([*(f"[{s}]" for s in _TOML_KEYS), "[[suppress]]"])
            raise ConfigError(f"{path}: unknown section [{section}] (known: {known})")
        for key, value in table.items():
            attr = keys.get(key)
            if attr is None:
                raise ConfigError(
                    f"{path}: unknown key {key!r} in [{section}] (known: {', '.join(keys)})"
                )
            values[attr] = _coerce(attr, value, f"{path}: [{section}] {key}")
    return values


def load_env(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, attr in _ENV_KEYS.items():
        if name in environ and environ[name] != "":
            values[attr] = _coerce(attr, environ[name], name)
    return values


def build_config(
    cli: Mapping[str, Any],
    config_file: str | None,
    environ: Mapping[str, str],
    suppress_files: tuple[str, ...] = (),
) -> ScanConfig:
    """Merge the layers. ``cli`` holds only the options the user actually gave.

    Suppressions add up: those of the config file and of every ``--suppress FILE``.
    """
    merged: dict[str, Any] = {}
    path = config_file or environ.get("SSCGUARD_CONFIG") or None
    if path:
        merged.update(load_toml(path))
    merged.update(load_env(environ))
    merged.update({k: v for k, v in cli.items() if v is not None})
    extra = tuple(s for file in suppress_files for s in load_file(file))
    if extra:
        merged["suppressions"] = tuple(merged.get("suppressions", ())) + extra
    known = {f.name for f in fields(ScanConfig)}
    unknown = set(merged) - known
    if unknown:  # pragma: no cover - a programming error, not user input
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    return _validated(ScanConfig(**merged))
