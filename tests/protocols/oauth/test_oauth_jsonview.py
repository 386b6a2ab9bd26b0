"""JSON views: stable shapes pinned in golden files, and no secret ever in clear."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from .oauth_support import CLIENT_ID, ISSUER, NOW, id_token_claims

from sso_harness.protocols.jose import (
    JwtExpectations,
    decode_jwks,
    decode_jwt,
    half_hash,
    jwks_from_keys,
    sign_jwt,
    verify_jwt,
)
from sso_harness.protocols.oauth import (
    decode_authorize_request,
    decode_authorize_response,
    decode_discovery,
    decode_token_request,
    decode_token_response,
    decode_userinfo,
    secret_print,
    to_json,
)

Golden = Callable[[dict[str, Any]], None]
CODE = "0.AXoA-authorization-code-value"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CLIENT_SECRET = "Xq~8Q~aVeryRealLookingSecretValue.1234567"
ACCESS_TOKEN = "opaque-access-token-value"
REFRESH_TOKEN = "0.ARo-refresh-token-value"
COMMON_KEYS = {"kind", "claims", "claim_names", "header", "trusted", "errors", "warnings"}


@pytest.fixture(scope="module")
def signed(fixed_ed25519: ed25519.Ed25519PrivateKey) -> dict[str, Any]:
    """A deterministic EdDSA ID token bound to ACCESS_TOKEN and CODE, and its JWKS."""
    claims = id_token_claims(at_hash=half_hash(ACCESS_TOKEN, "EdDSA"), c_hash=half_hash(CODE, "EdDSA"))
    token = sign_jwt(claims, fixed_ed25519, "EdDSA", "fixed-ed")
    return {"token": token, "jwks": jwks_from_keys([(fixed_ed25519, "fixed-ed", "EdDSA")])}


def _dump(view: dict[str, Any]) -> str:
    return json.dumps(view, sort_keys=True)


def _assert_hidden(view: dict[str, Any], *secrets: str) -> None:
    text = _dump(view)
    for secret in secrets:
        assert secret not in text, f"secret {secret[:6]}… appears in the view"


def test_view_authorize_request(golden: Golden) -> None:
    url = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?" + urlencode(
        {
            "client_id": CLIENT_ID,
            "response_type": "code",
            "redirect_uri": "https://app.example/cb",
            "scope": "openid",
            "state": "st-1",
            "nonce": "n-1",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
            "client_secret": CLIENT_SECRET,
        }
    )
    view = to_json(decode_authorize_request(url))
    _assert_hidden(view, CLIENT_SECRET)
    golden(view)


def test_view_authorize_response_entra_error(golden: Golden) -> None:
    url = (
        "https://app.example/cb?error=invalid_request&error_description=AADSTS50011%3a+The+redirect+URI+does+not+"
        "match.%0d%0aTrace+ID%3a+0000aaaa-11bb-cccc-dd33-eeeeee333333%0d%0aCorrelation+ID%3a+"
        "aaaa0000-bb11-2222-33cc-444444dddddd%0d%0aTimestamp%3a+2024-05-01+10%3a00%3a00Z&state=st-1"
    )
    golden(to_json(decode_authorize_response(url)))


def test_view_authorize_response_hybrid(golden: Golden, signed: dict[str, Any]) -> None:
    url = f"https://app.example/cb#code={CODE}&id_token={signed['token']}&state=st-1&session_state=ss"
    view = to_json(decode_authorize_response(url))
    _assert_hidden(view, CODE, signed["token"].split(".")[1], signed["token"].split(".")[2])
    assert view["claims"] is None and "nonce" in view["claim_names"]
    golden(view)


def test_view_token_request(golden: Golden) -> None:
    body = urlencode(
        {
            "grant_type": "authorization_code",
            "code": CODE,
            "redirect_uri": "https://app.example/cb",
            "code_verifier": VERIFIER,
        }
    )
    auth = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    view = to_json(decode_token_request(body, {"Authorization": auth}))
    _assert_hidden(view, CODE, VERIFIER, CLIENT_SECRET, auth[6:])
    assert view["client_secret"] == {
        "present": True,
        "sha256_8": secret_print(CLIENT_SECRET).sha256_8,
        "length": len(CLIENT_SECRET),
        "looks_like_guid": False,
    }
    golden(view)


def test_view_token_response(golden: Golden, signed: dict[str, Any]) -> None:
    body = {
        "token_type": "Bearer",
        "expires_in": 3599,
        "access_token": ACCESS_TOKEN,
        "refresh_token": REFRESH_TOKEN,
        "id_token": signed["token"],
        "scope": "openid",
    }
    expected = JwtExpectations(issuer=ISSUER, client_id=CLIENT_ID, nonce="n-0S6_WzA2Mj", code=CODE)
    response = decode_token_response(body, jwks=signed["jwks"], expected=expected, now=NOW)
    view = to_json(response)
    _assert_hidden(view, ACCESS_TOKEN, REFRESH_TOKEN, signed["token"].split(".")[1], signed["token"].split(".")[2])
    assert view["trusted"] is True and view["claims"] is None
    assert view["refresh_token"]["present"] is True
    golden(view)


def test_view_token_response_reveal_claims(golden: Golden, signed: dict[str, Any]) -> None:
    response = decode_token_response(
        {"token_type": "Bearer", "access_token": ACCESS_TOKEN, "id_token": signed["token"]}
    )
    view = to_json(response, reveal_claims=True)
    assert view["claims"]["sub"] == "alice-pairwise-sub"
    _assert_hidden(view, ACCESS_TOKEN, signed["token"].split(".")[2])  # claims shown, signature never
    golden(view)


def test_view_entra_token_error(golden: Golden) -> None:
    body = {
        "error": "invalid_client",
        "error_description": "AADSTS7000215: Invalid client secret provided.\r\n"
        "Trace ID: 3ce49108-0000-4000-8000-000000000001\r\nCorrelation ID: aeccb1c7-0000-4000-8000-000000000002\r\n"
        "Timestamp: 2024-05-01 10:00:00Z",
        "error_codes": [7000215],
        "timestamp": "2024-05-01 10:00:00Z",
        "trace_id": "3ce49108-0000-4000-8000-000000000001",
        "correlation_id": "aeccb1c7-0000-4000-8000-000000000002",
        "error_uri": "https://login.microsoftonline.com/error?code=7000215",
    }
    golden(to_json(decode_token_response(body, status=401)))


def test_view_jwt_verdict(golden: Golden, signed: dict[str, Any]) -> None:
    verdict = verify_jwt(
        signed["token"], signed["jwks"], expected=JwtExpectations(issuer=ISSUER, client_id="other"), now=NOW
    )
    view = to_json(verdict)
    assert view["trusted"] is False and view["signature_valid"] is True
    assert view["errors"] == [f"aud is '{CLIENT_ID}' but the client is 'other'"]
    _assert_hidden(view, signed["token"].split(".")[1], signed["token"].split(".")[2])
    golden(view)


def test_view_unverified_jwt(golden: Golden, signed: dict[str, Any]) -> None:
    view = to_json(decode_jwt(signed["token"]))
    assert view["trusted"] is False
    golden(view)


def test_view_userinfo_discovery_jwks(golden: Golden, signed: dict[str, Any]) -> None:
    userinfo = to_json(decode_userinfo({"sub": "alice", "email": "alice@example.com"}))
    assert userinfo["claims"] is None and userinfo["claim_names"] == ["email", "sub"]
    discovery = to_json(
        decode_discovery(
            {
                "issuer": ISSUER,
                "authorization_endpoint": ISSUER + "authorize",
                "token_endpoint": ISSUER + "token",
                "jwks_uri": ISSUER + "keys",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256", "EdDSA"],
            },
            fetched_from=ISSUER + ".well-known/openid-configuration",
        )
    )
    jwks = to_json(decode_jwks(signed["jwks"]))
    golden({"userinfo": userinfo, "discovery": discovery, "jwks": jwks})


def test_every_view_has_the_common_keys_and_is_json(signed: dict[str, Any]) -> None:
    messages: list[Any] = [
        decode_authorize_request("https://idp.example/authorize?client_id=c&response_type=code"),
        decode_authorize_response("https://app.example/cb?code=c&state=s"),
        decode_token_request("grant_type=client_credentials&client_id=c&client_secret=s"),
        decode_token_response({"access_token": "a", "token_type": "Bearer"}),
        decode_userinfo({"sub": "s"}),
        decode_jwks(signed["jwks"]),
        decode_jwt(signed["token"]),
        verify_jwt(signed["token"], None),
    ]
    for message in messages:
        view = to_json(message)
        assert set(view) >= COMMON_KEYS, type(message).__name__
        assert view["kind"] == message.kind
        json.dumps(view)


def test_unknown_objects_have_no_view() -> None:
    with pytest.raises(TypeError):
        to_json(object())  # type: ignore[arg-type]
