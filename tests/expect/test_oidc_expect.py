"""OAuth 2.0 / OIDC expectations on a hand-built code flow: they say expected, seen and the hop."""

from __future__ import annotations

import pytest

from .oidc_support import CLIENT_ID, ISSUER, JWKS, NONCE, id_token, oidc_trace

from sso_harness.expect import ExpectationFailed, expect


def test_a_good_flow_meets_the_oidc_expectations() -> None:
    e = expect(oidc_trace())
    e.id_token.is_trusted()
    e.id_token.claim("iss") == ISSUER
    e.id_token.claim("aud").has(CLIENT_ID)
    e.id_token.claim("amr").has("pwd", "mfa")
    e.id_token.claim("email_verified").has("true")
    e.id_token.claim("nonce").has(NONCE)
    e.id_token.claim("acr").has("urn:example:loa:2")
    e.id_token.claim("azp").has(CLIENT_ID)
    e.access_token.claim("scp").has("read")
    e.userinfo.claim("email").has("carol@example.test")
    e.token_response.scopes.contains("email")
    e.token_response.refresh_token_issued()
    e.oauth_error.none()


def test_the_providers_own_sign_in_post_to_authorize_is_no_problem() -> None:
    trace = oidc_trace()
    (exchange,) = [x for x in trace.exchanges if x.kind == "oauth.code"]
    assert exchange.problems == ()


def test_a_claim_that_differs_names_expected_seen_and_the_hop() -> None:
    with pytest.raises(ExpectationFailed) as failed:
        expect(oidc_trace()).id_token.claim("email").has("dave@example.test")
    text = str(failed.value)
    assert "ID token claim email (at hop #4" in text
    assert "expected: 'dave@example.test'" in text and "seen:     'carol@example.test'" in text


def test_a_list_claim_must_hold_every_value() -> None:
    with pytest.raises(ExpectationFailed) as failed:
        expect(oidc_trace()).id_token.claim("amr").has("pwd", "hwk")
    assert "missing: ['hwk']" in str(failed.value)


def test_without_the_providers_keys_the_id_token_is_not_trusted() -> None:
    with pytest.raises(ExpectationFailed) as failed:
        expect(oidc_trace(jwks=None)).id_token.is_trusted()
    assert "ID token trust" in str(failed.value) and "not trusted" in str(failed.value)


def test_a_token_signed_by_another_key_is_not_trusted() -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from sso_harness.protocols.jose import jwks_from_keys

    other = jwks_from_keys([(rsa.generate_private_key(public_exponent=65537, key_size=2048), "k1", None)])
    assert other != JWKS
    with pytest.raises(ExpectationFailed):
        expect(oidc_trace(jwks=other)).id_token.is_trusted()


def test_no_refresh_token_and_scopes_not_granted() -> None:
    trace = oidc_trace(token_body={"token_type": "Bearer", "access_token": "opaque", "id_token": id_token(), "scope": "openid"})
    with pytest.raises(ExpectationFailed) as failed:
        expect(trace).token_response.refresh_token_issued()
    assert "expected: 'issued'" in str(failed.value) and "seen:     'not issued'" in str(failed.value)
    expect(trace).token_response.refresh_token_issued(False)
    with pytest.raises(ExpectationFailed):
        expect(trace).token_response.scopes.contains("email")
    with pytest.raises(ExpectationFailed) as opaque:
        expect(trace).access_token.claim("scp")
    assert "an opaque token" in str(opaque.value)


def test_an_error_response_is_read_with_its_aadsts_code() -> None:
    trace = oidc_trace(callback_query="error=access_denied&error_description=AADSTS50105%3A+not+assigned&state=st-42")
    e = expect(trace)
    e.oauth_error.error == "access_denied"
    e.oauth_error.error_description.contains("AADSTS50105")
    e.oauth_error.error_codes.contains(50105)
    with pytest.raises(ExpectationFailed) as failed:
        e.oauth_error.none()
    assert "OAuth error (at hop #3" in str(failed.value)
    with pytest.raises(ExpectationFailed):
        e.id_token


def test_a_token_error_is_an_oauth_error_too() -> None:
    trace = oidc_trace(token_body={"error": "invalid_grant", "error_description": "code expired"})
    expect(trace).oauth_error.error == "invalid_grant"
