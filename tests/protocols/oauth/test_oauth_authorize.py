"""Authorization requests and responses: parameters, response modes, Entra endpoints and errors."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from .oauth_support import CLIENT_ID, TENANT_ID

from sso_harness.protocols import DecodeError
from sso_harness.protocols.oauth import (
    decode_authorize_request,
    decode_authorize_response,
    default_response_mode,
    entra_endpoint,
)

CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
V2 = f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/authorize"


def authorize_url(base: str = V2, **params: str) -> str:
    defaults = {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": "https://app.example/cb",
        "scope": "openid profile offline_access",
        "state": "st-1",
        "nonce": "n-1",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    defaults.update(params)
    return f"{base}?{urlencode({k: v for k, v in defaults.items() if v is not None})}"


def test_all_parameters_of_an_entra_v2_request() -> None:
    url = authorize_url(
        prompt="select_account",
        login_hint="alice@contoso.com",
        domain_hint="contoso.com",
        response_mode="form_post",
        max_age="3600",
        claims='{"id_token":{"acrs":{"essential":true}}}',
        resource="https://graph.microsoft.com",
        custom="x",
    )
    request = decode_authorize_request(url)
    assert request.kind == "oauth.authorize_request"
    assert request.endpoint == V2 and request.method == "GET"
    assert (request.endpoint_version, request.tenant) == ("2.0", TENANT_ID)
    assert request.scope == ("openid", "profile", "offline_access")
    assert (request.client_id, request.redirect_uri, request.state, request.nonce) == (
        CLIENT_ID,
        "https://app.example/cb",
        "st-1",
        "n-1",
    )
    assert (request.code_challenge, request.code_challenge_method) == (CHALLENGE, "S256")
    assert (request.prompt, request.login_hint, request.domain_hint) == (
        "select_account",
        "alice@contoso.com",
        "contoso.com",
    )
    assert request.response_mode == "form_post" and request.response_mode_explicit
    assert request.max_age == 3600
    assert request.claims == {"id_token": {"acrs": {"essential": True}}}
    assert request.extra == {"custom": "x"}
    assert request.errors == ()
    assert request.warnings == (
        "the Entra v2.0 endpoint takes scopes, not resource: ask for '<resource>/.default' in scope",
    )


@pytest.mark.parametrize(
    ("url", "version", "tenant", "kind"),
    [
        ("https://login.microsoftonline.com/common/oauth2/authorize", "1.0", "common", "common"),
        ("https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token", "2.0", "contoso.com", "domain"),
        (f"https://login.windows.net/{TENANT_ID}/oauth2/authorize", "1.0", TENANT_ID, "guid"),
        (
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
            "2.0",
            "organizations",
            "organizations",
        ),
    ],
)
def test_entra_endpoints(url: str, version: str, tenant: str, kind: str) -> None:
    endpoint = entra_endpoint(url)
    assert endpoint is not None
    assert (endpoint.version, endpoint.tenant, endpoint.tenant_kind) == (version, tenant, kind)


@pytest.mark.parametrize(
    "url",
    [
        "https://idp.example/oauth2/authorize",
        "https://login.microsoftonline.com/x/saml2",
        "https://evil.example/login.microsoftonline.com/t/oauth2/authorize",
        "http://[bad",
    ],
)
def test_non_entra_endpoints(url: str) -> None:
    assert entra_endpoint(url) is None


def test_v1_request_records_its_version_and_keeps_resource() -> None:
    url = authorize_url(
        "https://login.microsoftonline.com/common/oauth2/authorize", resource="https://graph.windows.net"
    )
    request = decode_authorize_request(url)
    assert (request.endpoint_version, request.tenant, request.resource) == (
        "1.0",
        "common",
        "https://graph.windows.net",
    )
    assert request.warnings == ()


@pytest.mark.parametrize(
    ("response_type", "mode"),
    [
        ("code", "query"),
        ("none", "query"),
        ("token", "fragment"),
        ("id_token", "fragment"),
        ("code id_token", "fragment"),
        ("id_token token", "fragment"),
        ("code token", "fragment"),
        ("", None),
    ],
)
def test_default_response_mode_follows_multiple_response_types(response_type: str, mode: str | None) -> None:
    assert default_response_mode(tuple(response_type.split())) == mode


def test_form_post_to_the_authorize_endpoint() -> None:
    body = urlencode(
        {
            "client_id": "c",
            "response_type": "id_token",
            "redirect_uri": "https://a/cb",
            "scope": "openid",
            "nonce": "n",
            "state": "s",
        }
    )
    request = decode_authorize_request(body, endpoint=f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/authorize")
    assert request.method == "POST" and request.endpoint_version == "1.0"
    assert request.response_mode == "fragment" and not request.response_mode_explicit
    assert decode_authorize_request({"client_id": "c", "response_type": "code"}).method == "POST"


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"client_id": None}, "client_id is missing"),
        ({"response_mode": "query", "response_type": "id_token"}, "response_mode=query must not carry tokens"),
        ({"response_type": "id_token", "nonce": None}, "no nonce was sent"),
        ({"response_type": "none code"}, "'none' cannot be combined"),
        ({"code_challenge_method": "S512"}, "neither S256 nor plain"),
        ({"code_challenge": "short"}, "43 base64url characters"),
        ({"code_challenge": None}, "without a code_challenge"),
        ({"max_age": "soon"}, "max_age must be a non-negative integer"),
        ({"claims": "{not json"}, "claims is not valid JSON"),
        ({"claims": "[1]"}, "claims must be a JSON object"),
        ({"redirect_uri": "/relative"}, "not an absolute URI"),
        ({"redirect_uri": "https://a/cb#x"}, "must not contain a fragment"),
        ({"redirect_uri": None}, "redirect_uri is missing (required by OIDC Core"),
        ({"client_secret": "s3cret"}, "client_secret is in the authorization request"),
    ],
)
def test_request_errors(params: dict[str, str | None], problem: str) -> None:
    request = decode_authorize_request(authorize_url(**params))  # type: ignore[arg-type]
    assert any(problem in e for e in request.errors), request.errors


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"state": None}, "no state"),
        ({"code_challenge": None, "code_challenge_method": None}, "no PKCE code_challenge"),
        ({"code_challenge_method": "plain", "code_challenge": "a" * 43}, "plain offers no protection"),
        ({"code_challenge_method": None, "code_challenge": "a" * 43}, "assumes 'plain'"),
        ({"response_type": "id_token", "scope": "profile"}, "scope lacks 'openid'"),
        ({"response_type": "code weird"}, "unregistered values: weird"),
    ],
)
def test_request_warnings(params: dict[str, str | None], warning: str) -> None:
    request = decode_authorize_request(authorize_url(**params))  # type: ignore[arg-type]
    assert any(warning in w for w in request.warnings), request.warnings


def test_repeated_parameters_are_errors() -> None:
    request = decode_authorize_request(authorize_url() + "&state=second")
    assert request.state == "st-1"
    assert "parameter 'state' appears more than once (RFC 6749 §3.1)" in request.errors


@pytest.mark.parametrize("data", ["https://app.example/home?x=1", "a=b", "", "http://[::1"])
def test_not_an_authorization_request(data: str) -> None:
    with pytest.raises(DecodeError):
        decode_authorize_request(data)


# --- responses -------------------------------------------------------------------------


def test_query_response_with_code() -> None:
    response = decode_authorize_response("https://app.example/cb?code=0.AAA-code&state=st-1&session_state=ss-9")
    assert response.kind == "oauth.authorize_response"
    assert (response.redirect_url, response.response_mode) == ("https://app.example/cb", "query")
    assert (response.code, response.state, response.session_state) == ("0.AAA-code", "st-1", "ss-9")
    assert response.error is None and response.catalogue is None and response.errors == ()


def test_fragment_response_with_tokens() -> None:
    response = decode_authorize_response(
        "https://app.example/cb#access_token=at&token_type=Bearer&expires_in=3599&state=s&id_token=eyJhbGciOiJub25lIn0.e30."
    )
    assert response.response_mode == "fragment"
    assert (response.access_token, response.token_type, response.expires_in) == ("at", "Bearer", 3599)
    assert response.id_token_jwt is not None and response.id_token_jwt.alg == "none"


def test_form_post_response() -> None:
    response = decode_authorize_response({"code": "c1", "state": "s"}, redirect_url="https://app.example/cb")
    assert (response.response_mode, response.redirect_url, response.code) == (
        "form_post",
        "https://app.example/cb",
        "c1",
    )
    assert decode_authorize_response("code=c2&state=s").response_mode == "form_post"
    assert decode_authorize_response("#code=c3").response_mode == "fragment"


def test_tokens_in_the_query_are_an_error() -> None:
    response = decode_authorize_response("https://app.example/cb?access_token=at&state=s")
    assert any("returned in the query string" in e for e in response.errors)


ENTRA_REDIRECT_ERROR = (
    "https://app.example/cb?error=invalid_request&error_description=AADSTS50011%3a+The+redirect+URI+"
    "%27https%3a%2f%2fapp.example%2fcb%27+specified+in+the+request+does+not+match.%0d%0aTrace+ID%3a+"
    "0000aaaa-11bb-cccc-dd33-eeeeee333333%0d%0aCorrelation+ID%3a+aaaa0000-bb11-2222-33cc-444444dddddd%0d%0a"
    "Timestamp%3a+2024-05-01+10%3a00%3a00Z&error_uri=https%3a%2f%2flogin.microsoftonline.com%2ferror%3fcode%3d50011"
    "&state=st-1"
)


def test_entra_redirect_error_carries_codes_ids_and_explanations() -> None:
    response = decode_authorize_response(ENTRA_REDIRECT_ERROR)
    assert response.error == "invalid_request"
    assert response.error_description is not None and response.error_description.startswith("AADSTS50011: The redirect")
    assert response.error_codes == (50011,)
    assert response.trace_id == "0000aaaa-11bb-cccc-dd33-eeeeee333333"
    assert response.correlation_id == "aaaa0000-bb11-2222-33cc-444444dddddd"
    assert response.timestamp == "2024-05-01 10:00:00Z"
    assert response.error_uri == "https://login.microsoftonline.com/error?code=50011"
    assert response.catalogue is not None and response.catalogue.code == "invalid_request"
    assert [e.code for e in response.explanations] == [50011]
    assert response.explanations[0].title == "InvalidReplyTo"


def test_access_denied_error_and_unknown_codes() -> None:
    response = decode_authorize_response(
        "https://app.example/cb?error=access_denied&error_description=AADSTS65004%3a+User+declined+AADSTS65001&state=s"
    )
    assert response.error_codes == (65004, 65001)
    assert [e.code for e in response.explanations] == [65001]  # 65004 is not catalogued
    assert response.catalogue is not None and response.catalogue.endpoint == "authorization"


def test_both_modes_carry_parameters() -> None:
    response = decode_authorize_response("https://app.example/cb?code=q&state=a#code=f&state=b")
    assert (response.code, response.response_mode) == ("f", "fragment")
    assert any("the fragment was used" in w for w in response.warnings)


@pytest.mark.parametrize("data", ["https://app.example/cb?state=only", "state=s", "https://app.example/", ""])
def test_not_an_authorization_response(data: str) -> None:
    with pytest.raises(DecodeError):
        decode_authorize_response(data)


def test_error_together_with_a_code_is_flagged() -> None:
    response = decode_authorize_response("https://app.example/cb?code=c&error=server_error&state=s")
    assert "the response carries both an error and a grant or token" in response.errors
