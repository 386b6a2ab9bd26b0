"""oidc-provider (npm, a certified OpenID provider) with the harness as its client, from target entries.

The provider reaches the flows only as the entries of ``oidc_provider_targets.yaml``,
run by the same runner and expectations as a team's own OP
(:func:`sso_harness.targets.runner.play_case`): discovery, JWKS, the token
exchange and UserInfo go through the capture proxy as back-channel hops, so
the ID token is verified inside the trace against the keys the provider
published. The checks after ``play_case`` read only the trace.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest

from sso_harness.apps.peers import OidcProviderPeer
from sso_harness.browser.drivers import SignInRefused
from sso_harness.expect import ExpectationFailed
from sso_harness.protocols.oauth import AuthorizeRequest, AuthorizeResponse, Discovery, TokenResponse
from sso_harness.protocols.problems import OAUTH_ERROR_RESPONSE
from sso_harness.targets.load import load_target
from sso_harness.targets.runner import FlowCase, driver_for, play_case
from sso_harness.targets.target import Target
from sso_harness.targets.target import TestUser as User  # not collected as a test class
from sso_harness.trace.trace import Trace

from .conftest import OIDC_USERS

pytestmark = [pytest.mark.e2e, pytest.mark.peers]

TARGETS_FILE = Path(__file__).with_name("oidc_provider_targets.yaml")


def _env(peer: OidcProviderPeer) -> dict[str, str]:
    """The values oidc_provider_targets.yaml reads: what the peer chose at start, and the session's passwords."""
    assert peer.issuer is not None
    return {"PEER_OP_ISSUER": peer.issuer, "PEER_OP_CLIENT_ID": peer.client_id, "PEER_OP_CLIENT_SECRET": peer.client_secret,
            "PEER_CAROL_PASSWORD": OIDC_USERS[0].password, "PEER_MALLORY_PASSWORD": "whatever"}


def _target(peer: OidcProviderPeer, name: str) -> Target:
    return load_target(TARGETS_FILE, name, env=_env(peer))


def _play(page, sso_capture, sso_proxy, target: Target, sp: str, tmp_path: Path) -> Trace:  # type: ignore[no-untyped-def]
    return play_case(page, sso_capture, target, FlowCase(sp, "oidc_client", 0), proxy_url=sso_proxy.url,
                     cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path)


def _messages(trace: Trace, kind: type) -> list:  # type: ignore[type-arg]
    return [(h, m.message) for h in trace for m in h.messages if isinstance(m.message, kind)]


