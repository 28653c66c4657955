"""A rich progress bar on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


class _RichObserver:
    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._task = progress.add_task("scanning", total=None)
        self._files = 0
        self._total: int | None = None

    def discovered(self, files: int) -> None:
        self._total = files
        self._progress.update(self._task, total=files)

    def scanned(self, files: int, size: int) -> None:
        del size
        self._files += files
        self._progress.update(self._task, completed=self._files)


class _Silent:
    def discovered(self, files: int) -> None:
        pass

    def scanned(self, files: int, size: int) -> None:
        pass


@contextlib.contextmanager
def progress_observer(enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield _Silent()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        yield _RichObserver(progress)
