"""The OIDC client's callback page listens on 127.0.0.1 only, also for a configured localhost URI."""

from __future__ import annotations

import pytest

from sso_harness.browser.oidc_client import OidcClientConfig, _served

from ..capture.listening import loopback_problems


@pytest.mark.parametrize("redirect_uri", [None, "http://localhost:{port}/cb", "http://127.0.0.1:{port}/cb"])
def test_the_callback_page_listens_on_loopback_only(redirect_uri: str | None, unused_port: int) -> None:
    uri = None if redirect_uri is None else redirect_uri.format(port=unused_port)
    page = _served(OidcClientConfig(issuer="https://op.example", client_id="c", redirect_uri=uri))
    assert page is not None
    with page:
        assert loopback_problems({"callback": page.redirect_uri}) == []


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
