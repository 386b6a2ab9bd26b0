"""Fixtures of the tutorial runner's unit tests: a signing key made for the test run."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sso_harness.mocks.base.keys import KeyPair, make_keypair
from .tutorial_builders import NOW


@pytest.fixture(scope="module")
def idp_keys() -> Iterator[KeyPair]:
    with tempfile.TemporaryDirectory() as d:
        yield make_keypair("tutorial-test-idp", Path(d), now=NOW)
