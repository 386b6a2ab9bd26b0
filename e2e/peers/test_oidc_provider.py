"""oidc-provider (npm, a certified OpenID provider) with the harness as its client: code flow + PKCE.

Discovery, JWKS and the token exchange go through the capture proxy as
back-channel hops, so the ID token is verified inside the trace against
the keys the provider published.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from sso_harness.browser.drivers import SignInRefused
from sso_harness.browser.login import Credentials
from sso_harness.browser.oidc_client import OidcClientConfig, OidcRun, oidc_as_client
from sso_harness.apps.peers import PeerTarget
from sso_harness.protocols.problems import OAUTH_ERROR_RESPONSE

pytestmark = [pytest.mark.e2e, pytest.mark.peers]


def _sign_in(page, sso_capture, sso_proxy, target: PeerTarget, credentials: Credentials) -> OidcRun:  # type: ignore[no-untyped-def]
    c = target.client
    assert c is not None
    config = OidcClientConfig(issuer=target.idp.entity_id, client_id=c.client_id, client_secret=c.client_secret,
                              scopes=c.scopes, pkce=c.pkce, auth_method=c.auth_method)
    return oidc_as_client(page, sso_capture, config, login=target.login, credentials=credentials, proxy_url=sso_proxy.url)


def _messages(trace, kind: str) -> list:  # type: ignore[no-untyped-def]
    return [(h, m.message) for h in trace for m in h.messages if m.kind == kind]


def test_oidc_code_flow_with_pkce_yields_an_id_token_verified_by_the_published_keys(page, sso_capture, sso_proxy, oidc_target) -> None:
    t = oidc_target
    user = t.users[0]

    run = _sign_in(page, sso_capture, sso_proxy, t, user.credentials)

    assert run.token_status == 200
    trace = run.trace
    # Discovery names the endpoints the flow then used.
    ((_, discovery),) = _messages(trace, "oidc.discovery")
    assert discovery.issuer == t.idp.entity_id and discovery.issuer_matches
    # The authorization request carried a PKCE S256 challenge, state and nonce.
    ((_, authorize),) = _messages(trace, "oauth.authorize_request")
    assert authorize.code_challenge_method == "S256" and authorize.code_challenge
    assert (authorize.state, authorize.nonce) == (run.state, run.nonce)
    # The ID token in the token response: signed by a key from the JWKS, with the expected claims.
    ((token_hop, token),) = _messages(trace, "oauth.token_response")
    verdict = token.id_token_verdict
    assert verdict is not None and verdict.trusted, verdict and verdict.problems
    assert verdict.algorithm == "RS256" and verdict.kid
    assert verdict.claims["iss"] == t.idp.entity_id
    assert verdict.claims["aud"] == t.client.client_id
    assert verdict.claims["nonce"] == run.nonce  # nonce round trip (OIDC Core §3.1.3.7)
    assert verdict.claims["sub"] == user.name_id
    for claim, value in user.claims.items():
        assert verdict.claims[claim] == value
    # The round trip agrees with itself: state returned, nonce echoed, PKCE verifier matches.
    (exchange,) = [x for x in trace.exchanges if x.kind == "oauth.code"]
    assert exchange.problems == ()
    # The harness's own calls are back-channel hops; the browser's are not.
    back = [h.hop.url.split("?")[0] for h in trace if h.hop.back_channel]
    assert back == [t.idp.metadata_url, discovery.jwks_uri, discovery.token_endpoint]
    assert token_hop.hop.back_channel
    assert not [h for h, _ in _messages(trace, "oauth.authorize_response") if h.hop.back_channel]


def test_an_account_the_provider_does_not_know_is_refused_with_access_denied(page, sso_capture, sso_proxy, oidc_target) -> None:
    run = _sign_in(page, sso_capture, sso_proxy, oidc_target, Credentials("mallory", "whatever"))

    # The refusal travels the OAuth way: an error response at the redirect URI (RFC 6749 §4.1.2.1).
    ((callback_hop, callback),) = _messages(run.trace, "oauth.authorize_response")
    assert (callback.error, callback.error_description) == ("access_denied", 'unknown account "mallory"')
    assert callback.state == run.state
    assert not callback_hop.hop.back_channel
    (exchange,) = [x for x in run.trace.exchanges if x.request_hop is not None]
    assert any(p.code == OAUTH_ERROR_RESPONSE and "access_denied" in p.message for p in exchange.problems)
    assert run.token_status != 200  # no code, so no tokens


def test_an_error_page_of_the_provider_is_a_refusal_that_quotes_it(page, oidc_target) -> None:
    t = oidc_target
    assert t.client is not None
    # A redirect URI the client never registered: the provider cannot answer the client, so it shows its error page.
    page.goto(f"{t.idp.entity_id}/auth?" + urlencode({
        "client_id": t.client.client_id, "response_type": "code", "scope": "openid",
        "redirect_uri": "http://127.0.0.1:9/not-registered", "code_challenge": "A" * 43, "code_challenge_method": "S256",
    }))

    with pytest.raises(SignInRefused) as refused:
        t.login.sign_in(page, t.users[0].credentials)

    assert "oidc-provider answered with an error" in str(refused.value)
    assert "redirect_uri" in str(refused.value)


@pytest.mark.peers
def test_a_client_secret_that_starts_with_a_dash_is_not_read_as_an_option(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found in CI: a random secret beginning with '-' made the peer exit at start."""
    from sso_harness.apps.peers.oidc_provider_peer import OidcAccount, OidcProviderPeer

    accounts = (OidcAccount("a1", {"sub": "a1", "email": "a1@example.test"}),)
    with OidcProviderPeer(tmp_path, accounts=accounts, client_secret="-leading-dash-secret") as peer:
        assert peer.issuer.startswith("http://127.0.0.1:")
