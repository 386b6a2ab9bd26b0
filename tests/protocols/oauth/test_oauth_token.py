"""Token requests (client authentication), token responses (Entra error shapes), UserInfo, discovery."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from .oauth_support import CLIENT_ID, ISSUER, NOW, TENANT_ID

from sso_harness.protocols import DecodeError
from sso_harness.protocols.jose import JwtExpectations, half_hash, sign_jwt
from sso_harness.protocols.oauth import (
    decode_discovery,
    decode_token_request,
    decode_token_response,
    decode_userinfo,
    secret_print,
)

SECRET_VALUE = "Xq~8Q~aVeryRealLookingSecretValue.1234567"
SECRET_ID = "3f2b8c1d-4e5f-4a6b-9c7d-8e9f0a1b2c3d"
TOKEN_V2 = f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/token"
CODE_BODY = {
    "grant_type": "authorization_code",
    "code": "0.AAA-code",
    "redirect_uri": "https://app.example/cb",
    "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
}


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def test_client_secret_basic() -> None:
    request = decode_token_request(urlencode(CODE_BODY), basic(CLIENT_ID, SECRET_VALUE), endpoint=TOKEN_V2)
    assert request.kind == "oauth.token_request"
    assert request.client_auth_method == "client_secret_basic"
    assert request.client_id == CLIENT_ID
    assert request.client_secret_present and request.client_secret_length == len(SECRET_VALUE)
    assert request.client_secret_fingerprint == secret_print(SECRET_VALUE).sha256_8
    assert not request.client_secret_looks_like_guid
    assert (request.grant_type, request.code, request.redirect_uri) == (
        "authorization_code",
        "0.AAA-code",
        "https://app.example/cb",
    )
    assert (request.endpoint_version, request.tenant) == ("2.0", TENANT_ID)
    assert request.errors == () and request.warnings == ()


def test_the_secret_never_stays_in_the_decoded_object() -> None:
    body = urlencode({**CODE_BODY, "client_id": CLIENT_ID, "client_secret": SECRET_VALUE})
    request = decode_token_request(body)
    assert request.client_auth_method == "client_secret_post"
    assert SECRET_VALUE not in repr(request)
    assert all(value != SECRET_VALUE for value in vars(request).values())
    assert "client_secret" not in request.extra


def test_secret_id_is_told_from_the_value_without_revealing_either() -> None:
    with_id = decode_token_request(urlencode({**CODE_BODY, "client_id": CLIENT_ID, "client_secret": SECRET_ID}))
    with_value = decode_token_request(urlencode({**CODE_BODY, "client_id": CLIENT_ID, "client_secret": SECRET_VALUE}))
    assert with_id.client_secret_fingerprint != with_value.client_secret_fingerprint
    assert with_id.client_secret_fingerprint == secret_print(SECRET_ID).sha256_8
    assert with_id.client_secret_looks_like_guid and "AADSTS7000215" in with_id.warnings[0]


def test_private_key_jwt_and_client_secret_jwt(rsa_key: rsa.RSAPrivateKey) -> None:
    assertion = sign_jwt(
        {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": TOKEN_V2, "jti": "j", "exp": 1}, rsa_key, "RS256", "x5t"
    )
    body = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "scope": "https://graph.microsoft.com/.default",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion,
    }
    request = decode_token_request(body)
    assert request.client_auth_method == "private_key_jwt" and not request.client_secret_present
    assert request.client_assertion_jwt is not None and request.client_assertion_jwt.claims["aud"] == TOKEN_V2
    hmac_assertion = sign_jwt({"iss": CLIENT_ID}, b"shared-secret-shared-secret-1234", "HS256", None)
    assert decode_token_request({**body, "client_assertion": hmac_assertion}).client_auth_method == "client_secret_jwt"
    wrong_type = decode_token_request({**body, "client_assertion_type": "jwt"})
    assert any("client_assertion_type must be" in e for e in wrong_type.errors)


def test_public_client_with_pkce() -> None:
    request = decode_token_request(urlencode({**CODE_BODY, "client_id": CLIENT_ID}))
    assert request.client_auth_method == "none" and request.client_secret_fingerprint is None
    assert request.code_verifier == CODE_BODY["code_verifier"]


@pytest.mark.parametrize(
    ("body", "headers", "problem"),
    [
        ({**CODE_BODY, "client_id": "c", "client_secret": "s"}, basic("c", "s"), "more than one way"),
        ({**CODE_BODY, "client_id": "other"}, basic("c", "s"), "differs from 'c' in the Basic credentials"),
        ({**CODE_BODY}, None, "a public client must send client_id"),
        ({"code": "x", "client_id": "c"}, None, "grant_type is missing"),
        ({"grant_type": "authorization_code", "client_id": "c", "code": ""}, None, "needs a code"),
        ({"grant_type": "refresh_token", "client_id": "c", "refresh_token": ""}, None, "needs a refresh_token"),
        ({**CODE_BODY, "client_id": "c", "code_verifier": "short"}, None, "43 to 128"),
        ({**CODE_BODY, "client_id": "c", "code_verifier": "ü" * 50}, None, "outside [A-Za-z0-9-._~]"),
        ({**CODE_BODY, "client_id": "c"}, {"authorization": "Basic !!!"}, "not base64"),
        (
            {**CODE_BODY, "client_id": "c"},
            {"authorization": "Basic " + base64.b64encode(b"nocolon").decode()},
            "no ':'",
        ),
        ({**CODE_BODY, "client_id": "c", "client_assertion_type": "x"}, None, "without a client_assertion"),
        (
            {
                **CODE_BODY,
                "client_id": "c",
                "client_assertion": "garbage",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            },
            None,
            "cannot be decoded",
        ),
    ],
)
def test_token_request_errors(body: dict[str, str], headers: dict[str, str] | None, problem: str) -> None:
    request = decode_token_request(urlencode(body), headers)
    assert any(problem in e for e in request.errors), request.errors


def test_password_grant_is_warned_and_the_password_is_not_kept() -> None:
    request = decode_token_request({"grant_type": "password", "client_id": "c", "username": "u", "password": "hunter2"})
    assert any("RFC 9700" in w for w in request.warnings)
    assert request.extra == {"username": "u"}


def test_headers_as_pairs_and_basic_with_urlencoded_characters() -> None:
    request = decode_token_request(urlencode(CODE_BODY), [("AUTHORIZATION", basic("my app", "a:b+c")["Authorization"])])
    assert request.client_id == "my app"
    assert request.client_secret_fingerprint == secret_print("a:b+c").sha256_8


@pytest.mark.parametrize("body", ["", "a=b", "{}", b"\xff\xfe"])
def test_not_a_token_request(body: str | bytes) -> None:
    with pytest.raises(DecodeError):
        decode_token_request(body)


# --- token responses ----------------------------------------------------------------

ENTRA_DOC_ERROR = {  # the shape documented in aadsts.md §1
    "error": "invalid_scope",
    "error_description": "AADSTS70011: The provided value for the input parameter 'scope' isn't valid. The scope "
    "https://example.contoso.com/activity.read isn't valid.\r\nTrace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333\r\n"
    "Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd\r\nTimestamp: 2016-01-09 02:02:12Z",
    "error_codes": [70011],
    "timestamp": "2016-01-09 02:02:12Z",
    "trace_id": "0000aaaa-11bb-cccc-dd33-eeeeee333333",
    "correlation_id": "aaaa0000-bb11-2222-33cc-444444dddddd",
    "error_uri": "https://login.microsoftonline.com/error?code=70011",
}


def test_entra_token_error_shape() -> None:
    response = decode_token_response(json.dumps(ENTRA_DOC_ERROR), status=400)
    assert response.kind == "oauth.token_response" and response.is_error
    assert response.error == "invalid_scope" and response.error_codes == (70011,)
    assert (response.trace_id, response.correlation_id, response.timestamp) == (
        "0000aaaa-11bb-cccc-dd33-eeeeee333333",
        "aaaa0000-bb11-2222-33cc-444444dddddd",
        "2016-01-09 02:02:12Z",
    )
    assert response.error_uri == "https://login.microsoftonline.com/error?code=70011"
    assert response.catalogue is not None and response.catalogue.code == "invalid_scope"
    assert [e.code for e in response.explanations] == [70011]
    assert response.errors == () and not response.refresh_token_present


def test_entra_error_without_crlf_and_with_escaped_slashes() -> None:
    body = (
        '{"error":"invalid_request","error_description":"AADSTS900144: The request body must contain the '
        "following parameter: 'grant_type'.Trace ID: 3ce49108-0000-4000-8000-000000000001\\r\\nCorrelation ID: "
        'aeccb1c7-0000-4000-8000-000000000002\\r\\nTimestamp: 2022-12-18 13:58:47Z","error_codes":[900144],'
        '"error_uri":"https:\\/\\/login.microsoftonline.com\\/error?code=900144"}'
    )
    response = decode_token_response(body)
    assert response.trace_id == "3ce49108-0000-4000-8000-000000000001"  # recovered from the description
    assert response.correlation_id == "aeccb1c7-0000-4000-8000-000000000002"
    assert response.timestamp == "2022-12-18 13:58:47Z"
    assert response.error_uri == "https://login.microsoftonline.com/error?code=900144"
    assert [e.title for e in response.explanations] == ["MissingRequiredParameter"]


def test_invalid_client_secret_error_is_explained() -> None:
    body = {
        "error": "invalid_client",
        "error_description": "AADSTS7000215: Invalid client secret provided.",
        "error_codes": [7000215],
    }
    response = decode_token_response(body, status=401)
    assert response.catalogue is not None and response.catalogue.endpoint == "token"
    assert "ID" in response.explanations[0].meaning and response.errors == ()


def test_error_with_http_200_is_flagged() -> None:
    assert any("HTTP 200" in e for e in decode_token_response({"error": "invalid_grant"}, status=200).errors)


def test_success_response_with_verified_id_token(make_token: Callable[..., str], jwks: dict[str, Any]) -> None:
    access_token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJ2ZXIiOiIxLjAifQ.sig"
    id_token = make_token(at_hash=half_hash(access_token, "RS256"))
    body = {
        "token_type": "Bearer",
        "scope": "openid profile",
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "access_token": access_token,
        "refresh_token": "0.ARo-refresh",
        "id_token": id_token,
    }
    expected = JwtExpectations(issuer=ISSUER, client_id=CLIENT_ID, nonce="n-0S6_WzA2Mj")
    response = decode_token_response(
        json.dumps(body),
        status=200,
        headers={"Cache-Control": "no-store, no-cache"},
        jwks=jwks,
        expected=expected,
        now=NOW,
    )
    assert response.errors == () and response.warnings == ()
    assert response.refresh_token_present and response.scope == ("openid", "profile")
    assert (response.expires_in, response.ext_expires_in, response.token_type) == (3599, 3599, "Bearer")
    verdict = response.id_token_verdict
    assert verdict is not None and verdict.trusted and "at_hash" in verdict.checked
    assert response.access_token_jwt is not None and response.access_token_jwt.claims == {"ver": "1.0"}


def test_id_token_problems_surface_in_errors(make_token: Callable[..., str], jwks: dict[str, Any]) -> None:
    body = {"token_type": "Bearer", "access_token": "opaque", "id_token": make_token(nonce="other")}
    response = decode_token_response(body, jwks=jwks, expected=JwtExpectations(nonce="n-0S6_WzA2Mj"), now=NOW)
    assert response.id_token_verdict is not None and not response.id_token_verdict.trusted
    assert "id_token: nonce is 'other' but the authorization request sent 'n-0S6_WzA2Mj'" in response.errors


def test_entra_v1_access_token_is_recognised() -> None:
    claims = {"ver": "1.0", "iss": f"https://sts.windows.net/{TENANT_ID}/", "appid": "c", "scp": "User.Read"}
    access = sign_jwt(claims, b"k" * 32, "HS256", None)
    response = decode_token_response({"token_type": "Bearer", "access_token": access, "expires_in": "3599"})
    assert response.access_token_entra is not None and response.access_token_entra.version == "1.0"
    assert response.expires_in == 3599 and any("Entra v1.0 sends strings" in w for w in response.warnings)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"access_token": "a"}, "token_type is missing"),
        ({"access_token": "a", "token_type": "Bearer", "expires_in": "soon"}, "expires_in is not a number"),
        ({"refresh_token": "r", "token_type": "Bearer"}, "access_token is missing"),
        ({"access_token": "a", "token_type": "Bearer", "id_token": "nope"}, "id_token cannot be decoded"),
        ({"access_token": 5, "token_type": "Bearer"}, "access_token must be a string"),
    ],
)
def test_token_response_errors(body: dict[str, Any], problem: str) -> None:
    assert any(problem in e for e in decode_token_response(body).errors)


def test_token_response_warnings() -> None:
    response = decode_token_response(
        {"access_token": "a", "token_type": "mac"}, status=201, headers={"Cache-Control": "max-age=60"}
    )
    assert len(response.warnings) == 3


@pytest.mark.parametrize("body", ["", "[]", "{}", '{"token_type":"Bearer"}', "not json", '{"a":1,"a":2}'])
def test_not_a_token_response(body: str) -> None:
    with pytest.raises(DecodeError):
        decode_token_response(body)


# --- UserInfo ----------------------------------------------------------------------


def test_userinfo_json_and_sub_check() -> None:
    info = decode_userinfo('{"sub": "alice", "email": "a@x"}', expected_sub="alice")
    assert info.kind == "oidc.userinfo" and info.sub == "alice" and info.errors == ()
    assert "must not be used" in decode_userinfo({"sub": "mallory"}, expected_sub="alice").errors[0]
    assert "sub is missing" in decode_userinfo({"email": "a@x"}).errors[0]


def test_signed_userinfo(make_token: Callable[..., str]) -> None:
    info = decode_userinfo(make_token().encode())
    assert info.jwt is not None and info.sub == "alice-pairwise-sub"


def test_userinfo_error_body_raises() -> None:
    with pytest.raises(DecodeError):
        decode_userinfo('{"error": "invalid_token"}')


# --- discovery ----------------------------------------------------------------------

V2_TID = f"https://login.microsoftonline.com/{TENANT_ID}/v2.0"
ENTRA_V2_DISCOVERY = {  # shape from entra.md §2, tenant anonymised
    "token_endpoint": f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/token",
    "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    "jwks_uri": f"https://login.microsoftonline.com/{TENANT_ID}/discovery/v2.0/keys",
    "response_modes_supported": ["query", "fragment", "form_post"],
    "subject_types_supported": ["pairwise"],
    "id_token_signing_alg_values_supported": ["RS256"],
    "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
    "scopes_supported": ["openid", "profile", "email", "offline_access"],
    "issuer": V2_TID,
    "authorization_endpoint": f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/authorize",
    "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
    "end_session_endpoint": f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/logout",
}


def test_discovery_issuer_matches_its_url() -> None:
    doc = decode_discovery(json.dumps(ENTRA_V2_DISCOVERY), fetched_from=V2_TID + "/.well-known/openid-configuration")
    assert doc.kind == "oidc.discovery" and doc.issuer_matches is True
    assert doc.errors == () and doc.warnings == ()
    assert doc.jwks_uri == ENTRA_V2_DISCOVERY["jwks_uri"]
    assert doc.id_token_signing_alg_values_supported == ("RS256",)


def test_discovery_issuer_mismatch_is_an_error() -> None:
    doc = decode_discovery(
        {**ENTRA_V2_DISCOVERY, "issuer": "https://evil.example"},
        fetched_from=V2_TID + "/.well-known/openid-configuration",
    )
    assert doc.issuer_matches is False
    assert any("OIDC Discovery §4.3" in e for e in doc.errors)


def test_rfc8414_location_is_accepted() -> None:
    doc = decode_discovery(
        {**ENTRA_V2_DISCOVERY, "issuer": "https://idp.example/tenant1"},
        fetched_from="https://idp.example/.well-known/openid-configuration/tenant1",
    )
    assert doc.issuer_matches is True


def test_entra_template_and_v1_issuers_are_explained() -> None:
    template = decode_discovery(
        {**ENTRA_V2_DISCOVERY, "issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"},
        fetched_from="https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
    )
    assert template.issuer_matches is False and template.errors == ()
    assert "multi-tenant template" in template.warnings[0]
    v1 = decode_discovery(
        {**ENTRA_V2_DISCOVERY, "issuer": f"https://sts.windows.net/{TENANT_ID}/"},
        fetched_from=f"https://login.microsoftonline.com/{TENANT_ID}/.well-known/openid-configuration",
    )
    assert v1.errors == () and "v1.0 document" in v1.warnings[0]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"jwks_uri": None}, "jwks_uri is missing"),
        ({"issuer": "http://idp.example"}, "must be an https URL"),
        ({"issuer": "https://idp.example/?x=1"}, "query or fragment"),
        ({"token_endpoint": None}, "token_endpoint is missing"),
        ({"scopes_supported": "openid"}, "must be an array of strings"),
        ({"issuer": 7}, "issuer must be a string"),
    ],
)
def test_discovery_errors(change: dict[str, Any], problem: str) -> None:
    doc = decode_discovery({k: v for k, v in {**ENTRA_V2_DISCOVERY, **change}.items() if v is not None})
    assert any(problem in e for e in doc.errors), doc.errors


def test_discovery_warnings() -> None:
    doc = decode_discovery({**ENTRA_V2_DISCOVERY, "id_token_signing_alg_values_supported": ["none", "ES256"]})
    assert len(doc.warnings) == 2
