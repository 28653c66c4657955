"""Exceptions. The library raises these; only ``cli.py`` turns them into exit codes."""

from __future__ import annotations


class SscguardError(Exception):
    """Base class for every error sscguard raises on purpose."""


class ConfigError(SscguardError):
    """Bad configuration: unknown key, wrong type, unreadable config file (exit code 2)."""


class RuleError(SscguardError):
    """A rule that cannot be loaded; ``source`` says where (``file`` or ``file:line``)."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class TargetError(SscguardError):
    """A target that cannot be scanned at all (missing root, not a directory, ...)."""


class ScanError(SscguardError):
    """A scan that cannot go on (its worker processes keep dying)."""


class ReportError(SscguardError):
    """A saved result document that cannot be loaded or rendered."""
