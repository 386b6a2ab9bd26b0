"""Fixtures of the peers' unit tests: the php and node binaries, when installed.

Like the peers lane, a missing binary fails the tests that need it under CI
and skips them elsewhere, with the hint to run scripts/install-peers.sh.
"""

from __future__ import annotations

import pytest

from sso_harness.apps.peers.install import (
    apache_binary,
    missing_apache,
    missing_oidc_provider,
    missing_simplesamlphp,
    node_binary,
    php_binary,
    when_missing,
)


def _require(peer: str, problems: list[str]) -> None:
    verdict = when_missing(peer, problems)
    if verdict is not None:
        action, message = verdict
        if action == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def php() -> str:
    _require("SimpleSAMLphp", missing_simplesamlphp())
    binary = php_binary()
    assert binary is not None
    return binary


@pytest.fixture(scope="session")
def node() -> str:
    _require("oidc-provider", missing_oidc_provider())
    binary = node_binary()
    assert binary is not None
    return binary


@pytest.fixture(scope="session")
def apache() -> str:
    """Debian's apache2 with both SP modules (the Apache peers), when installed."""
    _require("Apache (mod_auth_mellon, mod_auth_openidc)", missing_apache("auth_mellon") + missing_apache("auth_openidc"))
    return apache_binary()