def test_the_harness_as_client_gets_a_verified_id_token_and_userinfo(page, sso_capture, sso_proxy, oidc_peer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = _target(oidc_peer, "harness-oidc-provider")

    trace = _play(page, sso_capture, sso_proxy, target, "harness", tmp_path)  # every expectation of the entry holds

    ((_, discovery),) = _messages(trace, Discovery)
    assert discovery.issuer == target.idp.issuer and discovery.issuer_matches
    ((_, authorize),) = _messages(trace, AuthorizeRequest)
    assert authorize.code_challenge_method == "S256" and authorize.code_challenge
    assert authorize.state and authorize.nonce and not authorize.response_mode_explicit
    ((token_hop, token),) = _messages(trace, TokenResponse)
    verdict = token.id_token_verdict
    assert verdict is not None and verdict.trusted and verdict.algorithm == "RS256" and verdict.kid
    assert verdict.claims["nonce"] == authorize.nonce  # nonce round trip (OIDC Core §3.1.3.7)
    (exchange,) = [x for x in trace.exchanges if x.kind == "oauth.code"]
    assert exchange.problems == ()
    # The harness's own calls are back-channel hops, in the order a client makes them; the browser's are not.
    back = [h.hop.url.split("?")[0] for h in trace if h.hop.back_channel]
    assert back == [f"{target.idp.issuer}/.well-known/openid-configuration", discovery.jwks_uri,
                    discovery.token_endpoint, discovery.userinfo_endpoint]
    assert token_hop.hop.back_channel
    assert not [h for h, _ in _messages(trace, AuthorizeResponse) if h.hop.back_channel]


def test_form_post_brings_the_code_to_the_callback_page_in_a_post(page, sso_capture, sso_proxy, oidc_peer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = _target(oidc_peer, "harness-oidc-provider")

    trace = _play(page, sso_capture, sso_proxy, target, "harness-form-post", tmp_path)

    ((_, authorize),) = _messages(trace, AuthorizeRequest)
    ((callback_hop, callback),) = _messages(trace, AuthorizeResponse)
    assert authorize.response_mode == "form_post"
    assert callback_hop.hop.method == "POST" and callback.response_mode == "form_post" and callback.state == authorize.state


def test_an_account_the_provider_does_not_know_is_refused_with_access_denied(page, sso_capture, sso_proxy, oidc_peer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = _target(oidc_peer, "harness-oidc-provider-unknown-user")

    trace = _play(page, sso_capture, sso_proxy, target, "harness", tmp_path)  # expects error: access_denied

    ((callback_hop, callback),) = _messages(trace, AuthorizeResponse)
    assert not callback_hop.hop.back_channel
    (exchange,) = [x for x in trace.exchanges if x.request_hop is not None]
    assert any(p.code == OAUTH_ERROR_RESPONSE and "access_denied" in p.message for p in exchange.problems)
    assert not _messages(trace, TokenResponse)  # no code, so no token call


def test_an_expectation_the_provider_does_not_meet_fails_naming_the_claim(page, sso_capture, sso_proxy, oidc_peer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = _target(oidc_peer, "harness-oidc-provider")
    wrong = (User("carol", OIDC_USERS[0].password, {"email": "someone-else@peers.example", "name": "Carol Peer"}),)

    with pytest.raises(ExpectationFailed) as failed:
        _play(page, sso_capture, sso_proxy, Target(target.name, target.idp, target.sps, wrong), "harness", tmp_path)

    text = str(failed.value)
    assert "ID token claim email" in text and "someone-else@peers.example" in text and "carol@peers.example" in text


def test_an_error_page_of_the_provider_is_a_refusal_that_quotes_it(page, oidc_peer) -> None:  # type: ignore[no-untyped-def]
    target = _target(oidc_peer, "harness-oidc-provider")
    sp = target.sps[0]
    # A redirect URI the client never registered: the provider cannot answer the client, so it shows its error page.
    page.goto(f"{target.idp.issuer}/auth?" + urlencode({
        "client_id": sp.client_id, "response_type": "code", "scope": "openid",
        "redirect_uri": "http://127.0.0.1:9/not-registered", "code_challenge": "A" * 43, "code_challenge_method": "S256",
    }))

    with pytest.raises(SignInRefused) as refused:
        driver_for(target.idp.login).sign_in(page, OIDC_USERS[0].credentials)

    assert "oidc-provider answered with an error" in str(refused.value)
    assert "redirect_uri" in str(refused.value)


@pytest.mark.peers
def test_a_client_secret_that_starts_with_a_dash_is_not_read_as_an_option(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found in CI: a random secret beginning with '-' made the peer exit at start."""
    from sso_harness.apps.peers.oidc_provider_peer import OidcAccount, OidcProviderPeer as Peer

    accounts = (OidcAccount("a1", {"sub": "a1", "email": "a1@example.test"}),)
    with Peer(tmp_path, accounts=accounts, client_secret="-leading-dash-secret") as peer:
        assert peer.issuer.startswith("http://127.0.0.1:")


def test_an_oauth_code_flow_can_start_at_the_providers_authorize_url(page, sso_capture, sso_proxy, oidc_peer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The start is on the OP (the entry's ``sign_on_url`` is its authorize URL), the end on the client's
    redirect URI: the runner signs in there and the trace holds the request and the code, with the OP's own
    login-form POST not mistaken for the authorization request."""
    import http.server
    import threading

    class Callback(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            self.send_response(200)
            self.send_header("content-type", "text/plain")
            self.end_headers()
            self.wfile.write(b"callback")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        callback = f"http://127.0.0.1:{server.server_address[1]}/callback"
        target = load_target(TARGETS_FILE, "authorize-url-start", env={**_env(oidc_peer), "PEER_CALLBACK": callback})
        trace = play_case(page, sso_capture, target, FlowCase("bookmark", "oauth_code", 0), proxy_url=sso_proxy.url,
                          cafile=str(sso_proxy.ca_cert_path), screenshot_dir=tmp_path)
    finally:
        server.shutdown()
        server.server_close()

    ((request_hop, authorize),) = _messages(trace, AuthorizeRequest)
    assert request_hop.hop.url.startswith(f"{target.idp.issuer}/auth?") and authorize.client_id == oidc_peer.client_id
    ((callback_hop, response),) = _messages(trace, AuthorizeResponse)
    assert callback_hop.hop.url.startswith(callback) and response.code and response.state == "bookmark-state"
    assert trace.final_hop.hop.url.startswith(callback)
