"""Fixtures of the mock tests: one full fleet per session (per xdist worker), reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sso_harness.mocks.fleet import MockFleet
from .mock_walker import Walker


@pytest.fixture(scope="session")
def fleet() -> Iterator[MockFleet]:
    with MockFleet() as f:
        yield f


@pytest.fixture
def clean(fleet: MockFleet) -> Iterator[MockFleet]:
    fleet.reset()
    yield fleet
    fleet.reset()


@pytest.fixture
def walker() -> Walker:
    return Walker()
