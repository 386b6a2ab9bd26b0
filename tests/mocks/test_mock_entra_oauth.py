"""The Entra-like IdP's OAuth 2.0 / OIDC v2 side: discovery, JWKS, code flow, token errors."""

from __future__ import annotations

import base64
import datetime as dt
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from sso_harness.protocols.jose import JwtExpectations, decode_jwks, decode_jwt, verify_jwt
from sso_harness.mocks.entra.oauth_token import pkce_s256
from sso_harness.mocks.fleet import MockFleet
from sso_harness.mocks.base.faults import ResponseFaults
from sso_harness.mocks.scenario import IDS
from .mock_walker import Page, Walker, entra_sign_in

SIMON = ("b.simon@contoso.com", "Pa55w.rd-simon")
IMAP = "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/POP.AccessAsUser.All offline_access"


def _authorize(w: Walker, f: MockFleet, segment: str | None = None, **params: str) -> Page:
    query = {
        "client_id": IDS.jira_client,
        "response_type": "code",
        "redirect_uri": f.jira.redirect_url,
        "scope": "openid profile " + IMAP,
        "state": "st-1",
        "nonce": "n-1",
        **params,
    }
    query = {k: v for k, v in query.items() if v != ""}
    return w.get(f.entra.authorize_url(segment or f.tenant_id) + "?" + urlencode(query))


def _callback(page: Page) -> dict[str, str]:
    assert page.status == 302, page.text[:500]
    return {k: v[0] for k, v in parse_qs(urlsplit(page.location).query).items()}  # type: ignore[arg-type]


def _code(w: Walker, f: MockFleet, user: tuple[str, str] = SIMON, **params: str) -> dict[str, str]:
    return _callback(entra_sign_in(w, _authorize(w, f, **params), *user))


def _token(w: Walker, f: MockFleet, segment: str | None = None, headers: dict[str, str] | None = None, **form: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    page = w.send(f.entra.token_url(segment or f.tenant_id), {k: v for k, v in form.items() if v is not None}, headers)
    return page.status, json.loads(page.text)


def _redeem(w: Walker, f: MockFleet, code: str, **overrides: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": f.jira.redirect_url,
        "client_id": IDS.jira_client,
        "client_secret": IDS.jira_secret_value,
        **overrides,
    }
    return _token(w, f, **form)


def _assert_entra_error(status: int, body: dict, code: int, error: str, http: int = 400) -> None:  # type: ignore[type-arg]
    assert status == http, body
    assert body["error"] == error and body["error_codes"] == [code]
    assert body["error_description"].startswith(f"AADSTS{code}: ")
    assert "\r\nTrace ID: " in body["error_description"] and "\r\nCorrelation ID: " in body["error_description"]
    assert body["trace_id"] and body["correlation_id"] and body["error_uri"].endswith(f"/error?code={code}")
    assert dt.datetime.strptime(body["timestamp"], "%Y-%m-%d %H:%M:%SZ")


def test_discovery_has_entras_v2_shape(clean: MockFleet, walker: Walker) -> None:
    tid = clean.tenant_id
    doc = json.loads(walker.get(clean.entra.discovery_url(tid)).text)
    assert doc["issuer"] == f"{clean.entra.base_url}/{tid}/v2.0"
    assert doc["authorization_endpoint"] == clean.entra.authorize_url(tid)
    assert doc["token_endpoint"] == clean.entra.token_url(tid) and doc["jwks_uri"] == clean.entra.jwks_url(tid)
    assert doc["subject_types_supported"] == ["pairwise"] and doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"tenant_region_scope", "cloud_instance_name", "msgraph_host", "end_session_endpoint"} <= set(doc)
    common = json.loads(walker.get(clean.entra.discovery_url("common")).text)
    assert common["issuer"] == f"{clean.entra.base_url}/{{tenantid}}/v2.0"
    assert common["token_endpoint"] == clean.entra.token_url("common")
    by_domain = json.loads(walker.get(clean.entra.discovery_url("contoso.com")).text)
    assert by_domain["issuer"] == doc["issuer"]
    missing = walker.get(clean.entra.discovery_url("nowhere.example"))
    assert missing.status == 400 and json.loads(missing.text)["error_codes"] == [90002]


