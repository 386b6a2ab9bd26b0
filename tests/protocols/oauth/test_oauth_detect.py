"""decode_oauth_any: every artefact is recognised; anything else is a typed DecodeError."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from .oauth_support import CLIENT_ID, ISSUER, NOW

from sso_harness.protocols import DecodeError
from sso_harness.protocols.jose import Jwks, JwtExpectations, JwtVerdict
from sso_harness.protocols.oauth import (
    AuthorizeRequest,
    AuthorizeResponse,
    Discovery,
    TokenRequest,
    TokenResponse,
    UserInfo,
    decode_oauth_any,
)

DISCOVERY = {
    "issuer": ISSUER,
    "authorization_endpoint": ISSUER + "a",
    "token_endpoint": ISSUER + "t",
    "jwks_uri": ISSUER + "k",
    "response_types_supported": ["code"],
    "subject_types_supported": ["public"],
    "id_token_signing_alg_values_supported": ["RS256"],
}


@pytest.mark.parametrize(
    ("data", "kind", "cls"),
    [
        (
            "https://idp.example/authorize?client_id=c&response_type=code&redirect_uri=https%3A%2F%2Fa%2Fcb",
            "oauth.authorize_request",
            AuthorizeRequest,
        ),
        ("https://a.example/cb?code=c&state=s", "oauth.authorize_response", AuthorizeResponse),
        ("https://a.example/cb#id_token=x.y.z&state=s", "oauth.authorize_response", AuthorizeResponse),
        ("#access_token=a&state=s", "oauth.authorize_response", AuthorizeResponse),
        ("grant_type=authorization_code&code=c&client_id=x", "oauth.token_request", TokenRequest),
        ("client_id=c&response_type=code", "oauth.authorize_request", AuthorizeRequest),
        ("code=c&state=s", "oauth.authorize_response", AuthorizeResponse),
        ('{"access_token":"a","token_type":"Bearer"}', "oauth.token_response", TokenResponse),
        ('{"error":"invalid_grant","error_description":"AADSTS70008: expired"}', "oauth.token_response", TokenResponse),
        (json.dumps(DISCOVERY), "oidc.discovery", Discovery),
        ('{"keys":[]}', "jose.jwks", Jwks),
        ('{"sub":"alice","name":"Alice"}', "oidc.userinfo", UserInfo),
    ],
)
def test_each_kind_is_detected(data: str, kind: str, cls: type) -> None:
    for form in (data, data.encode()):
        message = decode_oauth_any(form)
        assert isinstance(message, cls) and message.kind == kind


def test_jwt_is_verified_when_a_jwks_is_given(make_token: Callable[..., str], jwks: dict[str, Any]) -> None:
    expected = JwtExpectations(issuer=ISSUER, client_id=CLIENT_ID)
    verdict = decode_oauth_any(make_token(), jwks=jwks, expected=expected, now=NOW)
    assert isinstance(verdict, JwtVerdict) and verdict.trusted and verdict.kid == "rsa-1"
    unverified = decode_oauth_any("Bearer " + make_token())
    assert isinstance(unverified, JwtVerdict) and not unverified.trusted


def test_token_response_id_token_is_verified_through_detection(
    make_token: Callable[..., str], jwks: dict[str, Any]
) -> None:
    body = json.dumps({"access_token": "a", "token_type": "Bearer", "id_token": make_token(aud="someone-else")})
    response = decode_oauth_any(body, jwks=jwks, expected=JwtExpectations(client_id=CLIENT_ID), now=NOW)
    assert isinstance(response, TokenResponse)
    assert response.id_token_verdict is not None and not response.id_token_verdict.trusted


@pytest.mark.parametrize(
    "data",
    [
        "",
        "   ",
        "hello",
        "https://example.com/page?x=1",
        "x=1&y=2",
        '{"hello":"world"}',
        "[1,2]",
        "{",
        "<samlp:Response/>",
        b"\x00\x01\x02",
        "eyJhbGciOiJSUzI1NiJ9.e30",
    ],
)
def test_everything_else_is_a_decode_error(data: str | bytes) -> None:
    with pytest.raises(DecodeError):
        decode_oauth_any(data)


def test_unrecognised_input_says_so() -> None:
    with pytest.raises(DecodeError, match="not an OAuth/OIDC message"):
        decode_oauth_any("just some words")
