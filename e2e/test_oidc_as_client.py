"""The harness as an OIDC client (code + PKCE) against the Entra-like IdP, through the capture proxy."""

from __future__ import annotations

import socket

import pytest

from sso_harness.browser.entra import EntraLogin
from sso_harness.browser.login import Credentials
from sso_harness.browser.oidc_client import OidcClientConfig, oidc_as_client
from sso_harness.mocks.entra.tenant import RedirectUri
from sso_harness.mocks.scenario import IDS

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_code_flow_with_pkce_verifies_the_id_token_through_discovery_and_jwks(page, mock_fleet, sso_capture, sso_proxy) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    mock_fleet.entra.configure_registration(IDS.spa_client, redirect_uris=(RedirectUri(f"http://127.0.0.1:{port}/callback", "spa"),))
    config = OidcClientConfig(issuer=f"{mock_fleet.entra.base_url}/{mock_fleet.tenant_id}/v2.0", client_id=IDS.spa_client,
                              auth_method="none", redirect_port=port)
    run = oidc_as_client(page, sso_capture, config, login=EntraLogin(),
                         credentials=Credentials("b.simon@contoso.com", "Pa55w.rd-simon"), proxy_url=sso_proxy.url)
    assert run.token_status == 200
    kinds = [m.kind for h in run.trace for m in h.messages]
    assert kinds[:3] == ["oidc.discovery", "jose.jwks", "oauth.authorize_request"]
    (response,) = [m.message for h in run.trace for m in h.messages if m.kind == "oauth.token_response"]
    verdict = response.id_token_verdict
    assert verdict is not None and verdict.trusted, verdict
    assert verdict.claims["nonce"] == run.nonce and verdict.claims["aud"] == IDS.spa_client
    (exchange,) = run.trace.exchanges
    assert exchange.problems == () and (exchange.request_hop, exchange.response_hop) != (None, None)
    token_hop = next(h for h in run.trace if any(m.kind == "oauth.token_request" for m in h.messages))
    assert token_hop.hop.back_channel  # the harness's own token call, flagged as such


def test_without_pkce_the_spa_client_is_refused_with_aadsts9002325(page, mock_fleet, sso_capture, sso_proxy) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    mock_fleet.entra.configure_registration(IDS.spa_client, redirect_uris=(RedirectUri(f"http://127.0.0.1:{port}/callback", "spa"),))
    config = OidcClientConfig(issuer=f"{mock_fleet.entra.base_url}/{mock_fleet.tenant_id}/v2.0", client_id=IDS.spa_client,
                              auth_method="none", redirect_port=port, pkce=False)
    run = oidc_as_client(page, sso_capture, config, login=EntraLogin(),
                         credentials=Credentials("b.simon@contoso.com", "Pa55w.rd-simon"), proxy_url=sso_proxy.url)
    # The code is issued; redeeming it without a verifier is what Entra refuses for a SPA client.
    assert run.token_status == 400
    (response,) = [m.message for h in run.trace for m in h.messages if m.kind == "oauth.token_response"]
    assert 9002325 in response.error_codes
    assert any("PKCE" in (e.title + e.meaning) or "9002325" in str(e.code) for e in response.explanations)