def test_jwks_keys_carry_kid_x5t_x5c_and_issuer(clean: MockFleet, walker: Walker) -> None:
    page = walker.get(clean.entra.jwks_url(clean.tenant_id))
    assert page.headers["cache-control"] == "max-age=86400, private"
    keys = json.loads(page.text)["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kty"] == "RSA" and key["use"] == "sig" and key["kid"] == key["x5t"]
    assert key["issuer"] == f"{clean.entra.base_url}/{clean.tenant_id}/v2.0" and len(key["x5c"]) == 1
    assert decode_jwks(page.text.encode()).keys[0].usable


def test_the_code_flow_issues_tokens_that_verify_against_the_jwks(clean: MockFleet, walker: Walker) -> None:
    params = _code(walker, clean)
    assert params["state"] == "st-1" and params["code"] and params["session_state"]
    status, body = _redeem(walker, clean, params["code"])
    assert status == 200, body
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3599 and body["refresh_token"]
    assert body["scope"] == "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/POP.AccessAsUser.All openid profile"
    jwks = decode_jwks(walker.get(clean.entra.jwks_url(clean.tenant_id)).text.encode())
    issuer = f"{clean.entra.base_url}/{clean.tenant_id}/v2.0"
    verdict = verify_jwt(body["id_token"], jwks, expected=JwtExpectations(issuer=issuer, client_id=IDS.jira_client, nonce="n-1"))
    assert verdict.trusted, verdict.problems
    claims = decode_jwt(body["id_token"]).claims
    assert claims["ver"] == "2.0" and claims["tid"] == clean.tenant_id and claims["preferred_username"] == "b.simon@contoso.com"
    assert claims["signin_state"] == ["kmsi"]
    access = decode_jwt(body["access_token"])
    assert access.claims["aud"] == "https://outlook.office.com" and access.claims["ver"] == "1.0"
    assert access.claims["iss"] == f"https://sts.windows.net/{clean.tenant_id}/"
    assert access.claims["scp"] == "IMAP.AccessAsUser.All POP.AccessAsUser.All" and access.header["x5t"] == access.header["kid"]


def test_a_secret_id_instead_of_its_value_is_aadsts7000215(clean: MockFleet, walker: Walker) -> None:
    params = _code(walker, clean)
    status, body = _redeem(walker, clean, params["code"], client_secret=IDS.jira_secret_id)
    _assert_entra_error(status, body, 7000215, "invalid_client", 401)
    assert "not the client secret ID" in body["error_description"]
    # Client authentication comes first: even a made-up code gets 7000215.
    status, body = _redeem(walker, clean, "no-such-code", client_secret=IDS.jira_secret_id)
    assert body["error_codes"] == [7000215]


def test_client_secret_basic_is_accepted(clean: MockFleet, walker: Walker) -> None:
    params = _code(walker, clean)
    basic = base64.b64encode(f"{IDS.jira_client}:{IDS.jira_secret_value}".encode()).decode()
    status, body = _redeem(walker, clean, params["code"], client_id=None, client_secret=None)  # type: ignore[arg-type]
    assert body["error_codes"] == [90014]  # no client_id at all
    form = {"grant_type": "authorization_code", "code": params["code"], "redirect_uri": clean.jira.redirect_url}
    status, body = _token(walker, clean, headers={"Authorization": f"Basic {basic}"}, **form)
    assert status == 200 and body["access_token"]


@pytest.mark.parametrize("missing", ["grant_type", "code", "redirect_uri", "client_id"])
def test_a_missing_required_field_is_aadsts90014(clean: MockFleet, walker: Walker, missing: str) -> None:
    form = {
        "grant_type": "authorization_code", "code": "some-code", "redirect_uri": clean.jira.redirect_url,
        "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value,
    }
    del form[missing]
    status, body = _token(walker, clean, **form)
    _assert_entra_error(status, body, 90014, "invalid_request")
    assert f"'{missing}'" in body["error_description"]


