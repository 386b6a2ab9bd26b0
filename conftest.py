"""Wiring for this repository's own suites (unit tests and e2e).

The harness's fixtures come from its pytest plugin (``sso_harness.plugin.hooks``,
registered through the ``pytest11`` entry point); this file only adds what
is specific to running the suites from a checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


def pytest_configure(config: pytest.Config) -> None:
    (ROOT / "reports").mkdir(exist_ok=True)
