"""Fixtures for the live process tests: real servers on loopback (helpers in livestack.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from process.livestack import PgCluster, WebStack, running_postgres, start_web, unavailable


@pytest.fixture()
def web() -> Iterator[WebStack]:
    if os.geteuid() != 0:
        unavailable("the web-stack tests start servers as root (workers run as nobody)")
    stack = start_web()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture()
def postgres() -> Iterator[PgCluster]:
    with running_postgres() as cluster:
        yield cluster