def test_an_unknown_client_is_aadsts700016(clean: MockFleet, walker: Walker) -> None:
    status, body = _redeem(walker, clean, "x", client_id="00000000-0000-0000-0000-000000000bad")
    _assert_entra_error(status, body, 700016, "unauthorized_client")
    page = _authorize(walker, clean, client_id="00000000-0000-0000-0000-000000000bad")
    assert page.status == 200 and 'data-aadsts="700016"' in page.text  # shown by Entra, not sent to the app


def test_an_unregistered_redirect_uri_is_aadsts50011_on_the_error_page(clean: MockFleet, walker: Walker) -> None:
    page = _authorize(walker, clean, redirect_uri="https://evil.example/cb")
    assert 'data-aadsts="50011"' in page.text and "https://evil.example/cb" in page.text


def test_a_code_is_single_use(clean: MockFleet, walker: Walker) -> None:
    code = _code(walker, clean)["code"]
    assert _redeem(walker, clean, code)[0] == 200
    status, body = _redeem(walker, clean, code)
    _assert_entra_error(status, body, 54005, "invalid_grant")


def test_an_expired_code_is_aadsts70008() -> None:
    now = [dt.datetime(2024, 5, 6, 7, 0, tzinfo=dt.timezone.utc)]
    with MockFleet(clock=lambda: now[0]) as fleet:
        w = Walker()
        code = _code(w, fleet)["code"]
        now[0] += dt.timedelta(minutes=11)
        status, body = _redeem(w, fleet, code)
        _assert_entra_error(status, body, 70008, "invalid_grant")


@pytest.mark.parametrize(
    ("scope", "code"),
    [
        ("user.read/.default", 70011),
        ("https://outlook.office.com/NotAScope.All offline_access", 70011),
        ("https://outlook.office.com/IMAP.AccessAsUser.All Mail.ReadWrite", 70011),
        ("https://unknown.example/Read", 500011),
    ],
)
def test_an_invalid_scope_comes_back_to_the_redirect_uri(clean: MockFleet, walker: Walker, scope: str, code: int) -> None:
    params = _callback(_authorize(walker, clean, scope=scope))
    assert params["error"] in ("invalid_scope", "invalid_resource") and params["state"] == "st-1"
    assert params["error_description"].startswith(f"AADSTS{code}: ")
    assert params["error_uri"].endswith(f"/error?code={code}")


def test_a_missing_scope_is_aadsts90014_on_the_redirect(clean: MockFleet, walker: Walker) -> None:
    params = _callback(_authorize(walker, clean, scope=""))
    assert params["error"] == "invalid_request" and params["error_description"].startswith("AADSTS90014: ")


