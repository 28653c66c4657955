"""sscguard: find server-software-component persistence (MITRE ATT&CK T1505).

Public API: ``scan()``, ``Finding``, ``ResultDocument`` and ``__version__``. Heavy modules
(YARA-X, rich) are imported only when used, so importing this package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sscguard.model import Finding, ResultDocument

__all__ = ["Finding", "ResultDocument", "__version__", "scan"]


def scan(*args: Any, **kwargs: Any) -> ResultDocument:
    """Scan files and folders; see ``sscguard.scan.scan``."""
    from sscguard.scan import scan as _scan

    return _scan(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name in ("Finding", "ResultDocument"):
        from sscguard import model

        return getattr(model, name)
    raise AttributeError(name)
