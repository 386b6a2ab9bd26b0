"""The harness as an OIDC client (code + PKCE) of the Entra-like IdP, from a target entry, through the capture proxy.

The entry below is what a team writes for its own tenant's app registration
(``oidc_client``: a public SPA client, a loopback redirect URI); only the
ports and the test user's password come from the running fleet.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from sso_harness.mocks.entra.tenant import RedirectUri
from sso_harness.mocks.scenario import IDS
from sso_harness.protocols.oauth import AuthorizeRequest, TokenRequest, TokenResponse
from sso_harness.targets import Target, parse_targets
from sso_harness.targets.runner import FlowCase, play_case
from sso_harness.trace.trace import Trace

pytestmark = pytest.mark.e2e

TARGETS = """\
targets:
  entra-spa:
    idp:
      kind: entra
      issuer: ${ENTRA_ISSUER}
      login:
        driver: entra
    sps:
      spa:
        client_id: ${SPA_CLIENT_ID}
        token_auth: none
        redirect_uri: ${SPA_REDIRECT_URI}
        flows: [oidc_client]
        expect:
          id_token:
            preferred_username: "{user.username}"
      spa-without-pkce:
        client_id: ${SPA_CLIENT_ID}
        token_auth: none
        redirect_uri: ${SPA_REDIRECT_URI}
        pkce: false
        flows: [oidc_client]
        expect:
          # The code is issued; redeeming it without a verifier is what Entra refuses for a SPA client.
          error: invalid_request
          error_description: AADSTS9002325
    users:
      - username: b.simon@contoso.com
        password: ${SIMON_PASSWORD}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _target(mock_fleet) -> Target:  # type: ignore[no-untyped-def]
    redirect = f"http://127.0.0.1:{_free_port()}/callback"
    mock_fleet.entra.configure_registration(IDS.spa_client, redirect_uris=(RedirectUri(redirect, "spa"),))
    env = {"ENTRA_ISSUER": f"{mock_fleet.entra.base_url}/{mock_fleet.tenant_id}/v2.0", "SPA_CLIENT_ID": IDS.spa_client,
           "SPA_REDIRECT_URI": redirect, "SIMON_PASSWORD": "Pa55w.rd-simon"}
    return parse_targets(TARGETS, source="test_oidc_as_client", env=env)["entra-spa"]


def _play(page, sso_capture, sso_proxy, target: Target, sp: str, tmp_path: Path) -> Trace:  # type: ignore[no-untyped-def]
    return play_case(page, sso_capture, target, FlowCase(sp, "oidc_client", 0), proxy_url=sso_proxy.url,
                     cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path)


def test_code_flow_with_pkce_verifies_the_id_token_through_discovery_and_jwks(page, mock_fleet, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    trace = _play(page, sso_capture, sso_proxy, _target(mock_fleet), "spa", tmp_path)  # the entry's expectations hold

    kinds = [m.kind for h in trace for m in h.messages]
    assert kinds[:3] == ["oidc.discovery", "jose.jwks", "oauth.authorize_request"]
    (request,) = [m.message for h in trace for m in h.messages if isinstance(m.message, AuthorizeRequest)]
    assert request.code_challenge_method == "S256"
    (response,) = [m.message for h in trace for m in h.messages if isinstance(m.message, TokenResponse)]
    verdict = response.id_token_verdict
    assert verdict is not None and verdict.trusted, verdict
    assert verdict.claims["nonce"] == request.nonce and verdict.claims["aud"] == IDS.spa_client
    (exchange,) = [x for x in trace.exchanges if x.kind == "oauth.code"]
    assert exchange.problems == () and (exchange.request_hop, exchange.response_hop) != (None, None)
    token_hop = next(h for h in trace if any(isinstance(m.message, TokenRequest) for m in h.messages))
    assert token_hop.hop.back_channel  # the harness's own token call, flagged as such


def test_without_pkce_the_spa_client_is_refused_with_aadsts9002325(page, mock_fleet, sso_capture, sso_proxy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    trace = _play(page, sso_capture, sso_proxy, _target(mock_fleet), "spa-without-pkce", tmp_path)  # expects the error

    (response,) = [m.message for h in trace for m in h.messages if isinstance(m.message, TokenResponse)]
    assert 9002325 in response.error_codes
    assert any("PKCE" in (e.title + e.meaning) or "9002325" in str(e.code) for e in response.explanations)