def test_missing_consent_is_aadsts65001(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_registration(IDS.jira_client, admin_consent=False)
    params = _code(walker, clean)
    assert params["error"] == "consent_required" and params["error_description"].startswith("AADSTS65001: ")
    status, body = _token(
        walker, clean, grant_type="password", client_id=IDS.jira_client, client_secret=IDS.jira_secret_value,
        username=SIMON[0], password=SIMON[1], scope=IMAP,
    )
    _assert_entra_error(status, body, 65001, "invalid_grant")
    assert body["suberror"] == "consent_required"


def test_a_permission_not_granted_is_aadsts65001(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_registration(IDS.jira_client, api_permissions=("offline_access", "Mail.ReadWrite"))
    assert _code(walker, clean)["error_description"].startswith("AADSTS65001: ")
    # Graph's Mail.ReadWrite is granted, so the Graph scope set works.
    assert "code" in _code(Walker(), clean, scope="Mail.ReadWrite offline_access")


def test_an_unassigned_user_is_aadsts50105_on_the_redirect(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_registration(IDS.jira_client, assignment_required=True, assignments=(IDS.group_sso_testers,))
    params = _code(walker, clean, user=("adele.vance@contoso.com", "Pa55w.rd-adele"))
    assert params["error"] == "access_denied" and params["error_description"].startswith("AADSTS50105: ")
    assert "code" in _code(Walker(), clean)


def test_a_user_of_another_tenant_is_aadsts50020_on_the_tenant_endpoint(clean: MockFleet, walker: Walker) -> None:
    params = _code(walker, clean, user=("megan.bowen@northwindtraders.com", "Pa55w.rd-megan"))
    assert params["error_description"].startswith("AADSTS50020: ")
    # On "common" a multi-tenant app takes the user's own tenant.
    page = entra_sign_in(Walker(), _authorize(Walker(), clean, segment="common"), "megan.bowen@northwindtraders.com", "Pa55w.rd-megan")
    assert "code" in _callback(page)


def test_a_single_tenant_app_on_common_is_aadsts50194(clean: MockFleet, walker: Walker) -> None:
    clean.entra.configure_registration(IDS.jira_client, multi_tenant=False)
    page = _authorize(walker, clean, segment="common")
    assert 'data-aadsts="50194"' in page.text


def test_the_password_grant_reports_a_wrong_password_as_aadsts50126(clean: MockFleet, walker: Walker) -> None:
    form = {"grant_type": "password", "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value, "scope": IMAP, "username": SIMON[0]}
    _assert_entra_error(*_token(walker, clean, password="wrong", **form), 50126, "invalid_grant")
    status, body = _token(walker, clean, password=SIMON[1], **form)
    assert status == 200 and body["access_token"]
    status, body = _token(walker, clean, **{**form, "username": "diego.siciliani@contoso.com"}, password="Pa55w.rd-diego")
    assert body["error_codes"] == [50076]  # MFA cannot be done without a browser


def _spa_code(w: Walker, f: MockFleet, **params: str) -> str:
    page = _authorize(w, f, client_id=IDS.spa_client, redirect_uri="http://127.0.0.1:9/spa/callback", scope="openid User.Read", **params)
    return _callback(entra_sign_in(w, page, *SIMON))["code"]


def test_a_spa_code_without_pkce_is_aadsts9002325(clean: MockFleet, walker: Walker) -> None:
    code = _spa_code(walker, clean)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1:9/spa/callback", "client_id": IDS.spa_client}
    _assert_entra_error(*_token(walker, clean, **form), 9002325, "invalid_request")


def test_pkce_s256_is_checked(clean: MockFleet, walker: Walker) -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_s256(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636 appendix B
    form = {"grant_type": "authorization_code", "redirect_uri": "http://127.0.0.1:9/spa/callback", "client_id": IDS.spa_client}
    code = _spa_code(walker, clean, code_challenge=pkce_s256(verifier), code_challenge_method="S256")
    _assert_entra_error(*_token(walker, clean, code=code, code_verifier="wrong-verifier-wrong-verifier-wrong-verifier", **form), 501481, "invalid_grant")
    code = _spa_code(Walker(), clean, code_challenge=pkce_s256(verifier), code_challenge_method="S256")
    status, body = _token(walker, clean, code=code, code_verifier=verifier, **form)
    assert status == 200 and "refresh_token" not in body


def test_a_web_app_without_a_secret_is_aadsts7000218(clean: MockFleet, walker: Walker) -> None:
    code = _code(walker, clean)["code"]
    _assert_entra_error(*_redeem(walker, clean, code, client_secret=""), 7000218, "invalid_client", 401)


def test_an_expired_secret_is_aadsts7000222(clean: MockFleet, walker: Walker) -> None:
    from dataclasses import replace

    reg = clean.entra.directory.registration_anywhere(IDS.jira_client)[1]  # type: ignore[index]
    expired = replace(reg.secrets[0], expires=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc))
    clean.entra.configure_registration(IDS.jira_client, secrets=(expired,))
    status, body = _redeem(walker, clean, "x")
    _assert_entra_error(status, body, 7000222, "invalid_client", 401)


def test_refresh_tokens_rotate(clean: MockFleet, walker: Walker) -> None:
    _, body = _redeem(walker, clean, _code(walker, clean)["code"])
    form = {"grant_type": "refresh_token", "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value}
    status, again = _token(walker, clean, refresh_token=body["refresh_token"], **form)
    assert status == 200 and again["refresh_token"] != body["refresh_token"]
    assert _token(walker, clean, refresh_token=body["refresh_token"], **form)[1]["error_codes"] == [70000]


def test_client_credentials_need_dot_default(clean: MockFleet, walker: Walker) -> None:
    form = {"grant_type": "client_credentials", "client_id": IDS.jira_client, "client_secret": IDS.jira_secret_value}
    assert _token(walker, clean, scope="Mail.ReadWrite", **form)[1]["error_codes"] == [70011]
    status, body = _token(walker, clean, scope="https://graph.microsoft.com/.default", **form)
    assert status == 200 and decode_jwt(body["access_token"]).claims["idtyp"] == "app"


def test_an_unsupported_grant_type_is_refused(clean: MockFleet, walker: Walker) -> None:
    status, body = _token(walker, clean, grant_type="urn:ietf:params:oauth:grant-type:device_code", client_id=IDS.jira_client)
    assert body["error"] == "unsupported_grant_type" and body["error_codes"] == [70003]


def test_prompt_none_without_a_session_is_login_required(clean: MockFleet, walker: Walker) -> None:
    params = _callback(_authorize(walker, clean, prompt="none"))
    assert params["error"] == "login_required" and params["error_description"].startswith("AADSTS50058: ")


def test_form_post_and_fragment_response_modes(clean: MockFleet, walker: Walker) -> None:
    page = entra_sign_in(walker, _authorize(walker, clean, response_mode="form_post"), *SIMON)
    form = page.form()
    assert form.action == clean.jira.redirect_url and form.fields["state"] == "st-1" and form.fields["code"]
    fragment = _authorize(walker, clean, response_mode="fragment")  # the session from above answers at once
    assert fragment.status == 302 and "#code=" in fragment.location  # type: ignore[operator]


@pytest.mark.parametrize(
    ("faults", "problem"),
    [
        (ResponseFaults(wrong_key=True), "signature"),
        (ResponseFaults(expired=True), "exp"),
        (ResponseFaults(audience="someone-else"), "aud"),
        (ResponseFaults(sign_nothing=True), "none"),
    ],
)
def test_token_faults_break_what_they_name(clean: MockFleet, walker: Walker, faults: ResponseFaults, problem: str) -> None:
    clean.entra.inject(faults, app=IDS.jira_client)
    _, body = _redeem(walker, clean, _code(walker, clean)["code"])
    jwks = decode_jwks(walker.get(clean.entra.jwks_url(clean.tenant_id)).text.encode())
    issuer = f"{clean.entra.base_url}/{clean.tenant_id}/v2.0"
    expected = JwtExpectations(issuer=issuer, client_id=IDS.jira_client, nonce="n-1")
    verdict = verify_jwt(body["id_token"], jwks, expected=expected, now=dt.datetime.now(dt.timezone.utc))
    assert not verdict.trusted
    assert problem in " ".join(verdict.problems).lower(), verdict.problems


def test_an_injected_aadsts_error_takes_the_token_endpoints_shape(clean: MockFleet, walker: Walker) -> None:
    code = _code(walker, clean)["code"]
    clean.entra.inject(ResponseFaults(aadsts=50076), app=IDS.jira_client, once=True)
    status, body = _redeem(walker, clean, code)
    assert body["error_codes"] == [50076] and body["error"] == "invalid_grant"
    assert _redeem(walker, clean, code)[0] == 200  # once: the next request is normal


def test_an_injected_aadsts_error_takes_the_redirect_shape_at_authorize(clean: MockFleet, walker: Walker) -> None:
    clean.entra.inject(ResponseFaults(aadsts=50105), app=IDS.jira_client, once=True)
    params = _code(walker, clean)
    assert params["error"] == "access_denied" and params["error_description"].startswith("AADSTS50105")
